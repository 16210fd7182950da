import type { LetterBody } from '../permits/letters';
import type { FamilyVisitKind } from './family-unit.entity';
import type { FamilyVisitRefusalGround } from './family-visit-request.entity';
import { durationText, MAGISTRATE_ANSWER_LABELS, REFUSAL_GROUND_LABELS, type MagistrateAnswer } from './decision.rules';

/**
 * The text of the letters about a UVF / PF case (note DAP of 4 December 2014, A.5): the decision
 * to the detainee and to each relative who applied, the implicit rejection, the transmission to the
 * magistrate for a prévenu, the magistrate's decision as notified, the notice to the JAP and the
 * incident report to the magistrate. Pure: the service records them (`recordLetter`) and
 * `letterPdf` draws them; a refusal and an implicit rejection always carry the recourse routes and
 * the R. 421-1 mention (`recourse: true`, also required by the database).
 */

const formats = new Map<string, Intl.DateTimeFormat>();
/**
 * « 1 mars 2027 »: an instant on the establishment's clock (`timeZone`), a calendar day (AAAA-MM-JJ)
 * as written, whatever the zone.
 */
function day(d: Date | string, timeZone: string): string {
  const zone = typeof d === 'string' ? 'UTC' : timeZone;
  let f = formats.get(zone);
  if (!f) formats.set(zone, (f = new Intl.DateTimeFormat('fr-FR', { timeZone: zone, day: 'numeric', month: 'long', year: 'numeric' })));
  return f.format(typeof d === 'string' ? new Date(`${d}T12:00:00Z`) : d);
}

const LEGAL_BASIS =
  'Vu l’article L. 341-8 du code pénitentiaire et la note de la direction de l’administration pénitentiaire du 4 décembre 2014 ' +
  'relative aux modalités d’accès et de fonctionnement des unités de vie familiale et des parloirs familiaux';

export interface CaseForLetter {
  reference: string;
  kind: FamilyVisitKind;
  detaineeName: string;
  ecrouNumber: string;
  establishmentName: string;
  /** The case's wish (its first request's): what a letter states when the request's own is not given. */
  wishedFrom: string;
  wishedTo: string;
  /** The establishment's time zone: the dates of its letters are on its clock. */
  timeZone: string;
  /** The case was transmitted to the magistrate while the detainee was prévenu(e), who is now condamné(e): the head decides. */
  referredThenCondamne?: { magistrate: string | null; referredAt: Date } | null;
}

export interface RequestForLetter {
  applicant: 'DETAINEE' | 'VISITOR';
  /** The visitor's name (null for the detainee's request). */
  visitorName: string | null;
  receivedAt: Date;
  /** The request's own wished period (AAAA-MM-JJ): each request states its own, not the case's (the first request's). */
  wishedFrom?: string;
  wishedTo?: string;
}

/** « du 1 mars 2027 au 31 mars 2027 »: the request's own wished period, else the case's. */
function wishedDays(c: CaseForLetter, r: RequestForLetter): string {
  return `du ${day(r.wishedFrom ?? c.wishedFrom, c.timeZone)} au ${day(r.wishedTo ?? c.wishedTo, c.timeZone)}`;
}

/** « pendant la période du 1 mars 2027 au 31 mars 2027 ». */
function period(c: CaseForLetter, r: RequestForLetter): string {
  return `pendant la période ${wishedDays(c, r)}`;
}

const WHAT: Record<FamilyVisitKind, string> = {
  UVF: 'une visite en unité de vie familiale (UVF)',
  PF: 'une visite en parloir familial',
};

function askedBy(c: CaseForLetter, r: RequestForLetter): string {
  const who =
    r.applicant === 'DETAINEE'
      ? `${c.detaineeName} (écrou ${c.ecrouNumber}), détenu(e) à ${c.establishmentName}`
      : `${r.visitorName}, pour rendre visite à ${c.detaineeName}, détenu(e) à ${c.establishmentName}`;
  return (
    `Par une demande reçue le ${day(r.receivedAt, c.timeZone)}, ${who}, a sollicité ${WHAT[c.kind]} ` +
    `${period(c, r)} (dossier ${c.reference}).`
  );
}

/** « Vu la transmission au magistrat … ; la personne étant désormais condamnée, … » when the detainee was prévenu(e) at the referral. */
function nowCondamne(c: CaseForLetter): string[] {
  const x = c.referredThenCondamne;
  if (!x) return [];
  return [
    `Vu la transmission de la demande le ${day(x.referredAt, c.timeZone)} au magistrat saisi${x.magistrate ? ` (${x.magistrate})` : ''}, ` +
      `alors que ${c.detaineeName} était prévenu(e) ; considérant que ${c.detaineeName} est désormais condamné(e) et qu’il appartient ` +
      'en conséquence au chef d’établissement de décider de cette visite,',
  ];
}

