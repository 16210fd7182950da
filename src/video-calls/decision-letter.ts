import { formatInTimeZone } from 'date-fns-tz';
import type { EntityManager } from 'typeorm';
import { selectOne } from '../common/sql';
import type { Establishment } from '../establishments/establishment.entity';
import { type LetterRow, letterPdf } from '../permits/letters';
import { signatoryFor } from '../permits/signatory';
import { ACCESS_GROUNDS, lastDay } from './record.rules';
import type { VideoCallAccessStatus } from './video-call-access.entity';

/**
 * The motivated letter of a refusal, suspension or withdrawal of a detainee's access to video calls,
 * for the detainee. The `letters` table cannot hold it without a migration (its kinds are checked and
 * a letter there is about a permit request, a permit or a UVF / PF case), so the PDF is drawn on the fly
 * from the decision row, with the permits' letter layout (`letterPdf`): the same recourse routes and
 * R. 421-1 mention (`recourseParagraphs`), the signatory as signed (`signatoryFor` on the decision's
 * day, on the establishment's clock), dates on the establishment's clock.
 */

/** The decisions that carry a letter: every access decision except restoring it. */
export type LetterStatus = Exclude<VideoCallAccessStatus, 'ACTIVE'>;

export interface AccessDecisionForLetter {
  id: string;
  status: VideoCallAccessStatus;
  suspendedUntil: Date | null;
  motivation: string | null;
  decidedAt: Date;
  decidedById: string;
  decidedByName: string;
  detaineeFirstName: string;
  detaineeLastName: string;
  ecrouNumber: string;
}

/** The decision on this detainee of this establishment (null: none, another detainee's or another establishment's). */
export function accessDecisionForLetter(
  db: EntityManager,
  establishmentId: string,
  detaineeId: string,
  decisionId: string,
): Promise<AccessDecisionForLetter | null> {
  return selectOne<AccessDecisionForLetter>(
    db,
    `SELECT v.id, v.status, v.suspended_until AS "suspendedUntil", v.motivation, v.decided_at AS "decidedAt",
            v.decided_by AS "decidedById", a.first_name || ' ' || upper(a.last_name) AS "decidedByName",
            d.first_name AS "detaineeFirstName", d.last_name AS "detaineeLastName", d.ecrou_number AS "ecrouNumber"
       FROM video_call_access v JOIN detainees d ON d.id = v.detainee_id JOIN agents a ON a.id = v.decided_by
      WHERE v.id = $1 AND v.detainee_id = $2 AND d.establishment_id = $3`,
    [decisionId, detaineeId, establishmentId],
  );
}

/** Whether an access decision has a letter (refusal, suspension, withdrawal). */
export function hasLetter(status: VideoCallAccessStatus): status is LetterStatus {
  return status !== 'ACTIVE';
}

/** The stored motivation split back into its ground (a label of ACCESS_GROUNDS, first) and the agent's words. */
export function groundAndWords(motivation: string | null): { ground: string | null; words: string } {
  const text = (motivation ?? '').trim();
  for (const label of Object.values(ACCESS_GROUNDS)) {
    if (text === label) return { ground: label, words: '' };
    if (text.startsWith(`${label} — `)) return { ground: label, words: text.slice(label.length + 3).trim() };
  }
  return { ground: null, words: text };
}

const TITLES: Record<LetterStatus, string> = {
  REFUSED: 'Refus de l’accès aux appels en visiophonie',
  SUSPENDED: 'Suspension de l’accès aux appels en visiophonie',
  WITHDRAWN: 'Retrait de l’accès aux appels en visiophonie',
};

/** « 23 novembre 2026 » for a local day AAAA-MM-JJ. */
function dayFr(day: string): string {
  return new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(
    new Date(`${day}T12:00:00Z`),
  );
}

/** The letter's title and paragraphs (plain French); dates on the establishment's clock. */
export function accessLetterText(
  d: Pick<
    AccessDecisionForLetter,
    'status' | 'suspendedUntil' | 'motivation' | 'decidedAt' | 'detaineeFirstName' | 'detaineeLastName' | 'ecrouNumber'
  > & {
    status: LetterStatus;
  },
  timeZone: string,
): { title: string; addressee: string; paragraphs: string[] } {
  const name = `${d.detaineeFirstName} ${d.detaineeLastName.toUpperCase()}`;
  const decidedOn = dayFr(formatInTimeZone(d.decidedAt, timeZone, 'yyyy-MM-dd'));
  const what =
    d.status === 'REFUSED'
      ? 'votre accès aux appels en visiophonie est refusé'
      : d.status === 'WITHDRAWN'
        ? 'votre accès aux appels en visiophonie est retiré'
        : `votre accès aux appels en visiophonie est suspendu jusqu’au ${dayFr(lastDay(d.suspendedUntil as Date, timeZone))} inclus`;
  const { ground, words } = groundAndWords(d.motivation);
  const paragraphs = [`Par décision du ${decidedOn}, ${what}.`];
  if (ground) paragraphs.push(`Motif : ${ground}.`);
  if (words) paragraphs.push(`Motivation : ${words}`);
  if (d.status === 'SUSPENDED')
    paragraphs.push('À la fin de la suspension, l’accès est de nouveau ouvert sans autre démarche de votre part.');
  return { title: TITLES[d.status], addressee: `${name}, personne détenue (écrou n° ${d.ecrouNumber})`, paragraphs };
}

/**
 * The letter of the decision as a PDF, or null when the decision has none (a restoration). Signed by
 * the decision's author as the signatory they were on the decision's day; an author no longer found
 * as such (delegation revoked since) signs with their name.
 */
export async function accessDecisionLetter(
  db: EntityManager,
  establishment: Establishment,
  d: AccessDecisionForLetter,
): Promise<{ pdf: Buffer; filename: string } | null> {
  if (!hasLetter(d.status)) return null;
  const day = formatInTimeZone(d.decidedAt, establishment.timeZone, 'yyyy-MM-dd');
  const signatory = await signatoryFor(db, establishment.id, d.decidedById, day);
  const text = accessLetterText({ ...d, status: d.status }, establishment.timeZone);
  const row: LetterRow = {
    id: d.id,
    kind: d.status === 'REFUSED' ? 'REFUSAL' : d.status === 'SUSPENDED' ? 'SUSPENSION' : 'WITHDRAWAL',
    title: text.title,
    addressee: text.addressee,
    author: signatory?.label ?? d.decidedByName,
    body: { paragraphs: text.paragraphs, recourse: true, reference: `écrou n° ${d.ecrouNumber}` },
    issuedAt: d.decidedAt,
    requestId: null,
    permitId: null,
    familyVisitCaseId: null,
    familyVisitRequestId: null,
    familyAccountId: null,
    establishmentId: establishment.id,
    establishmentName: establishment.name,
    establishmentAddress: establishment.address,
    establishmentPhone: establishment.phone,
    establishmentEmail: establishment.email,
    interregionalDirection: establishment.interregionalDirection,
    timeZone: establishment.timeZone,
  };
  return { pdf: await letterPdf(row), filename: `visio-decision-${d.id.slice(0, 8)}.pdf` };
}
