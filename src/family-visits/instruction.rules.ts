import { format } from 'date-fns';
import { formatInTimeZone } from 'date-fns-tz';
import { daysLeft as permitDaysLeft, decisionDeadline as permitDeadline } from '../permits/permit.rules';

/**
 * The SPIP instruction of UVF / PF cases (issue 11, seeds/note-dap-2014-uvf-parloirs-familiaux.md):
 * the 2-month decision deadline of each request, when a case is ready for the CPU, and which
 * motivations can never justify a refusal.
 */

/**
 * A calendar day (AAAA-MM-JJ) as the local midnight date-fns counts days and months with: the
 * permits' 2-month rule is applied to the establishment's days, never shifted by the server's zone.
 */
function calendarDay(day: string): Date {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d);
}

/** The day (AAAA-MM-JJ) an instant falls on in the establishment's time zone. */
export function establishmentDay(at: Date, timeZone: string): string {
  return formatInTimeZone(at, timeZone, 'yyyy-MM-dd');
}

/**
 * The day a request's 2-month decision deadline falls on (silence after 2 months is an implicit
 * rejection), AAAA-MM-JJ: the permits' deadline (permit.rules.ts, written once), counted from
 * `receivedDay`, the day of receipt in the establishment as a UTC midnight (its UTC date is the day).
 */
export function decisionDeadline(receivedDay: Date): string {
  return format(permitDeadline(calendarDay(receivedDay.toISOString().slice(0, 10))), 'yyyy-MM-dd');
}

/**
 * Whole days left before the deadline of a request still to decide (0 on the last day, negative once
 * past), null for a request already decided, withdrawn or referred. Both the day of receipt and today
 * are the establishment's days (its own time zone), as on the decision page and for the implicit
 * rejection: a request received at 00:30 in Paris was received that day, not the day before (UTC).
 */
export function daysLeft(request: { receivedAt: Date; status: string }, now: Date, timeZone: string): number | null {
  if (request.status !== 'RECEIVED') return null;
  return permitDaysLeft(calendarDay(establishmentDay(request.receivedAt, timeZone)), calendarDay(establishmentDay(now, timeZone)));
}

/** The case's closest deadline among its requests still to decide, or null. */
export function closestDaysLeft(requests: { receivedAt: Date; status: string }[], now: Date, timeZone: string): number | null {
  const left = requests.map((r) => daysLeft(r, now, timeZone)).filter((d): d is number => d !== null);
  return left.length ? Math.min(...left) : null;
}

export interface ApplicantState {
  requestId: string;
  /** « la personne détenue » or the visitor's name. */
  label: string;
  applicant: 'DETAINEE' | 'VISITOR';
  status: string;
  rulesAcknowledged: boolean;
  doneInterviews: number;
  /** A visitor under 18 on the first wished day. */
  minor: boolean;
  /** A minor: the written consent of the parental-authority holders is on file. */
  parentalConsent: boolean;
  /** A minor followed by a juge des enfants whose opinion, asked through the PJJ, has not come back. */
  judgeOpinionAwaited: boolean;
}

/**
 * The applicant's written commitment to the unit's rules (note A.3 « Les personnes détenues et leurs
 * visiteurs s'engagent par écrit à respecter le règlement des UVF »): the signed rules; for a minor,
 * the written consent of the parental-authority holders stands for it (note A.4 « Toute visite d'un
 * mineur en UVF nécessite de recueillir au préalable l'accord écrit … Cet accord doit en outre préciser
 * … ses modalités »; the child is associated « selon des modalités adaptées à son âge »): a baby
 * signs nothing.
 */
export function committedToRules(a: Pick<ApplicantState, 'rulesAcknowledged' | 'minor' | 'parentalConsent'>): boolean {
  return a.rulesAcknowledged || (a.minor && a.parentalConsent);
}

/**
 * Ready for the CPU: every applicant (the detainee and each visitor whose request is not withdrawn)
 * has had at least one interview marked done (a minor's may be held with the accompanying adult
 * present) and is committed in writing to the rules of the unit (a minor through the parental
 * consent); the opinion of the juge des enfants who follows a minor, asked through the PJJ, has come
 * back. The list says what is missing, applicant by applicant; empty means ready.
 */
