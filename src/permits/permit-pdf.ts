import { pdfLib } from './pdf-lib';
import QRCode from 'qrcode';
import { formatClaimCode } from './permit-validity';
import { drawLine, embedUnicodeFonts, fitLine, wrapText } from './pdf-text';

export interface PrintablePermit {
  token: string;
  visitor: string;
  birthdate: string;
  detainee: string;
  establishment: string;
  relationship: string;
  validity: string;
  photoJpeg: Buffer | null;
  /** A recorded permit not yet linked to a family account: the code its holder types in « Mes permis ». */
  claimCode?: string | null;
}

/** The printable permit: photo, identity, validity and a QR code holding only a signed token. Any name, any script. */
export async function permitPdf(p: PrintablePermit): Promise<Buffer> {
  const { PDFDocument, rgb } = pdfLib();
  const doc = await PDFDocument.create();
  doc.setTitle(`Permis de visite - ${p.visitor}`);
  doc.setLanguage('fr-FR');
  const page = doc.addPage([420, 298]); // A6 landscape
  const { regular: font, bold } = await embedUnicodeFonts(doc);
  page.drawRectangle({ x: 0, y: 270, width: 420, height: 28, color: rgb(0, 0, 0.57) });
  drawLine(page, 'Ministère de la Justice — Permis de visite', { x: 14, y: 279, size: 12, font: bold, color: rgb(1, 1, 1) });
  if (p.photoJpeg) {
    const photo = await doc.embedJpg(Uint8Array.from(p.photoJpeg)); // a copy: pdf-lib reads the whole underlying buffer
    const scale = Math.min(110 / photo.width, 140 / photo.height);
    page.drawImage(photo, { x: 14, y: 120, width: photo.width * scale, height: photo.height * scale });
  }
  const lines: [string, string][] = [
    ['Visiteur', p.visitor],
    ['Né(e) le', p.birthdate],
    ['Visite', p.detainee],
    ['Établissement', p.establishment],
    ['Lien', p.relationship],
    ['Validité', p.validity],
  ];
  let y = 245;
  for (const [label, value] of lines) {
    drawLine(page, label, { x: 140, y, size: 8, font, color: rgb(0.3, 0.3, 0.3) });
    // A long value is cut to the card's width (from x 140 to its right margin), never over the edge.
    drawLine(page, fitLine(value, bold, 10, 266), { x: 140, y: y - 11, size: 10, font: bold });
    y -= 26;
  }
  const qr = await doc.embedPng(Uint8Array.from(await QRCode.toBuffer(p.token, { errorCorrectionLevel: 'M', margin: 1, width: 200 })));
  page.drawImage(qr, { x: 320, y: 14, width: 86, height: 86 });
  if (p.claimCode) {
    drawLine(page, `Code P2V : ${formatClaimCode(p.claimCode)}`, { x: 14, y: 88, size: 10, font: bold });
    const help = 'Pour réserver en ligne : sur P2V, ouvrez « Mes permis », connectez-vous avec FranceConnect et saisissez ce code.';
    let y = 76;
    for (const line of wrapText(help, font, 7, 296)) {
      drawLine(page, line, { x: 14, y, size: 7, font });
      y -= 9;
    }
  }
  drawLine(page, 'Présentez ce permis et une pièce d’identité en cours de validité.', { x: 14, y: 40, size: 8, font });
  drawLine(page, 'Le QR code ne contient aucune donnée personnelle.', { x: 14, y: 28, size: 8, font });
  return Buffer.from(await doc.save());
}