/** The magistrate's authorisation a prévenu's visit is granted within (an earlier answer, reused). */
export interface AuthorisationBasis {
  magistrate: string | null;
  answer: 'PERMANENT' | 'TEMPORARY';
  /** A temporary authorisation's last day (AAAA-MM-JJ). */
  until: string | null;
  /** The day the magistrate's answer was recorded (AAAA-MM-JJ). */
  decidedOn: string;
}

/** « l’autorisation permanente d’accès donnée par le magistrat (…) le 18 janvier 2027 » / « … temporaire …, valable jusqu’au … ». */
export function authorisationPhrase(c: CaseForLetter, b: AuthorisationBasis): string {
  return (
    `l’autorisation ${b.answer === 'PERMANENT' ? 'permanente' : 'temporaire'} d’accès donnée par le magistrat` +
    `${b.magistrate ? ` (${b.magistrate})` : ''} le ${day(b.decidedOn, c.timeZone)}` +
    `${b.answer === 'TEMPORARY' && b.until ? `, valable jusqu’au ${day(b.until, c.timeZone)}` : ''}`
  );
}

/**
 * The head's grant, to one addressee (the detainee, or the relative who applied). A prévenu's visit is
 * granted within the magistrate's authorisation, which the letter names with its date.
 */
export function grantLetter(
  c: CaseForLetter,
  r: RequestForLetter,
  g: { hours: number; slots: 1 | 2 | null },
  basis: AuthorisationBasis | null = null,
): LetterBody {
  return {
    reference: `Dossier ${c.reference}`,
    recourse: false,
    paragraphs: [
      askedBy(c, r),
      `${LEGAL_BASIS},`,
      ...nowCondamne(c),
      ...(basis ? [`Vu ${authorisationPhrase(c, basis)},`] : []),
      `J’autorise cette visite${r.visitorName ? ` de ${r.visitorName}` : ''}, pour une durée de ${durationText(g.hours, g.slots)}` +
        `${basis ? ', dans le cadre de cette autorisation du magistrat' : ''}.`,
      ...(basis?.answer === 'TEMPORARY' && basis.until
        ? [`La visite doit avoir eu lieu au plus tard le ${day(basis.until, c.timeZone)}, dernier jour de l’autorisation du magistrat.`]
        : []),
      'Cette autorisation vaut pour une seule visite : toute nouvelle visite fera l’objet d’une nouvelle demande et d’une nouvelle instruction.',
      'La date de la visite et le logement vous seront indiqués par l’établissement. Le règlement de l’unité que vous avez signé s’applique pendant toute la visite ; chacun peut y mettre fin à tout moment, et toute sortie est définitive.',
    ],
  };
}

/** The head's motivated refusal: the facts, the ground, the motivation; the recourse routes and R. 421-1 follow. */
export function refusalLetter(
  c: CaseForLetter,
  r: RequestForLetter,
  d: { ground: FamilyVisitRefusalGround; facts: string; motivation: string },
): LetterBody {
  return {
    reference: `Dossier ${c.reference}`,
    recourse: true,
    paragraphs: [
      askedBy(c, r),
      `${LEGAL_BASIS},`,
      ...nowCondamne(c),
      `Considérant les faits suivants : ${d.facts.trim()}`,
      `Considérant que ${REFUSAL_GROUND_LABELS[d.ground].toLowerCase()} justifie que cette visite ne soit pas autorisée : ${d.motivation.trim()}`,
      `Je refuse cette visite${r.visitorName ? ` de ${r.visitorName}` : ''}.`,
    ],
  };
}

/**
 * A visitor's request refused because the detainee's own request was: a UVF / PF visit rests on the
 * detainee's request, so no visitor's request can be granted without it. Motivated, with recourse.
 */
export function withoutDetaineeLetter(c: CaseForLetter, r: RequestForLetter, detaineeRefusedOn: Date): LetterBody {
  return {
    reference: `Dossier ${c.reference}`,
    recourse: true,
    paragraphs: [
      askedBy(c, r),
      `${LEGAL_BASIS},`,
      `Considérant que la demande de ${c.detaineeName} a été refusée le ${day(detaineeRefusedOn, c.timeZone)} ; qu’une visite en unité de vie ` +
        'familiale ou en parloir familial repose sur la demande écrite de la personne détenue et qu’aucune visite n’est donc autorisée pour ce dossier,',
      `Je refuse cette visite${r.visitorName ? ` de ${r.visitorName}` : ''}.`,
    ],
  };
}