export function missingForCpu(applicants: ApplicantState[]): string[] {
  const active = applicants.filter((a) => a.status !== 'WITHDRAWN');
  const missing: string[] = [];
  if (!active.some((a) => a.applicant === 'DETAINEE')) missing.push('La demande de la personne détenue manque au dossier.');
  if (!active.some((a) => a.applicant === 'VISITOR')) missing.push('Aucune demande de visiteur en cours.');
  for (const a of active) {
    if (a.doneInterviews === 0) missing.push(`Entretien à réaliser avec ${a.label}.`);
    if (!committedToRules(a))
      missing.push(
        a.minor
          ? `Autorisation écrite des titulaires de l’autorité parentale à joindre pour ${a.label} : elle vaut son engagement à respecter le règlement.`
          : `Règlement à faire signer par ${a.label}.`,
      );
    if (a.minor && a.judgeOpinionAwaited) missing.push(`Avis du juge des enfants qui suit ${a.label} à recevoir (demandé par la PJJ).`);
  }
  return missing;
}

export type JudgeOpinion = 'FAVOURABLE' | 'UNFAVOURABLE' | 'RESERVED';

/** What the SPIP counsellor records of a minor's follow-up by a juge des enfants. */
export interface JuvenileJudgeInput {
  /** The SPIP knows the minor is followed by a juge des enfants (assistance éducative or a penal measure). */
  followed: boolean;
  /** The PJJ service in charge of the measure, through which the opinion is asked. */
  pjjService: string | null;
  askedOn: string | null;
  /** null while the opinion has not come back. */
  opinion: JudgeOpinion | null;
  receivedOn: string | null;
  notes: string | null;
}

/**
 * A followed minor's case waits for the juge des enfants' opinion (note A.4 and PF A.4 « il convient de
 * recueillir, par l'intermédiaire du service de la protection judiciaire de la jeunesse en charge de la
 * mesure, l'avis de ce magistrat »). Nothing recorded: the SPIP knows of no follow-up.
 */
export function judgeOpinionAwaited(j: { followed: boolean; opinion: string | null } | null): boolean {
  return j !== null && j.followed && j.opinion === null;
}

/**
 * Why this record of the juge des enfants' follow-up cannot stand, or null (`today`: the
 * establishment's day, AAAA-MM-JJ): a followed minor's opinion is asked through a named PJJ service on
 * a day; an opinion received has its day, never before it was asked nor in the future.
 */
export function juvenileJudgeProblem(
  j: JuvenileJudgeInput,
  today: string,
): { field: 'pjjService' | 'askedOn' | 'opinion' | 'receivedOn'; message: string } | null {
  if (!j.followed) return null;
  if (!j.pjjService)
    return { field: 'pjjService', message: 'Indiquez le service de la PJJ en charge de la mesure, qui transmet la demande d’avis.' };
  if (!j.askedOn) return { field: 'askedOn', message: 'Indiquez la date à laquelle l’avis du juge des enfants a été demandé.' };
  if (j.askedOn > today) return { field: 'askedOn', message: 'La demande d’avis ne peut pas être datée dans le futur.' };
  if (j.opinion && !j.receivedOn) return { field: 'receivedOn', message: 'Indiquez la date à laquelle l’avis a été reçu.' };
  if (!j.opinion && j.receivedOn) return { field: 'opinion', message: 'Choisissez l’avis reçu, ou effacez la date de réception.' };
  if (j.receivedOn && j.receivedOn > today) return { field: 'receivedOn', message: 'L’avis reçu ne peut pas être daté dans le futur.' };
  if (j.receivedOn && j.receivedOn < j.askedOn)
    return { field: 'receivedOn', message: 'L’avis ne peut pas avoir été reçu avant d’avoir été demandé.' };
  return null;
}

