import type { Response } from 'express';

/** Sends a decrypted document to someone allowed to see it: never cached, never sniffed, shown in the browser. */
export function sendFamilyVisitDocument(res: Response, doc: { content: Buffer; contentType: string }): void {
  res
    .set({
      'Content-Type': doc.contentType,
      'Cache-Control': 'private, no-store',
      'Content-Disposition': 'inline',
      'X-Content-Type-Options': 'nosniff',
    })
    .send(doc.content);
}
