import type { PDFFont } from 'pdf-lib';
import { pdfLib } from './pdf-lib';
import { RECOURSE_MENTION } from './permit.rules';
import { drawLine, embedUnicodeFonts, wrapText } from './pdf-text';

export interface RefusalLetter {
  establishmentName: string;
  reference: string;
  date: string;
  familyName: string;
  visitor: string;
  detainee: string;
  submittedOn: string;
  motivation: string;
  signatory: string;
}

/** The motivated refusal letter (facts, motivation, verbatim R. 421-1 recourse mention), as a PDF. Any name, any script. */
export async function refusalLetterPdf(l: RefusalLetter): Promise<Buffer> {
  const doc = await pdfLib().PDFDocument.create();
  doc.setTitle(`Refus de permis de visite ${l.reference}`);
  doc.setLanguage('fr-FR');
  const { regular: font, bold } = await embedUnicodeFonts(doc);
  let page = doc.addPage([595, 842]);
  let y = 790;
  const write = (text: string, f: PDFFont = font, size = 11, gap = 6) => {
    for (const line of wrapText(text, f, size, 495)) {
      if (y < 60) {
        page = doc.addPage([595, 842]);
        y = 790;
      }
      drawLine(page, line, { x: 50, y, size, font: f });
      y -= size + 4;
    }
    y -= gap;
  };
  write('Ministère de la Justice', bold, 12, 2);
  write(l.establishmentName, font, 11, 20);
  write(`Le ${l.date}`, font, 11, 4);
  write(`À l’attention de ${l.familyName}`, font, 11, 20);
  write(`Objet : refus de permis de visite — demande ${l.reference}`, bold, 12, 14);
  write(
    `Par une demande déposée le ${l.submittedOn}, vous avez sollicité un permis de visite pour ${l.visitor}, ` +
      `afin de rendre visite à ${l.detainee}, détenu(e) à ${l.establishmentName}.`,
  );
  write('J’ai décidé de refuser ce permis de visite, pour les motifs suivants :', font, 11, 4);
  write(l.motivation, font, 11, 12);
  write('Voies de recours', bold, 12, 4);
  write(
    'Vous pouvez former un recours gracieux auprès du chef d’établissement, un recours hiérarchique auprès du directeur ' +
      'interrégional des services pénitentiaires, ou un recours contentieux.',
  );
  write(RECOURSE_MENTION, font, 11, 20);
  write(l.signatory, bold, 11, 2);
  write('Chef d’établissement ou son délégataire', font, 10, 0);
  return Buffer.from(await doc.save());
}