/**
 * Rejects a refusal motivation that rests only on the disciplinary record (the note: the
 * disciplinary record alone never justifies a refusal). Heuristic, on the text lower-cased and
 * without accents: it mentions the disciplinary record (« disciplin », « incident », « CDD »,
 * « commission de discipline », « sanction », « compte rendu d'incident », « CRI ») and none of the
 * grounds that may justify a refusal (security, good order, crime prevention, the unit's
 * architecture or capacity, the child's interest) nor a fact that threatens them (a victim, an
 * escape, trafficking, projections, violence, threats). Words that merely describe the visit
 * (« visite », « UVF », « parloir », « lien », « projet ») are no ground: « son comportement
 * disciplinaire ne permet pas d'autoriser cette visite » is refused. Returns the French message, or
 * null when the motivation may stand.
 */
export function motivationRefusal(text: string): string | null {
  const t = ` ${text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’']/g, ' ')} `;
  const disciplinary = /disciplin|incident|\bcdd\b|\bcri\b|sanction|quartier disciplinaire|mise en prevention/.test(t);
  if (!disciplinary) return null;
  const otherGround =
    /securite|bon ordre|ordre public|prevention des infractions|architectur|capacite|interet de l enfant|interet superieur|victime|evasion|trafic|stupefiant|projection|violence|agression|menace/.test(
      t,
    );
  if (otherGround) return null;
  return 'Le passé disciplinaire ne suffit pas à motiver un refus : indiquez en quoi la visite menace la sécurité, le bon ordre, la prévention des infractions, ou l’intérêt de l’enfant.';
}

export const CASE_STATUS_LABELS: Record<string, string> = {
  INSTRUCTION: 'En instruction',
  CPU: 'Avis de la CPU rendu',
  REFERRED: 'Transmis au magistrat',
  DECIDED: 'Décidé',
  CLOSED: 'Clos',
};

export const REQUEST_STATUS_LABELS: Record<string, string> = {
  RECEIVED: 'Reçue, à instruire',
  GRANTED: 'Accordée',
  REFUSED: 'Refusée',
  IMPLICITLY_REJECTED: 'Rejet implicite (2 mois sans réponse)',
  REFERRED: 'Transmise au magistrat',
  WITHDRAWN: 'Retirée',
};

export const KIND_LABELS: Record<string, string> = { UVF: 'Unité de vie familiale (UVF)', PF: 'Parloir familial (PF)' };

export const CHANNEL_LABELS: Record<string, string> = {
  ONLINE: 'En ligne',
  LETTER: 'Courrier',
  EMAIL: 'Courriel',
  IN_PERSON: 'Au guichet',
};

export const LEGAL_STATUS_LABELS: Record<string, string> = {
  PREVENU: 'Prévenu (décision du magistrat)',
  CONDAMNE: 'Condamné',
  MIXTE: 'Prévenu et condamné',
};

export const RELATIONSHIP_LABELS: Record<string, string> = {
  ASCENDANT: 'Parent ou grand-parent',
  DESCENDANT: 'Enfant ou petit-enfant',
  SIBLING: 'Frère ou sœur',
  SPOUSE: 'Époux ou épouse',
  PACS_PARTNER: 'Partenaire de PACS',
  COHABITANT: 'Concubin ou concubine',
  FAMILY_PROJECT: 'Projet familial',
  FRIEND: 'Ami ou proche',
  OTHER: 'Autre lien',
};

export const JUDGE_OPINION_LABELS: Record<JudgeOpinion, string> = {
  FAVOURABLE: 'Favorable',
  UNFAVOURABLE: 'Défavorable',
  RESERVED: 'Réservé',
};
export const MODE_LABELS: Record<string, string> = { IN_PERSON: 'En présentiel', PHONE: 'Par téléphone', VISIO: 'En visioconférence' };
export const INTERVIEW_STATUS_LABELS: Record<string, string> = { SCHEDULED: 'Prévu', DONE: 'Réalisé', CANCELLED: 'Annulé' };
export const CPU_OPINION_LABELS: Record<string, string> = { FAVOURABLE: 'Favorable', UNFAVOURABLE: 'Défavorable', RESERVED: 'Réservé' };
export const DOCUMENT_KIND_LABELS: Record<string, string> = {
  PARENTAL_CONSENT: 'Autorisation des titulaires de l’autorité parentale',
  RULES_ACKNOWLEDGEMENT: 'Règlement signé',
  OTHER: 'Autre pièce',
};
