import { addDays } from 'date-fns';
import { formatInTimeZone } from 'date-fns-tz';
import type { PermitOrigin } from './permit.entity';
import type { PermitMeasureKind, PermitMeasureStatus } from './permit-measure.entity';

/** A detainee's status (MIXTE: prévenu in one case and condamné in another). */
export type LegalStatus = 'PREVENU' | 'CONDAMNE' | 'MIXTE';

/**
 * The rules of measures on a permit: who is competent (L341-5, R341-3, R341-5), the delay the holder
 * has to present observations before a suspension or a withdrawal (CRPA L121-1, L122-1), and when the
 * measure may be enacted.
 */

/** Days the holder has to present observations on an intended suspension or withdrawal. */
export const OBSERVATIONS_DAYS = 8;

/** Grounds and justifications: at least this long. */
export const MIN_GROUNDS_LENGTH = 10;

/** Days added to the observations delay when the letter is posted (no family account): its delivery. */
export const POSTAL_DAYS = 7;

/** The day (AAAA-MM-JJ) in metropolitan France. */
export function parisDay(at: Date): string {
  return formatInTimeZone(at, 'Europe/Paris', 'yyyy-MM-dd');
}

/** The day (AAAA-MM-JJ) at the establishment (its own time zone: overseas establishments differ from Paris). */
export function establishmentDay(at: Date, timeZone: string): string {
  return formatInTimeZone(at, timeZone, 'yyyy-MM-dd');
}

/** Days the holder has to answer: the letter posted (no family account) adds its delivery. */
export function observationsDays(online: boolean): number {
  return OBSERVATIONS_DAYS + (online ? 0 : POSTAL_DAYS);
}

/** The last day to present observations, `days` days after `today` (AAAA-MM-JJ). */
export function observationsDue(today: string, days = OBSERVATIONS_DAYS): string {
  return addDays(new Date(`${today}T12:00:00Z`), days)
    .toISOString()
    .slice(0, 10);
}

/**
 * Who may suspend or withdraw the permit: the magistrate in charge while the holder's detainee is
 * prévenu (or prévenu in one case and condamné in another) or when the magistrate issued it and the
 * head has not reviewed it since the conviction (R341-5); the head of establishment otherwise.
 */
export function competentAuthority(p: { origin: PermitOrigin; legalStatus: LegalStatus; headReviewDue: boolean }): 'HEAD' | 'MAGISTRATE' {
  if (p.legalStatus !== 'CONDAMNE') return 'MAGISTRATE';
  return p.origin === 'MAGISTRATE' && p.headReviewDue ? 'MAGISTRATE' : 'HEAD';
}

/**
 * Why the head may not lift this suspension (null: he may): the magistrate is competent for the permit,
 * or the suspension is the magistrate's answer to a referral — only the magistrate lifts it (L341-5, R341-3).
 */
export function liftRefusal(
  p: { origin: PermitOrigin; legalStatus: LegalStatus; headReviewDue: boolean },
  last: { kind: PermitMeasureKind; magistrateAnswer: 'MAINTAINED' | 'SUSPENDED' | 'WITHDRAWN' | null } | null,
): string | null {
  if (competentAuthority(p) === 'MAGISTRATE' || (last?.kind === 'REFERRAL' && last.magistrateAnswer === 'SUSPENDED'))
    return (
      'Cette suspension a été décidée par le magistrat chargé du dossier : seul le magistrat peut la ' +
      'lever. Enregistrez sa décision lorsqu’elle vous parvient.'
    );
  return null;
}

/** Why an intended measure cannot be enacted yet (null: it can). */
export function enactRefusal(
  m: { status: PermitMeasureStatus; observationsDue: string | null; observationsAt: Date | null },
  today: string,
): string | null {
  if (m.status !== 'PROPOSED') return 'Cette mesure n’est plus en attente.';
  if (m.observationsAt) return null;
  if (m.observationsDue && today <= m.observationsDue)
    return `Le titulaire peut présenter ses observations jusqu’au ${frenchDay(m.observationsDue)} inclus : la mesure ne peut être prise qu’après cette date, ou dès réception de ses observations.`;
  return null;
}

/** Whether the family may still answer an intended measure (on the due day included). */
export function observationsOpen(
  m: { status: PermitMeasureStatus; observationsDue: string | null; observationsAt: Date | null },
  today: string,
): boolean {
  return m.status === 'PROPOSED' && !m.observationsAt && m.observationsDue !== null && today <= m.observationsDue;
}

