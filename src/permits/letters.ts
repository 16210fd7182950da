import type { EntityManager } from 'typeorm';
import type { PDFFont } from 'pdf-lib';
import { execute, select, selectOne } from '../common/sql';
import type { PermitLetterKind } from './permit-letter.entity';
import { pdfLib } from './pdf-lib';
import { RECOURSE_MENTION } from './permit.rules';
import { drawLine, embedUnicodeFonts, wrapText } from './pdf-text';

/**
 * The letters P2V issues about a permit request, a permit or a UVF / PF case (refusal, suspension, withdrawal, intended
 * measure, referral to the magistrate, claim code…). Each is recorded once, as issued, with its
 * author as signed (CRPA L212-1); its PDF is drawn from that record. A letter that takes a decision
 * against the holder carries the recourse routes and the verbatim R. 421-1 mention: one text,
 * `recourseParagraphs`, everywhere (letters, e-mails, pages).
 */

export interface LetterBody {
  /** The letter's text, paragraph by paragraph (plain French). */
  paragraphs: string[];
  /** Adds the three recourse routes and the R. 421-1 mention after the text. */
  recourse: boolean;
  /** A reference shown under the title (request reference, permit number…). */
  reference?: string;
}

export interface NewLetter {
  establishmentId: string;
  requestId?: string | null;
  permitId?: string | null;
  measureId?: string | null;
  /** A UVF / PF case, and the request of the case the letter decides (FV_* kinds). */
  familyVisitCaseId?: string | null;
  familyVisitRequestId?: string | null;
  /** The account that sees it in P2V; null: printed and posted (or handed over). */
  familyAccountId: string | null;
  kind: PermitLetterKind;
  title: string;
  addressee: string;
  /** As signed: « Prénom NOM, qualité[, par délégation du chef d’établissement] »; null for a letter nobody signs. */
  author: string | null;
  body: LetterBody;
  issuedAt: Date;
}

export async function recordLetter(m: EntityManager, l: NewLetter): Promise<string> {
  const rows = await select<{ id: string }>(
    m,
    `INSERT INTO letters (establishment_id, request_id, permit_id, measure_id, family_account_id, kind, title, addressee, author,
                          body, issued_at, family_visit_case_id, family_visit_request_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13) RETURNING id`,
    [
      l.establishmentId,
      l.requestId ?? null,
      l.permitId ?? null,
      l.measureId ?? null,
      l.familyAccountId,
      l.kind,
      l.title,
      l.addressee,
      l.author,
      JSON.stringify(l.body),
      l.issuedAt,
      l.familyVisitCaseId ?? null,
      l.familyVisitRequestId ?? null,
    ],
  );
  return rows[0].id;
}

/** A letter as listed and as drawn. */
export interface LetterRow {
  id: string;
  kind: PermitLetterKind;
  title: string;
  addressee: string;
  author: string | null;
  body: LetterBody;
  issuedAt: Date;
  requestId: string | null;
  permitId: string | null;
  familyVisitCaseId: string | null;
  familyVisitRequestId: string | null;
  familyAccountId: string | null;
  establishmentId: string;
  establishmentName: string;
  establishmentAddress: string | null;
  establishmentPhone: string | null;
  establishmentEmail: string | null;
  interregionalDirection: string | null;
  /** The establishment's time zone: the letter is dated on its clock. */
  timeZone: string;
}

const LETTER_COLUMNS = `l.id, l.kind, l.title, l.addressee, l.author, l.body, l.issued_at AS "issuedAt", l.request_id AS "requestId",
  l.permit_id AS "permitId", l.family_visit_case_id AS "familyVisitCaseId", l.family_visit_request_id AS "familyVisitRequestId",
  l.family_account_id AS "familyAccountId", l.establishment_id AS "establishmentId", e.name AS "establishmentName",
  e.address AS "establishmentAddress", e.phone AS "establishmentPhone", e.email AS "establishmentEmail",
  e.interregional_direction AS "interregionalDirection", e.time_zone AS "timeZone"`;

/** The letters addressed to a family account, newest first. */
export function lettersOfFamily(db: EntityManager, familyId: string): Promise<LetterRow[]> {
  return select<LetterRow>(
    db,
    `SELECT ${LETTER_COLUMNS} FROM letters l JOIN establishments e ON e.id = l.establishment_id
      WHERE l.family_account_id = $1 ORDER BY l.issued_at DESC, l.id`,
    [familyId],
  );
}