/** Silence for 2 months: an implicit rejection, told with the way to ask for its reasons (CRPA L232-4). */
export function implicitRejectionLetter(c: CaseForLetter, r: RequestForLetter, deadline: string): LetterBody {
  return {
    reference: `Dossier ${c.reference}`,
    recourse: true,
    paragraphs: [
      askedBy(c, r),
      `Aucune décision n’ayant été prise au ${day(deadline, c.timeZone)}, soit deux mois après la réception de la demande, celle-ci est implicitement rejetée.`,
      'Vous pouvez demander à l’établissement la communication des motifs de ce rejet dans le délai de recours (article L. 232-4 du code des relations entre le public et l’administration) : ils vous seront communiqués dans le mois.',
    ],
  };
}

/** The transmission of a prévenu's requests to the magistrate in charge, with the head's opinion proposing a duration. */
export function referralLetter(
  c: CaseForLetter,
  requests: RequestForLetter[],
  x: { magistrate: string; opinion: string; proposedHours: number; proposedSlots: 1 | 2 | null; cpu: string | null },
): LetterBody {
  return {
    reference: `Dossier ${c.reference} — fiche de transmission`,
    recourse: false,
    paragraphs: [
      `${c.detaineeName} (écrou ${c.ecrouNumber}), prévenu(e) détenu(e) à ${c.establishmentName}, sollicite ${WHAT[c.kind]}. ` +
        'En application de la note de la direction de l’administration pénitentiaire du 4 décembre 2014, l’accès est soumis à votre accord.',
      `Demandes transmises : ${requests
        .map(
          (r) =>
            `${r.applicant === 'DETAINEE' ? 'la personne détenue' : r.visitorName} (reçue le ${day(r.receivedAt, c.timeZone)}) ` +
            `pour la période ${wishedDays(c, r)}`,
        )
        .join(' ; ')}.`,
      x.cpu
        ? `Observations de la commission pluridisciplinaire unique : ${x.cpu}`
        : 'La commission pluridisciplinaire unique n’a pas rendu d’avis.',
      `Avis du chef d’établissement : ${x.opinion.trim()}`,
      `Durée de visite proposée : ${durationText(x.proposedHours, c.kind === 'PF' ? x.proposedSlots : null)}.` +
        (c.kind === 'PF'
          ? ' Pour un parloir familial, le chef d’établissement fixe la durée de la visite (note du 4 décembre 2014) : votre accord porte sur l’accès.'
          : ''),
      'Je vous remercie de bien vouloir me faire connaître votre décision : autorisation permanente, autorisation temporaire (avec sa date de fin) ou refus.',
    ],
  };
}

/**
 * A request transmitted to the magistrate, withdrawn before his answer: the magistrate is told it no
 * longer calls for one (recorded with the transmission's kind, FV_REFERRAL: the same correspondence).
 */
export function withdrawnReferralNotice(
  c: CaseForLetter,
  r: RequestForLetter,
  x: { referredAt: Date; withdrawnAt: Date; byFamily: boolean; stillReferred: string[] },
): LetterBody {
  const whose =
    r.applicant === 'DETAINEE'
      ? `de ${c.detaineeName} (écrou ${c.ecrouNumber}), prévenu(e) détenu(e) à ${c.establishmentName}`
      : `de ${r.visitorName}, pour rendre visite à ${c.detaineeName} (écrou ${c.ecrouNumber}), prévenu(e) détenu(e) à ${c.establishmentName}`;
  return {
    reference: `Dossier ${c.reference} — retrait d’une demande transmise`,
    recourse: false,
    paragraphs: [
      `Par une fiche de transmission du ${day(x.referredAt, c.timeZone)}, je vous ai soumis la demande ${whose}, ` +
        `qui sollicitait ${WHAT[c.kind]} ${period(c, r)}.`,
      `Cette demande a été retirée le ${day(x.withdrawnAt, c.timeZone)}${x.byFamily ? ' par son auteur' : ''} : elle n’appelle plus de réponse de votre part.`,
      x.stillReferred.length
        ? `Restent soumises à votre décision les demandes de : ${x.stillReferred.join(', ')}.`
        : 'Aucune autre demande de ce dossier n’attend votre décision.',
    ],
  };
}

/**
 * The magistrate's decision, notified by the establishment to the prévenu (and to the relative who
 * applied): the agent who notifies it signs the notification (`author`, name and quality).
 */
