import type { PDFFont, PDFPage } from 'pdf-lib';
import { pdfLib } from '../permits/pdf-lib';
import { drawLine, embedUnicodeFonts, wrapText } from '../permits/pdf-text';
import { parisDateTime, pdfSections, type FamilyDataExport } from './my-data.rules';

const A4: [number, number] = [595, 842];
const MARGIN = 50;
const WIDTH = A4[0] - 2 * MARGIN;
const TOP = A4[1] - MARGIN;
const BOTTOM = 60;

/**
 * The family's data as a readable PDF (A4, French, a heading per section, dates on the clock of Paris),
 * drawn from the same export as the JSON file. DejaVu Sans is embedded (permits/pdf-text.ts), so every
 * name reads as written: « Łukasz », « Nguyễn », Arabic script; the text can be copied and searched.
 */
export async function familyDataPdf(data: FamilyDataExport, generatedAt: Date): Promise<Buffer> {
  const { PDFDocument, rgb } = pdfLib();
  const doc = await PDFDocument.create();
  const name = `${data.account.givenName} ${data.account.familyName}`;
  doc.setTitle(`Mes données dans P2V — ${name}`);
  doc.setLanguage('fr-FR');
  doc.setCreator('P2V — Ministère de la Justice');
  const { regular, bold } = await embedUnicodeFonts(doc);
  const grey = rgb(0.35, 0.35, 0.35);
  const blue = rgb(0, 0, 0.57);
  let page: PDFPage = doc.addPage(A4);
  let y = TOP;

  const room = (height: number) => {
    if (y - height < BOTTOM) {
      page = doc.addPage(A4);
      y = TOP;
    }
  };
  const write = (
    text: string,
    o: { font?: PDFFont; size?: number; indent?: number; after?: number; color?: ReturnType<typeof rgb> } = {},
  ) => {
    const font = o.font ?? regular;
    const size = o.size ?? 10;
    const indent = o.indent ?? 0;
    for (const line of wrapText(text, font, size, WIDTH - indent)) {
      room(size + 4);
      drawLine(page, line, { x: MARGIN + indent, y, size, font, color: o.color });
      y -= size + 4;
    }
    y -= o.after ?? 0;
  };

  write('Ministère de la Justice — P2V, permis et visites', { font: bold, size: 10, color: grey, after: 10 });
  write('Mes données dans P2V', { font: bold, size: 20, color: blue, after: 6 });
  write(`Toutes les données que P2V conserve sur le compte de ${name}, au ${parisDateTime(generatedAt)}.`, { size: 11, after: 2 });
  write('Les dates et heures sont données à l’heure de Paris. Le même contenu existe au format JSON, pour le réutiliser.', {
    size: 10,
    color: grey,
    after: 14,
  });

  for (const section of pdfSections(data)) {
    room(60);
    write(section.heading, { font: bold, size: 14, color: blue, after: 6 });
    if (!section.blocks.length) write(section.empty, { after: 12 });
    for (const block of section.blocks) {
      room(30);
      write(block.title, { font: bold, size: 11, after: 2 });
      for (const line of block.lines) write(line, { indent: 12 });
      y -= 8;
    }
    y -= 8;
  }

  const pages = doc.getPages();
  pages.forEach((p, i) => drawLine(p, `Page ${i + 1} sur ${pages.length}`, { x: MARGIN, y: 30, size: 8, font: regular, color: grey }));
  return Buffer.from(await doc.save());
}