/** One letter of the family (null: none, or another's). */
export function letterOfFamily(db: EntityManager, familyId: string, id: string): Promise<LetterRow | null> {
  return selectOne<LetterRow>(
    db,
    `SELECT ${LETTER_COLUMNS} FROM letters l JOIN establishments e ON e.id = l.establishment_id
      WHERE l.id = $1 AND l.family_account_id = $2`,
    [id, familyId],
  );
}

/** One letter of the establishment (null: none, or another establishment's). */
export function letterOfEstablishment(db: EntityManager, establishmentId: string, id: string): Promise<LetterRow | null> {
  return selectOne<LetterRow>(
    db,
    `SELECT ${LETTER_COLUMNS} FROM letters l JOIN establishments e ON e.id = l.establishment_id
      WHERE l.id = $1 AND l.establishment_id = $2`,
    [id, establishmentId],
  );
}

/** The letters about a permit request, a permit or a UVF / PF case (staff pages), oldest first. */
export function lettersAbout(
  db: EntityManager,
  about: { requestId: string } | { permitId: string } | { familyVisitCaseId: string },
): Promise<LetterRow[]> {
  const [column, id] =
    'requestId' in about
      ? ['request_id', about.requestId]
      : 'permitId' in about
        ? ['permit_id', about.permitId]
        : ['family_visit_case_id', about.familyVisitCaseId];
  return select<LetterRow>(
    db,
    `SELECT ${LETTER_COLUMNS} FROM letters l JOIN establishments e ON e.id = l.establishment_id
      WHERE l.${column} = $1 ORDER BY l.issued_at, l.id`,
    [id],
  );
}

/** Gives a letter issued without an account to the account that claims its permit later (not the referral, addressed to the magistrate). */
export async function giveLettersToFamily(m: EntityManager, permitId: string, familyId: string): Promise<void> {
  await execute(m, `UPDATE letters SET family_account_id = $2 WHERE permit_id = $1 AND family_account_id IS NULL AND kind <> 'REFERRAL'`, [
    permitId,
    familyId,
  ]);
}

/** Where the establishment is reached, as an acknowledgement and a letter must say (CRPA R112-5). */
export interface Department {
  name: string;
  address: string | null;
  phone: string | null;
  email: string | null;
  interregionalDirection: string | null;
}

/** The department's contact line: name, address, phone, e-mail (what is known). */
export function departmentContact(d: Department): string {
  return [d.name, d.address, d.phone ? `téléphone ${d.phone}` : null, d.email].filter(Boolean).join(' — ');
}

/**
 * The recourse routes against a decision (recours gracieux, hiérarchique, contentieux) and the
 * verbatim R. 421-1 CJA mention: the one text every letter, e-mail and page shows.
 */
export function recourseParagraphs(d: Pick<Department, 'name' | 'interregionalDirection'>): string[] {
  return [
    `Vous pouvez contester cette décision de trois façons : par un recours gracieux auprès du chef d’établissement (${d.name}) ; ` +
      `par un recours hiérarchique auprès du directeur interrégional des services pénitentiaires` +
      `${d.interregionalDirection ? ` (${d.interregionalDirection})` : ''} ; par un recours contentieux devant le tribunal administratif.`,
    RECOURSE_MENTION,
  ];
}

/** The letter as a PDF (A4): any name, any script. */
export async function letterPdf(l: LetterRow): Promise<Buffer> {
  const doc = await pdfLib().PDFDocument.create();
  doc.setTitle(l.title);
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
  const department: Department = {
    name: l.establishmentName,
    address: l.establishmentAddress,
    phone: l.establishmentPhone,
    email: l.establishmentEmail,
    interregionalDirection: l.interregionalDirection,
  };
  write('Ministère de la Justice', bold, 12, 2);
  write(departmentContact(department), font, 10, 20);
  const date = new Intl.DateTimeFormat('fr-FR', { timeZone: l.timeZone, day: 'numeric', month: 'long', year: 'numeric' });
  write(`Le ${date.format(new Date(l.issuedAt))}`, font, 11, 4);
  write(`À l’attention de ${l.addressee}`, font, 11, 20);
  write(`Objet : ${l.title}`, bold, 12, l.body.reference ? 2 : 14);
  if (l.body.reference) write(`Référence : ${l.body.reference}`, font, 10, 14);
  for (const p of l.body.paragraphs) write(p, font, 11, 8);
  if (l.body.recourse) {
    y -= 6;
    write('Voies de recours', bold, 12, 4);
    for (const p of recourseParagraphs(department)) write(p, font, 11, 6);
  }
  if (l.author) {
    y -= 14;
    write(l.author, bold, 11, 2);
  }
  return Buffer.from(await doc.save());
}
