import type { Font } from '@pdf-lib/fontkit';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Color, PDFDocument, PDFFont, PDFPage } from 'pdf-lib';
import { fontkit } from './pdf-lib';

/**
 * Text in P2V's PDFs. The standard PDF fonts only know Latin-1 (WinAnsi): a visitor named
 * "Łucja Nguyễn-Şahin" or a motivation with "≥" made pdf-lib throw. Every PDF embeds DejaVu Sans
 * instead (the dejavu-fonts-ttf package: Latin extended, Vietnamese, Greek, Cyrillic, Arabic,
 * Hebrew, many symbols), subset to the glyphs used, with a ToUnicode map so the text can be copied
 * and searched. The font files are read and parsed once per process, not per PDF.
 */

const FONT_DIR = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');

interface LoadedFont {
  bytes: Uint8Array;
  font: Font;
}

let loaded: { regular: LoadedFont; bold: LoadedFont } | undefined;

function fonts(): { regular: LoadedFont; bold: LoadedFont } {
  const load = (file: string): LoadedFont => {
    const bytes = new Uint8Array(readFileSync(join(FONT_DIR, file)));
    return { bytes, font: fontkit().create(bytes) };
  };
  return (loaded ??= { regular: load('DejaVuSans.ttf'), bold: load('DejaVuSans-Bold.ttf') });
}

/**
 * A fontkit for pdf-lib that hands back the fonts parsed once instead of parsing them for every
 * document: each document gets a view of the parsed font (its tables shared, read-only) with a glyph
 * cache of its own. Shared, the cache would leak between documents: a glyph first met as a part of
 * another (the E of É, when a PDF is subset) is cached without its character, and the next PDF's
 * text map would lose that letter.
 */
const parsedOnce = {
  create(bytes: Uint8Array, postscriptName?: string): Font {
    const { regular, bold } = fonts();
    const parsed = bytes === regular.bytes ? regular.font : bytes === bold.bytes ? bold.font : null;
    if (!parsed) return fontkit().create(bytes, postscriptName);
    return Object.create(parsed, { _glyphs: { value: {}, writable: true } }) as Font;
  },
};

/** The fontkit font behind each embedded font, to know which characters it can draw. */
const glyphSource = new WeakMap<PDFFont, Font>();

export interface UnicodeFonts {
  regular: PDFFont;
  bold: PDFFont;
}

/** Embeds DejaVu Sans (regular and bold) in the document. */
export async function embedUnicodeFonts(doc: PDFDocument): Promise<UnicodeFonts> {
  const { regular, bold } = fonts();
  doc.registerFontkit(parsedOnce);
  const embedded = {
    regular: await doc.embedFont(regular.bytes, { subset: true }),
    bold: await doc.embedFont(bold.bytes, { subset: true }),
  };
  glyphSource.set(embedded.regular, regular.font);
  glyphSource.set(embedded.bold, bold.font);
  return embedded;
}

/**
 * What a character no font has becomes: U+FFFD "�", the replacement character (DejaVu has it), so
 * the reader sees that something was there (an emoji DejaVu lacks, a rare script) rather than a
 * silent gap. Format characters (zero-width joiners, variation selectors) the font lacks are
 * dropped; control characters (tabs, line breaks on a single line) become spaces.
 */
export const PLACEHOLDER = '\uFFFD';

const IGNORABLE = /^[\p{Cf}\u{FE00}-\u{FE0F}\u{E0100}-\u{E01EF}]$/u;
const segmenter = new Intl.Segmenter('fr', { granularity: 'grapheme' });

/** The text as the font can draw it: NFC, one line, every grapheme it lacks replaced by PLACEHOLDER. */
export function drawable(text: string, font: PDFFont): string {
  const source = glyphSource.get(font);
  if (!source) throw new Error('drawable() needs a font from embedUnicodeFonts()');
  return drawableWith(text, (codePoint) => source.hasGlyphForCodePoint(codePoint));
}

/** drawable(), for any glyph coverage (exported for its unit test). */
export function drawableWith(text: string, has: (codePoint: number) => boolean): string {
  const line = text.normalize('NFC').replace(/[\p{Cc}\u2028\u2029]/gu, ' ');
  let out = '';
  for (const { segment } of segmenter.segment(line)) {
    let kept = '';
    let missing = false;
    for (const char of segment) {
      const codePoint = char.codePointAt(0)!;
      if (has(codePoint)) kept += char;
      else if (!IGNORABLE.test(char)) missing = true;
    }
    out += missing ? PLACEHOLDER : kept;
  }
  return out;
}

const RIGHT_TO_LEFT = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFC]/u;
const LEFT_TO_RIGHT = /[\p{L}\p{N}]/u;

