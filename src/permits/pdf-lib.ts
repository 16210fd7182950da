/**
 * pdf-lib and fontkit load on first use, not at start-up: they are a sixth of the app's start time
 * (a new instance, a test's app) and only the permit PDFs and the check of an uploaded PDF need them.
 * The types come from the packages as usual (`import type`).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
export function pdfLib(): typeof import('pdf-lib') {
  return require('pdf-lib') as typeof import('pdf-lib');
}

export function fontkit(): typeof import('@pdf-lib/fontkit') {
  return require('@pdf-lib/fontkit') as typeof import('@pdf-lib/fontkit');
}
/* eslint-enable @typescript-eslint/no-require-imports */