export function magistrateDecisionLetter(
  c: CaseForLetter,
  r: RequestForLetter,
  a: { magistrate: string; answer: MagistrateAnswer; until: string | null; hours: number | null; slots?: 1 | 2 | null; reasons: string },
): LetterBody {
  const decision =
    a.answer === 'REFUSED'
      ? `Le magistrat (${a.magistrate}) a refusé cette visite. Motifs : ${a.reasons.trim()}`
      : `Le magistrat (${a.magistrate}) a donné une ${MAGISTRATE_ANSWER_LABELS[a.answer].toLowerCase()} d’accès` +
        `${a.until ? ` jusqu’au ${day(a.until, c.timeZone)}` : ''}. ` +
        `La visite est autorisée pour une durée de ${durationText(a.hours ?? 0, a.slots ?? null)}.` +
        (c.kind === 'PF' ? ' Pour un parloir familial, cette durée est fixée par le chef d’établissement.' : '');
  return {
    reference: `Dossier ${c.reference}`,
    recourse: false,
    paragraphs: [
      askedBy(c, r),
      decision,
      ...(a.answer === 'REFUSED'
        ? []
        : [
            'L’accord du magistrat ne dispense pas de demander chaque visite : toute nouvelle visite fera l’objet d’une nouvelle demande, instruite par l’établissement.',
          ]),
      NOTIFIED,
    ],
  };
}

const NOTIFIED = 'La décision du magistrat vous est notifiée par l’établissement, par l’agent dont le nom et la qualité suivent.';

/** The magistrate's withdrawal (annulation) of his authorisation after an incident, notified like his decision. */
export function withdrawalLetter(
  c: CaseForLetter,
  r: { applicant: 'DETAINEE' | 'VISITOR'; visitorName: string | null },
  a: AuthorisationBasis & { withdrawnOn: string },
): LetterBody {
  const whose =
    r.applicant === 'DETAINEE'
      ? `de ${c.detaineeName} (écrou ${c.ecrouNumber})`
      : `de ${r.visitorName} pour rendre visite à ${c.detaineeName} (écrou ${c.ecrouNumber})`;
  return {
    reference: `Dossier ${c.reference}`,
    recourse: false,
    paragraphs: [
      `Par une décision du ${day(a.withdrawnOn, c.timeZone)}, le magistrat${a.magistrate ? ` (${a.magistrate})` : ''} a annulé ` +
        `l’autorisation ${a.answer === 'PERMANENT' ? 'permanente' : 'temporaire'} d’accès qu’il avait donnée le ${day(a.decidedOn, c.timeZone)}` +
        `${a.answer === 'TEMPORARY' && a.until ? ` jusqu’au ${day(a.until, c.timeZone)}` : ''}, ` +
        `${WHAT[c.kind].replace(/^une visite/, 'pour les visites')} ${whose}, détenu(e) à ${c.establishmentName}.`,
      `À compter du ${day(a.withdrawnOn, c.timeZone)}, aucune visite ne peut avoir lieu sous cette autorisation : une nouvelle demande serait transmise au magistrat.`,
      NOTIFIED,
    ],
  };
}

/** The notice to the JAP of every authorisation (note DAP 2014: « le chef d’établissement informe le JAP »). */
export function japNotice(c: CaseForLetter, r: RequestForLetter, g: { hours: number; slots: 1 | 2 | null }): LetterBody {
  return {
    reference: `Dossier ${c.reference} — information du juge de l’application des peines`,
    recourse: false,
    paragraphs: [
      `J’ai l’honneur de vous informer que j’ai autorisé ${WHAT[c.kind]} pour ${c.detaineeName} (écrou ${c.ecrouNumber}), ` +
        `détenu(e) à ${c.establishmentName}${r.visitorName ? `, avec la visite de ${r.visitorName}` : ''}, ` +
        `pour une durée de ${durationText(g.hours, g.slots)}, ${period(c, r)}.`,
      'Cette autorisation vaut pour une seule visite.',
    ],
  };
}

/**
 * An incident during a prévenu's stay, or the early end of the stay for security, reported to the
 * magistrate who authorised it, asking to maintain or cancel the authorisation.
 */
export function incidentReport(
  c: CaseForLetter,
  i: { magistrate: string; at: Date; notes: string; unit: string; endedEarly?: boolean },
): LetterBody {
  return {
    reference: `Dossier ${c.reference} — compte rendu d’incident`,
    recourse: false,
    paragraphs: [
      i.endedEarly
        ? `Le ${day(i.at, c.timeZone)}, il a été mis fin, à titre de mesure conservatoire et pour raison de sécurité, à la visite de ` +
          `${c.detaineeName} (écrou ${c.ecrouNumber}) en ${i.unit}, visite que vous aviez autorisée.`
        : `Un incident est survenu le ${day(i.at, c.timeZone)} pendant la visite de ${c.detaineeName} (écrou ${c.ecrouNumber}) en ${i.unit}, ` +
          'visite que vous aviez autorisée.',
      `Compte rendu : ${i.notes.trim()}`,
      'Je vous remercie de bien vouloir me faire connaître votre décision de maintien ou d’annulation de l’autorisation d’accès (temporaire ou permanente).',
    ],
  };
}