/**
 * Splits a line into runs of one direction, in reading order for a French (left-to-right) page: a
 * name in Arabic or Hebrew is one right-to-left run (spaces and punctuation between two of its letters
 * included), which fontkit shapes (joined letter forms) and lays out from right to left.
 */
export function directionRuns(text: string): { rtl: boolean; text: string }[] {
  const chars = [...text];
  const strong = chars.map((c) => (RIGHT_TO_LEFT.test(c) ? 'R' : LEFT_TO_RIGHT.test(c) ? 'L' : null));
  // The nearest strong direction after each character (one pass from the end), then before it (as the runs are built).
  const after: ('R' | 'L' | null)[] = new Array<'R' | 'L' | null>(chars.length);
  for (let i = chars.length - 1, next: 'R' | 'L' | null = null; i >= 0; i--) {
    after[i] = next;
    next = strong[i] ?? next;
  }
  const runs: { rtl: boolean; text: string }[] = [];
  let before: 'R' | 'L' | null = null;
  chars.forEach((c, i) => {
    const rtl = strong[i] ? strong[i] === 'R' : before === 'R' && after[i] === 'R';
    before = strong[i] ?? before;
    const last = runs[runs.length - 1];
    if (last && last.rtl === rtl) last.text += c;
    else runs.push({ rtl, text: c });
  });
  return runs;
}

/**
 * The widths of texts already measured, per parsed font, at size 1 (a width grows with the size). A
 * text's layout (fontkit's shaping) is most of a letter's cost, and letters repeat their words. Bounded:
 * emptied when full.
 */
const measured = new WeakMap<Font, Map<string, number>>();
const MEASURED_MAX = 5000;

function textWidth(text: string, font: PDFFont, size: number): number {
  const source = glyphSource.get(font);
  if (!source) return font.widthOfTextAtSize(text, size);
  let widths = measured.get(source);
  if (!widths) measured.set(source, (widths = new Map<string, number>()));
  let width = widths.get(text);
  if (width === undefined) {
    if (widths.size >= MEASURED_MAX) widths.clear();
    width = font.widthOfTextAtSize(text, 1);
    widths.set(text, width);
  }
  return width * size;
}

/** The width of a line of text (already drawable) at this size. */
export function lineWidth(text: string, font: PDFFont, size: number): number {
  return directionRuns(text).reduce((width, run) => width + textWidth(run.text, font, size), 0);
}

/** Draws one line of any text at (x, y): made drawable, then run by run. */
export function drawLine(page: PDFPage, text: string, o: { x: number; y: number; size: number; font: PDFFont; color?: Color }): void {
  let x = o.x;
  for (const run of directionRuns(drawable(text, o.font))) {
    page.drawText(run.text, { x, y: o.y, size: o.size, font: o.font, color: o.color });
    x += textWidth(run.text, o.font, o.size);
  }
}

/** The text cut (at a grapheme) to fit `width`, with "…" when cut. */
export function fitLine(text: string, font: PDFFont, size: number, width: number): string {
  const line = drawable(text, font);
  if (lineWidth(line, font, size) <= width) return line;
  const graphemes = [...segmenter.segment(line)].map((s) => s.segment);
  while (graphemes.length && lineWidth(`${graphemes.join('')}…`, font, size) > width) graphemes.pop();
  return `${graphemes.join('').trimEnd()}…`;
}

/**
 * Paragraphs (split on line breaks) wrapped into drawable lines of at most `width`, breaking between
 * words: each line holds as many words as fit, measured as the line is drawn. The words' own widths
 * (measured once, kept) give a first guess; the whole line is then measured, as fontkit shapes a run
 * in one script, the first it meets (a Cyrillic name before French ligatures, Hebrew before Arabic),
 * and the guess moved by a word while it overflows or the next word fits. Two layouts a line, not one
 * a word.
 */
export function wrapText(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  const space = textWidth(' ', font, size);
  // A whole line, measured as lineWidth does but not kept: it seldom comes back, and would push the words out.
  const drawnWidth = (line: string) => directionRuns(line).reduce((w, run) => w + font.widthOfTextAtSize(run.text, size), 0);
  for (const paragraph of text.split(/\r\n|\r|\n/)) {
    const words = drawable(paragraph, font).split(/\s+/);
    // A paragraph that began with a space: no empty word before its first.
    if (words.length > 1 && words[0] === '') words.shift();
    for (let start = 0; start < words.length;) {
      const line = (end: number) => words.slice(start, end).join(' ');
      let end = start + 1;
      for (let used = lineWidth(words[start], font, size); end < words.length; end++) {
        used += space + lineWidth(words[end], font, size);
        if (used > width) break;
      }
      while (end - start > 1 && drawnWidth(line(end)) > width) end--;
      while (end < words.length && drawnWidth(line(end + 1)) <= width) end++;
      lines.push(line(end));
      start = end;
    }
  }
  return lines;
}