export const MEASURE_LABELS: Record<PermitMeasureKind, string> = {
  SUSPENSION: 'Suspension',
  WITHDRAWAL: 'Retrait',
  REFERRAL: 'Sursis et référé au magistrat',
};

export const MEASURE_STATUS_LABELS: Record<PermitMeasureStatus, string> = {
  PROPOSED: 'Envisagée — observations attendues',
  ENACTED: 'Prise',
  ABANDONED: 'Abandonnée',
  REFERRED: 'En attente de la réponse du magistrat',
  ANSWERED: 'Réponse du magistrat enregistrée',
};

export const MAGISTRATE_ANSWER_LABELS = {
  MAINTAINED: 'Le magistrat maintient le permis',
  SUSPENDED: 'Le magistrat suspend le permis',
  WITHDRAWN: 'Le magistrat retire le permis',
} as const;

export const LEGAL_STATUS_LABELS: Record<LegalStatus, string> = {
  PREVENU: 'Prévenu',
  CONDAMNE: 'Condamné',
  MIXTE: 'Prévenu et condamné',
};

const DATE = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });

/** AAAA-MM-JJ as « 3 décembre 2026 ». */
export function frenchDay(isoDay: string): string {
  return DATE.format(new Date(`${isoDay}T12:00:00Z`));
}

export interface MeasureLetterInput {
  kind: 'SUSPENSION' | 'WITHDRAWAL';
  visitor: string;
  detainee: string;
  grounds: string;
  suspendedUntil: string | null;
}

function measurePhrase(m: MeasureLetterInput): string {
  return m.kind === 'WITHDRAWAL'
    ? 'le retrait de votre permis de visite'
    : `la suspension de votre permis de visite${m.suspendedUntil ? ` jusqu’au ${frenchDay(m.suspendedUntil)} inclus` : ''}`;
}

/** The letter telling the holder of the intended measure and of the right to present observations. */
export function intendedMeasureParagraphs(
  m: MeasureLetterInput,
  due: string,
  o: { suspended: boolean; posted: boolean } = { suspended: false, posted: false },
): string[] {
  return [
    `Madame, Monsieur, le chef d’établissement envisage ${measurePhrase(m)} (visiteur : ${m.visitor} ; personne détenue : ${m.detainee}).`,
    `Motifs : ${m.grounds}`,
    `Avant toute décision, vous pouvez présenter vos observations écrites jusqu’au ${frenchDay(due)} inclus${o.posted ? ' (ce délai tient compte de l’acheminement de ce courrier par la poste)' : ''} (articles L. 121-1 et L. 122-1 du code des relations entre le public et l’administration) : ` +
      'dans votre espace P2V, rubrique « Mes permis », ou par courrier adressé à l’établissement. Vous pouvez vous ' +
      'faire assister ou représenter par un conseil ou un mandataire de votre choix.',
    `Aucune décision n’est prise avant cette date, sauf si vos observations nous parviennent plus tôt. ${
      o.suspended ? 'Votre permis reste suspendu jusqu’à la décision.' : 'Votre permis reste valable jusqu’à la décision.'
    }`,
  ];
}

/** The decision letter (recourse routes added by the letter itself). */
export function decisionParagraphs(
  m: MeasureLetterInput,
  how: { urgent: boolean; urgencyJustification?: string | null; observationsReceived: boolean },
): string[] {
  const decided =
    m.kind === 'WITHDRAWAL'
      ? `Madame, Monsieur, le permis de visite de ${m.visitor} auprès de ${m.detainee} est retiré.`
      : `Madame, Monsieur, le permis de visite de ${m.visitor} auprès de ${m.detainee} est suspendu${m.suspendedUntil ? ` jusqu’au ${frenchDay(m.suspendedUntil)} inclus` : ''}.`;
  const procedure = how.urgent
    ? `En raison de l’urgence, la procédure contradictoire préalable (articles L. 121-1 et L. 122-1 du code des relations entre le public et l’administration) n’a pas été mise en œuvre (article L. 121-2, 1°). Urgence : ${how.urgencyJustification ?? ''}`
    : how.observationsReceived
      ? 'Cette décision est prise après examen des observations que vous avez présentées.'
      : 'Vous avez été informé(e) de cette mesure envisagée et invité(e) à présenter vos observations ; aucune ne nous est parvenue dans le délai.';
  return [decided, `Motifs : ${m.grounds}`, procedure];
}
