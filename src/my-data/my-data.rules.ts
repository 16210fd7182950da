import { KIND_LABELS as APPOINTMENT_KIND_LABELS, whenLabel } from '../appointments/appointment.rules';
import { zonedFormat } from '../common/zoned-time';
import { tr } from '../common/translate';
import { currentLanguage, intlLocale } from '../common/i18n';
import { conditionsText, PERMIT_STATE_LABELS, type PermitState } from '../permits/permit-validity';
import { DOCUMENT_LABELS, ID_DOCUMENT_TYPES, RELATIONSHIPS, STATUS_LABELS } from '../permits/permit.rules';
import type {
  AccountRow,
  AppointmentRow,
  ConnectionRow,
  CounterRow,
  FamilyVisitDocumentRow,
  FamilyVisitEventRow,
  FamilyVisitRequestRow,
  InterviewRow,
  LetterRow,
  MeasureRow,
  MessageRow,
  PendingRow,
  PermitRequestRow,
  PermitRow,
  PreferenceRow,
  RequestDocumentRow,
  RequestEventRow,
  StayRow,
  VisitorRow,
  VisitRow,
  WaitlistRow,
} from './my-data.queries';

/**
 * The rules of « Mes données », pure: what the export of a family's data holds and how it reads (French
 * labels, dates on the clock of Paris), and what keeps an account from closing, said plainly in the
 * family's language (the export itself stays French) with what to do and when it becomes possible.
 */

export const PARIS = 'Europe/Paris';

const DAY = new Intl.DateTimeFormat('fr-FR', { timeZone: PARIS, day: 'numeric', month: 'long', year: 'numeric' });
const TIME = new Intl.DateTimeFormat('fr-FR', { timeZone: PARIS, hour: '2-digit', minute: '2-digit' });
const days = new Map<string, Intl.DateTimeFormat>();

/** « 12 décembre 2026 », on a zone's calendar (Paris by default). */
export function dayLabel(d: Date, timeZone = PARIS): string {
  if (timeZone === PARIS) return DAY.format(d);
  let f = days.get(timeZone);
  if (!f) days.set(timeZone, (f = new Intl.DateTimeFormat('fr-FR', { timeZone, day: 'numeric', month: 'long', year: 'numeric' })));
  return f.format(d);
}

/** « 12 décembre 2026 » of a calendar day written AAAA-MM-JJ (no time zone: it is a day). */
export function calendarDayLabel(day: string): string {
  return new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(
    new Date(`${day}T00:00:00Z`),
  );
}

/** « 12 décembre 2026 à 14 h 00 », Paris time. */
export function parisDateTime(d: Date): string {
  return `${DAY.format(d)} à ${TIME.format(d).replace(':', ' h ')}`;
}

/** An instant as the JSON file writes it: ISO 8601 with Paris's offset (« 2026-12-12T14:00:00+01:00 »). */
export function isoParis(d: Date): string;
export function isoParis(d: Date | null): string | null;
export function isoParis(d: Date | null): string | null {
  return d ? zonedFormat(d, PARIS, "yyyy-MM-dd'T'HH:mm:ssXXX") : null;
}

const upperFirst = (s: string) => s.charAt(0).toLocaleUpperCase('fr') + s.slice(1);
const label = (labels: Record<string, string>, key: string | null): string | null => (key === null ? null : (labels[key] ?? key));

// ---- Labels (the family's words) ------------------------------------------------------------

export const REVIEW_LABELS: Record<string, string> = { PENDING: 'En attente d’examen', ACCEPTED: 'Accepté', TO_REPLACE: 'À remplacer' };
export const MEASURE_KIND_LABELS: Record<string, string> = {
  SUSPENSION: 'Suspension du permis',
  WITHDRAWAL: 'Retrait du permis',
  REFERRAL: 'Permis mis en attente et transmis au magistrat',
};
export const MEASURE_STATUS_LABELS: Record<string, string> = {
  PROPOSED: 'Envisagée : vos observations sont attendues',
  ENACTED: 'Décidée',
  ABANDONED: 'Abandonnée',
  REFERRED: 'En attente de la réponse du magistrat',
  ANSWERED: 'Réponse du magistrat reçue',
};
export const ORIGIN_LABELS: Record<string, string> = {
  ONLINE: 'Demandé en ligne',
  PAPER: 'Permis papier',
  MAGISTRATE: 'Délivré par le magistrat',
};
export const VISIT_STATUS_LABELS: Record<string, string> = {
  BOOKED: 'Réservée',
  IN_PROGRESS: 'En cours',
  DONE: 'Passée',
  NO_SHOW: 'Non honorée',
  REFUSED: 'Accès refusé',
  CANCELLED: 'Annulée',
};
export const VISIT_CHANNEL_LABELS: Record<string, string> = {
  ONLINE: 'Réservée en ligne',
  PHONE: 'Réservée par téléphone',
  IN_PERSON: 'Réservée au guichet',
  GENESIS: 'Inscrite par l’établissement',
};
export const CHECK_LABELS: Record<string, string> = { ARRIVED: 'Présent', ABSENT: 'Absent', REFUSED: 'Accès refusé' };
export const WAITLIST_STATUS_LABELS: Record<string, string> = {
  WAITING: 'En attente d’une place',
  OFFERED: 'Place proposée',
  BOOKED: 'Place réservée',
  EXPIRED: 'Proposition expirée',
  DECLINED: 'Place refusée',
  LEFT: 'Inscription retirée',
};
export const VISIT_KIND_LABELS: Record<string, string> = { UVF: 'Unité de vie familiale (UVF)', PF: 'Parloir familial (PF)' };
export const FAMILY_VISIT_STATUS_LABELS: Record<string, string> = {
  RECEIVED: 'Reçue, en cours d’instruction',
  GRANTED: 'Accordée',
  REFUSED: 'Refusée',
  IMPLICITLY_REJECTED: 'Rejetée faute de réponse dans les deux mois',
  REFERRED: 'Transmise au magistrat',
  WITHDRAWN: 'Retirée',
};
export const REQUEST_CHANNEL_LABELS: Record<string, string> = {
  ONLINE: 'En ligne',
  LETTER: 'Courrier',
  EMAIL: 'Courriel',
  IN_PERSON: 'Au guichet',
};
export const FAMILY_VISIT_DOCUMENT_LABELS: Record<string, string> = {
  PARENTAL_CONSENT: 'Autorisation des titulaires de l’autorité parentale',
  RULES_ACKNOWLEDGEMENT: 'Règlement signé',
  OTHER: 'Autre document',
};
export const INTERVIEW_MODE_LABELS: Record<string, string> = {
  IN_PERSON: 'En présentiel',
  PHONE: 'Par téléphone',
  VISIO: 'En visioconférence',
};
export const INTERVIEW_STATUS_LABELS: Record<string, string> = { SCHEDULED: 'Prévu', DONE: 'Réalisé', CANCELLED: 'Annulé' };
export const STAY_STATUS_LABELS: Record<string, string> = {
  BOOKED: 'Réservé',
  IN_PROGRESS: 'En cours',
  ENDED: 'Terminé',
  ENDED_EARLY: 'Terminé avant l’heure',
  CANCELLED: 'Annulé',
};
export const APPOINTMENT_STATUS_LABELS: Record<string, string> = { BOOKED: 'Prévu', CANCELLED: 'Annulé' };
export const CHANNEL_LABELS: Record<string, string> = { EMAIL: 'Courriel', SMS: 'SMS' };
export const MESSAGE_STATUS_LABELS: Record<string, string> = {
  PENDING: 'À envoyer',
  SENDING: 'En cours d’envoi',
  SENT: 'Envoyé',
  FAILED: 'Échec de l’envoi',
  CANCELLED: 'Annulé avant l’envoi',
  DROPPED: 'Non envoyé (devenu inutile)',
};
export const CONNECTION_LABELS: Record<string, string> = {
  FAMILY_SIGNED_IN: 'Connexion',
  FAMILY_SIGNED_OUT: 'Déconnexion',
  FAMILY_DATA_EXPORTED: 'Téléchargement de vos données',
  FAMILY_ACCOUNT_REOPENED: 'Réouverture du compte',
};

// ---- The export ---------------------------------------------------------------------------

/** Everything the queries read about one family: the export is built from it, and only from it. */
export interface FamilyData {
  account: AccountRow;
  preferences: PreferenceRow[];
  permitRequests: PermitRequestRow[];
  requestDocuments: RequestDocumentRow[];
  requestEvents: RequestEventRow[];
  permits: PermitRow[];
  measures: MeasureRow[];
  letters: LetterRow[];
  visits: VisitRow[];
  visitors: VisitorRow[];
  waitlist: WaitlistRow[];
  familyVisitRequests: FamilyVisitRequestRow[];
  familyVisitDocuments: FamilyVisitDocumentRow[];
  familyVisitEvents: FamilyVisitEventRow[];
  interviews: InterviewRow[];
  stays: StayRow[];
  appointments: AppointmentRow[];
  messages: MessageRow[];
  connections: ConnectionRow[];
  counters: CounterRow;
}

/** What P2V keeps but does not put in this file, and why (said in the file itself). */
export const NOT_EXPORTED = [
  'Le contenu des documents que vous avez envoyés (photos, pièces d’identité, justificatifs) : ils sont listés ici, ' +
    'vous pouvez les consulter depuis vos demandes tant qu’ils sont conservés.',
  'Les notes internes des agents, les avis et comptes rendus des entretiens du SPIP et les avis recueillis avant une décision ' +
    '(documents préparatoires) : pour les obtenir, écrivez au délégué à la protection des données du ministère de la Justice.',
  'Les appels en visiophonie : ils sont réservés par la personne détenue pour ses contacts autorisés et ne sont pas liés à votre compte, ' +
    'sauf les rendez-vous en visiophonie listés ici.',
  'Le journal de sécurité (qui a fait quoi et quand) : seules vos connexions et vos téléchargements y sont repris.',
];

/** The export of a family's data: the JSON file as is, and the PDF's content (pdfSections). */
export interface FamilyDataExport {
  format: string;
  version: 1;
  generatedAt: string;
  timeZone: string;
  account: {
    givenName: string;
    familyName: string;
    birthdate: string | null;
    email: string | null;
    mobilePhone: string | null;
    createdAt: string;
    lastSignInAt: string | null;
    notificationPreferences: {
      channel: string;
      channelLabel: string;
      address: string;
      reminders: boolean;
      remindersStoppedAt: string | null;
    }[];
  };
  permitRequests: {
    reference: string | null;
    status: string;
    statusLabel: string;
    establishment: string | null;
    detainee: string | null;
    visitor: { givenName: string | null; familyName: string | null; birthdate: string | null; isYou: boolean | null };
    relationship: string | null;
    relationshipDetail: string | null;
    identityDocumentType: string | null;
    comment: string | null;
    createdAt: string;
    submittedAt: string | null;
    completeAt: string | null;
    documentsDue: string | null;
    decidedAt: string | null;
    decisionMotivation: string | null;
    withdrawnAt: string | null;
    documents: {
      kind: string;
      kindLabel: string;
      name: string;
      receivedAt: string;
      review: string;
      replaced: boolean;
      deletedAt: string | null;
    }[];
    history: { at: string; status: string | null; statusLabel: string | null; message: string | null }[];
  }[];
  permits: {
    establishment: string;
    detainee: string;
    visitor: { givenName: string; familyName: string; birthdate: string };
    relationship: string;
    validFrom: string;
    validTo: string | null;
    maxVisits: number | null;
    status: string;
    statusLabel: string;
    statusReason: string | null;
    origin: string;
    conditions: string[];
    photo: boolean;
    createdAt: string;
    linkedToAccountAt: string | null;
    measures: {
      kind: string;
      kindLabel: string;
      status: string;
      statusLabel: string;
      grounds: string;
      proposedAt: string;
      observationsDue: string | null;
      observations: string | null;
      observationsAt: string | null;
      decidedAt: string | null;
      suspendedUntil: string | null;
    }[];
  }[];
  letters: { title: string; kind: string; reference: string | null; establishment: string; issuedAt: string }[];
  visits: {
    reference: string;
    establishment: string;
    room: string;
    detainee: string;
    startsAt: string;
    endsAt: string;
    status: string;
    statusLabel: string;
    booking: string;
    bookedAt: string;
    cancelledAt: string | null;
    visitors: {
      givenName: string | null;
      familyName: string | null;
      birthdate: string | null;
      removed: boolean;
      check: string | null;
      checkLabel: string | null;
      refusalReason: string | null;
      checkedAt: string | null;
    }[];
  }[];
  waitingList: {
    establishment: string;
    detainee: string;
    slotStartsAt: string;
    status: string;
    statusLabel: string;
    joinedAt: string;
    offeredAt: string | null;
    offerExpiresAt: string | null;
  }[];
  familyVisits: {
    requests: {
      caseReference: string;
      kind: string;
      kindLabel: string;
      establishment: string;
      detainee: string;
      visitor: { givenName: string; familyName: string; birthdate: string };
      channel: string;
      receivedAt: string;
      status: string;
      statusLabel: string;
      wished: { from: string; to: string; hours: number };
      childExitTime: string | null;
      childCarer: string | null;
      decidedAt: string | null;
      grantedHours: number | null;
      decisionMotivation: string | null;
      withdrawnAt: string | null;
      documents: { kind: string; kindLabel: string; name: string; receivedAt: string; deletedAt: string | null }[];
      history: { at: string; message: string | null }[];
      interviews: { at: string; mode: string; status: string }[];
    }[];
    stays: {
      kind: string;
      kindLabel: string;
      unit: string;
      establishment: string;
      detainee: string;
      startsAt: string;
      endsAt: string;
      status: string;
      statusLabel: string;
    }[];
  };
  appointments: {
    kind: string;
    kindLabel: string;
    reference: string;
    establishment: string;
    place: string;
    startsAt: string;
    endsAt: string;
    status: string;
    statusLabel: string;
    contactEmail: string | null;
    contactPhone: string | null;
    cancelledAt: string | null;
  }[];
  messages: {
    channel: string;
    channelLabel: string;
    to: string;
    subject: string | null;
    text: string | null;
    createdAt: string;
    sentAt: string | null;
    status: string;
    statusLabel: string;
  }[];
  connections: { at: string; event: string; eventLabel: string }[];
  counters: { failedDetaineeLookups: number; failedPermitClaims: number };
  notIncluded: string[];
}

/** A permit's state on `day` (AAAA-MM-JJ) from its status and dates; a permit limited in visits says so in `maxVisits`. */
export function permitStateOn(p: Pick<PermitRow, 'status' | 'validFrom' | 'validTo'>, day: string): PermitState {
  if (p.status !== 'ACTIVE') return p.status as PermitState;
  if (day < p.validFrom) return 'NOT_YET_VALID';
  if (p.validTo && day > p.validTo) return 'EXPIRED';
  return 'ACTIVE';
}

function byKey<T, K extends keyof T>(rows: T[], key: K): Map<T[K], T[]> {
  const map = new Map<T[K], T[]>();
  for (const row of rows) map.set(row[key], [...(map.get(row[key]) ?? []), row]);
  return map;
}

/** The export of the family's data (the JSON file's content), from what the queries read, at `now`. */
export function buildExport(d: FamilyData, now: Date): FamilyDataExport {
  const today = zonedFormat(now, PARIS, 'yyyy-MM-dd');
  const documents = byKey(d.requestDocuments, 'requestId');
  const events = byKey(d.requestEvents, 'requestId');
  const measures = byKey(d.measures, 'permitId');
  const visitors = byKey(d.visitors, 'visitId');
  const fvDocuments = byKey(d.familyVisitDocuments, 'requestId');
  const fvEvents = byKey(d.familyVisitEvents, 'requestId');
  const interviews = byKey(d.interviews, 'requestId');
  const a = d.account;
  return {
    format: 'P2V — données d’un compte famille',
    version: 1,
    generatedAt: isoParis(now),
    timeZone: PARIS,
    account: {
      givenName: a.givenName,
      familyName: a.familyName,
      birthdate: a.birthdate,
      email: a.email,
      mobilePhone: a.mobilePhone,
      createdAt: isoParis(a.createdAt),
      lastSignInAt: isoParis(a.lastSignInAt),
      notificationPreferences: d.preferences.map((p) => ({
        channel: p.channel,
        channelLabel: CHANNEL_LABELS[p.channel],
        address: p.address,
        reminders: p.remindersOptedOutAt === null,
        remindersStoppedAt: isoParis(p.remindersOptedOutAt),
      })),
    },
    permitRequests: d.permitRequests.map((r) => ({
      reference: r.reference,
      status: r.status,
      statusLabel: label(STATUS_LABELS, r.status)!,
      establishment: r.establishmentName,
      detainee: r.detaineeName,
      visitor: { givenName: r.visitorGivenName, familyName: r.visitorFamilyName, birthdate: r.visitorBirthdate, isYou: r.forSelf },
      relationship: label(RELATIONSHIPS, r.relationship),
      relationshipDetail: r.relationshipDetail,
      identityDocumentType: label(ID_DOCUMENT_TYPES, r.idDocumentType),
      comment: r.comment,
      createdAt: isoParis(r.createdAt),
      submittedAt: isoParis(r.submittedAt),
      completeAt: isoParis(r.completeAt),
      documentsDue: r.documentsDue,
      decidedAt: isoParis(r.decidedAt),
      decisionMotivation: r.decisionMotivation,
      withdrawnAt: isoParis(r.withdrawnAt),
      documents: (documents.get(r.id) ?? []).map((doc) => ({
        kind: doc.kind,
        kindLabel: label(DOCUMENT_LABELS, doc.kind)!,
        name: doc.originalName,
        receivedAt: isoParis(doc.receivedAt),
        review: label(REVIEW_LABELS, doc.review)!,
        replaced: !doc.current,
        deletedAt: isoParis(doc.deletedAt),
      })),
      history: (events.get(r.id) ?? []).map((e) => ({
        at: isoParis(e.at),
        status: e.status,
        statusLabel: label(STATUS_LABELS, e.status),
        message: e.message,
      })),
    })),
    permits: d.permits.map((p) => {
      const state = permitStateOn(p, today);
      return {
        establishment: p.establishmentName,
        detainee: p.detaineeName,
        visitor: { givenName: p.visitorGivenName, familyName: p.visitorFamilyName, birthdate: p.visitorBirthdate },
        relationship: label(RELATIONSHIPS, p.relationship)!,
        validFrom: p.validFrom,
        validTo: p.validTo,
        maxVisits: p.maxVisits,
        status: state,
        statusLabel: PERMIT_STATE_LABELS[state],
        statusReason: p.statusReason,
        origin: label(ORIGIN_LABELS, p.origin)!,
        conditions: conditionsText({
          roomCondition: p.roomCondition as 'SEPARATION' | 'ACCESSIBLE' | null,
          allowedDays: p.allowedDays,
          allowedFrom: p.allowedFrom,
          allowedTo: p.allowedTo,
          conditionsNote: p.conditionsNote,
        }),
        photo: p.hasPhoto,
        createdAt: isoParis(p.createdAt),
        linkedToAccountAt: isoParis(p.claimedAt),
        measures: (measures.get(p.id) ?? []).map((m) => ({
          kind: m.kind,
          kindLabel: label(MEASURE_KIND_LABELS, m.kind)!,
          status: m.status,
          statusLabel: label(MEASURE_STATUS_LABELS, m.status)!,
          grounds: m.grounds,
          proposedAt: isoParis(m.proposedAt),
          observationsDue: m.observationsDue,
          observations: m.observations,
          observationsAt: isoParis(m.observationsAt),
          decidedAt: isoParis(m.decidedAt),
          suspendedUntil: m.suspendedUntil,
        })),
      };
    }),
    letters: d.letters.map((l) => ({
      title: l.title,
      kind: l.kind,
      reference: l.reference,
      establishment: l.establishmentName,
      issuedAt: isoParis(l.issuedAt),
    })),
    visits: d.visits.map((v) => ({
      reference: v.reference,
      establishment: v.establishmentName,
      room: v.roomName,
      detainee: v.detaineeName,
      startsAt: isoParis(v.startsAt),
      endsAt: isoParis(v.endsAt),
      status: v.status,
      statusLabel: label(VISIT_STATUS_LABELS, v.status)!,
      booking: label(VISIT_CHANNEL_LABELS, v.channel)!,
      bookedAt: isoParis(v.bookedAt),
      cancelledAt: isoParis(v.cancelledAt),
      visitors: (visitors.get(v.id) ?? []).map((w) => ({
        givenName: w.givenName,
        familyName: w.familyName,
        birthdate: w.birthdate,
        removed: !w.active,
        check: w.checkStatus,
        checkLabel: label(CHECK_LABELS, w.checkStatus),
        refusalReason: w.refusalReason,
        checkedAt: isoParis(w.checkedAt),
      })),
    })),
    waitingList: d.waitlist.map((w) => ({
      establishment: w.establishmentName,
      detainee: w.detaineeName,
      slotStartsAt: isoParis(w.startsAt),
      status: w.status,
      statusLabel: label(WAITLIST_STATUS_LABELS, w.status)!,
      joinedAt: isoParis(w.createdAt),
      offeredAt: isoParis(w.offeredAt),
      offerExpiresAt: isoParis(w.offerExpiresAt),
    })),
    familyVisits: {
      requests: d.familyVisitRequests.map((r) => ({
        caseReference: r.caseReference,
        kind: r.kind,
        kindLabel: label(VISIT_KIND_LABELS, r.kind)!,
        establishment: r.establishmentName,
        detainee: r.detaineeName,
        visitor: { givenName: r.visitorGivenName, familyName: r.visitorFamilyName, birthdate: r.visitorBirthdate },
        channel: label(REQUEST_CHANNEL_LABELS, r.channel)!,
        receivedAt: isoParis(r.receivedAt),
        status: r.status,
        statusLabel: label(FAMILY_VISIT_STATUS_LABELS, r.status)!,
        wished: { from: r.wishedFrom, to: r.wishedTo, hours: r.wishedHours },
        childExitTime: r.childExitTime,
        childCarer: r.childCarer,
        decidedAt: isoParis(r.decidedAt),
        grantedHours: r.grantedHours,
        decisionMotivation: r.decisionMotivation,
        withdrawnAt: isoParis(r.withdrawnAt),
        documents: (fvDocuments.get(r.id) ?? []).map((doc) => ({
          kind: doc.kind,
          kindLabel: label(FAMILY_VISIT_DOCUMENT_LABELS, doc.kind)!,
          name: doc.originalName,
          receivedAt: isoParis(doc.receivedAt),
          deletedAt: isoParis(doc.deletedAt),
        })),
        history: (fvEvents.get(r.id) ?? []).map((e) => ({ at: isoParis(e.at), message: e.message })),
        interviews: (interviews.get(r.id) ?? []).map((i) => ({
          at: isoParis(i.at),
          mode: label(INTERVIEW_MODE_LABELS, i.mode)!,
          status: label(INTERVIEW_STATUS_LABELS, i.status)!,
        })),
      })),
      stays: d.stays.map((s) => ({
        kind: s.kind,
        kindLabel: label(VISIT_KIND_LABELS, s.kind)!,
        unit: s.unitName,
        establishment: s.establishmentName,
        detainee: s.detaineeName,
        startsAt: isoParis(s.startsAt),
        endsAt: isoParis(s.endsAt),
        status: s.status,
        statusLabel: label(STAY_STATUS_LABELS, s.status)!,
      })),
    },
    appointments: d.appointments.map((x) => ({
      kind: x.kind,
      kindLabel: upperFirst(label(APPOINTMENT_KIND_LABELS, x.kind)!),
      reference: x.reference,
      establishment: x.establishmentName,
      place: x.place,
      startsAt: isoParis(x.startsAt),
      endsAt: isoParis(x.endsAt),
      status: x.status,
      statusLabel: label(APPOINTMENT_STATUS_LABELS, x.status)!,
      contactEmail: x.contactEmail,
      contactPhone: x.contactPhone,
      cancelledAt: isoParis(x.cancelledAt),
    })),
    messages: d.messages.map((m) => ({
      channel: m.channel,
      channelLabel: label(CHANNEL_LABELS, m.channel)!,
      to: m.address,
      subject: m.subject,
      // An SMS has no subject: its short text says what it was about.
      text: m.channel === 'SMS' ? m.bodyText : null,
      createdAt: isoParis(m.createdAt),
      sentAt: isoParis(m.sentAt),
      status: m.status,
      statusLabel: label(MESSAGE_STATUS_LABELS, m.status)!,
    })),
    connections: d.connections.map((c) => ({ at: isoParis(c.at), event: c.action, eventLabel: label(CONNECTION_LABELS, c.action)! })),
    counters: { failedDetaineeLookups: d.counters.lookupFailures, failedPermitClaims: d.counters.claimFailures },
    notIncluded: NOT_EXPORTED,
  };
}

// ---- The PDF's content --------------------------------------------------------------------

/** One item of a section: a title (bold) and its lines « Libellé : valeur ». */
export interface PdfBlock {
  title: string;
  lines: string[];
}

/** A section of the PDF: its heading, its items, or the sentence that says there is none. */
export interface PdfSection {
  heading: string;
  blocks: PdfBlock[];
  empty: string;
}

/** An ISO instant of the export, read back: « 12 décembre 2026 à 14 h 00 » (Paris). */
function when(iso: string | null): string | null {
  return iso ? parisDateTime(new Date(iso)) : null;
}

function day(d: string | null): string | null {
  return d ? calendarDayLabel(d) : null;
}

/** « Libellé : valeur » for each value given (a null or empty value leaves its line out). */
function lines(...pairs: [string, string | number | null | undefined][]): string[] {
  return pairs.filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k, v]) => `${k} : ${v}`);
}

const person = (p: { givenName: string | null; familyName: string | null }) => [p.givenName, p.familyName].filter(Boolean).join(' ');

/** The PDF's sections, in French, from the export (the same content as the JSON file). */
export function pdfSections(e: FamilyDataExport): PdfSection[] {
  const a = e.account;
  return [
    {
      heading: 'Mon compte',
      empty: '',
      blocks: [
        {
          title: `${a.givenName} ${a.familyName}`,
          lines: [
            ...lines(
              ['Prénom(s)', a.givenName],
              ['Nom de naissance', a.familyName],
              ['Date de naissance', day(a.birthdate) ?? 'non communiquée'],
              ['Adresse électronique', a.email ?? 'non communiquée'],
              ['Téléphone portable', a.mobilePhone ?? 'non renseigné'],
              ['Compte créé le', when(a.createdAt)],
              ['Dernière connexion', when(a.lastSignInAt)],
            ),
            ...a.notificationPreferences.map(
              (p) =>
                `Rappels par ${p.channelLabel.toLocaleLowerCase('fr')} (${p.address}) : ${p.reminders ? 'oui' : `arrêtés le ${when(p.remindersStoppedAt)}`}`,
            ),
            ...lines(
              ['Recherches de personne détenue sans résultat (gardées 30 jours)', e.counters.failedDetaineeLookups || null],
              ['Codes de permis papier erronés (gardés 30 jours)', e.counters.failedPermitClaims || null],
            ),
          ],
        },
      ],
    },
    {
      heading: 'Mes demandes de permis de visite',
      empty: 'Aucune demande de permis.',
      blocks: e.permitRequests.map((r) => ({
        title: `Demande ${r.reference ?? 'en brouillon'} — ${r.statusLabel}`,
        lines: [
          ...lines(
            ['Personne détenue', r.detainee],
            ['Établissement', r.establishment],
            ['Visiteur', person(r.visitor) || null],
            ['Date de naissance du visiteur', day(r.visitor.birthdate)],
            ['Lien avec la personne détenue', r.relationship],
            ['Précision sur le lien', r.relationshipDetail],
            ['Pièce d’identité', r.identityDocumentType],
            ['Commentaire', r.comment],
            ['Commencée le', when(r.createdAt)],
            ['Envoyée le', when(r.submittedAt)],
            ['Complète le', when(r.completeAt)],
            ['Documents attendus avant le', day(r.documentsDue)],
            ['Décision le', when(r.decidedAt)],
            ['Motif de la décision', r.decisionMotivation],
            ['Retirée le', when(r.withdrawnAt)],
          ),
          ...r.documents.map(
            (doc) =>
              `Document : ${doc.kindLabel}, « ${doc.name} », reçu le ${when(doc.receivedAt)} (${doc.review}${doc.replaced ? ', remplacé' : ''}` +
              `${doc.deletedAt ? `, fichier supprimé le ${when(doc.deletedAt)}` : ''})`,
          ),
          ...r.history.map((h) => `Historique, ${when(h.at)} : ${[h.statusLabel, h.message].filter(Boolean).join(' — ')}`),
        ],
      })),
    },
    {
      heading: 'Mes permis de visite',
      empty: 'Aucun permis lié à votre compte.',
      blocks: e.permits.map((p) => ({
        title: `Permis pour visiter ${p.detainee} — ${p.statusLabel}`,
        lines: [
          ...lines(
            ['Établissement', p.establishment],
            ['Visiteur', person(p.visitor)],
            ['Date de naissance du visiteur', day(p.visitor.birthdate)],
            ['Lien avec la personne détenue', p.relationship],
            ['Origine', p.origin],
            ['Valable à partir du', day(p.validFrom)],
            ['Valable jusqu’au', day(p.validTo) ?? 'sans date de fin'],
            ['Nombre de visites autorisées', p.maxVisits],
            ['Motif du statut', p.statusReason],
            ['Photo', p.photo ? 'oui' : 'non'],
            ['Lié à votre compte le', when(p.linkedToAccountAt)],
          ),
          ...p.conditions.map((c) => `Condition : ${c}`),
          ...p.measures.map(
            (m) =>
              `${m.kindLabel} (${m.statusLabel}), envisagée le ${when(m.proposedAt)} : ${m.grounds}` +
              `${m.observations ? ` — vos observations : ${m.observations}` : ''}${m.decidedAt ? ` — décidée le ${when(m.decidedAt)}` : ''}`,
          ),
        ],
      })),
    },
    {
      heading: 'Mes courriers',
      empty: 'Aucun courrier.',
      blocks: e.letters.map((l) => ({
        title: l.title,
        lines: lines(['Établissement', l.establishment], ['Référence', l.reference], ['Daté du', when(l.issuedAt)]),
      })),
    },
    {
      heading: 'Mes visites au parloir',
      empty: 'Aucune visite.',
      blocks: e.visits.map((v) => ({
        title: `Visite ${v.reference} du ${when(v.startsAt)} — ${v.statusLabel}`,
        lines: [
          ...lines(
            ['Personne détenue', v.detainee],
            ['Établissement', v.establishment],
            ['Parloir', v.room],
            ['Fin', when(v.endsAt)],
            ['Réservation', `${v.booking}, le ${when(v.bookedAt)}`],
            ['Annulée le', when(v.cancelledAt)],
          ),
          ...v.visitors.map(
            (w) =>
              `Visiteur : ${person(w)}${w.birthdate ? `, né(e) le ${day(w.birthdate)}` : ''}${w.removed ? ' (retiré de la visite)' : ''}` +
              `${w.checkLabel ? ` — ${w.checkLabel}${w.checkedAt ? ` le ${when(w.checkedAt)}` : ''}` : ''}${w.refusalReason ? ` : ${w.refusalReason}` : ''}`,
          ),
        ],
      })),
    },
    {
      heading: 'Mes inscriptions sur liste d’attente',
      empty: 'Aucune inscription sur liste d’attente.',
      blocks: e.waitingList.map((w) => ({
        title: `Visite du ${when(w.slotStartsAt)} — ${w.statusLabel}`,
        lines: lines(
          ['Personne détenue', w.detainee],
          ['Établissement', w.establishment],
          ['Inscription le', when(w.joinedAt)],
          ['Place proposée le', when(w.offeredAt)],
          ['Réponse attendue avant le', when(w.offerExpiresAt)],
        ),
      })),
    },
    {
      heading: 'Mes demandes d’UVF et de parloir familial',
      empty: 'Aucune demande d’unité de vie familiale ni de parloir familial.',
      blocks: e.familyVisits.requests.map((r) => ({
        title: `${r.kindLabel}, dossier ${r.caseReference} — ${r.statusLabel}`,
        lines: [
          ...lines(
            ['Personne détenue', r.detainee],
            ['Établissement', r.establishment],
            ['Visiteur', person(r.visitor)],
            ['Date de naissance du visiteur', day(r.visitor.birthdate)],
            ['Reçue le', `${when(r.receivedAt)} (${r.channel.toLocaleLowerCase('fr')})`],
            ['Souhait', `du ${day(r.wished.from)} au ${day(r.wished.to)}, ${r.wished.hours} heures`],
            ['Heure de sortie de l’enfant', r.childExitTime],
            ['Personne qui garde l’enfant', r.childCarer],
            ['Décision le', when(r.decidedAt)],
            ['Durée accordée', r.grantedHours === null ? null : `${r.grantedHours} heures`],
            ['Motif de la décision', r.decisionMotivation],
            ['Retirée le', when(r.withdrawnAt)],
          ),
          ...r.documents.map(
            (doc) =>
              `Document : ${doc.kindLabel}, « ${doc.name} », reçu le ${when(doc.receivedAt)}` +
              `${doc.deletedAt ? ` (fichier supprimé le ${when(doc.deletedAt)})` : ''}`,
          ),
          ...r.interviews.map((i) => `Entretien avec le SPIP : ${when(i.at)}, ${i.mode.toLocaleLowerCase('fr')} — ${i.status}`),
          ...r.history.map((h) => `Historique, ${when(h.at)} : ${h.message ?? ''}`),
        ],
      })),
    },
    {
      heading: 'Mes séjours en UVF et parloir familial',
      empty: 'Aucun séjour.',
      blocks: e.familyVisits.stays.map((s) => ({
        title: `${s.kindLabel} du ${when(s.startsAt)} — ${s.statusLabel}`,
        lines: lines(['Personne détenue', s.detainee], ['Établissement', s.establishment], ['Logement', s.unit], ['Fin', when(s.endsAt)]),
      })),
    },
    {
      heading: 'Mes rendez-vous (convocations, entretiens, visiophonie)',
      empty: 'Aucun rendez-vous.',
      blocks: e.appointments.map((x) => ({
        title: `${x.kindLabel} du ${when(x.startsAt)} — ${x.statusLabel}`,
        lines: lines(
          ['Référence', x.reference],
          ['Établissement', x.establishment],
          ['Lieu', x.place],
          ['Fin', when(x.endsAt)],
          ['Adresse électronique de contact', x.contactEmail],
          ['Téléphone de contact', x.contactPhone],
          ['Annulé le', when(x.cancelledAt)],
        ),
      })),
    },
    {
      heading: 'Les messages que P2V m’a envoyés',
      empty: 'Aucun message.',
      blocks: e.messages.map((m) => ({
        title: `${m.channelLabel} du ${when(m.createdAt)} — ${m.statusLabel}`,
        lines: lines(['À', m.to], ['Objet', m.subject], ['Texte', m.text], ['Envoyé le', when(m.sentAt)]),
      })),
    },
    {
      heading: 'Mes connexions et téléchargements',
      empty: 'Aucune connexion enregistrée.',
      blocks: e.connections.length
        ? [{ title: `${e.connections.length} événement(s)`, lines: e.connections.map((c) => `${when(c.at)} : ${c.eventLabel}`) }]
        : [],
    },
    {
      heading: 'Ce que ce document ne contient pas',
      empty: '',
      blocks: [{ title: 'À savoir', lines: e.notIncluded }],
    },
  ];
}

// ---- Closing the account ------------------------------------------------------------------

/** Why the account cannot be closed yet, plainly, in the family's language (myData:blockers): what is pending, when it becomes possible, what to do. */
export interface Blocker {
  kind: PendingRow['kind'];
  /** What is pending. */
  what: string;
  /** When closing becomes possible, or what to do for it. */
  when: string;
  link: { href: string; label: string };
}

/** « samedi 12 décembre 2026 à 14 h 00 » on a zone's clock, in the request's language (whenLabel in French). */
function whenIn(d: Date, timeZone: string): string {
  const language = currentLanguage();
  if (language === 'fr') return whenLabel(d, timeZone);
  const locale = intlLocale(language);
  const date = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(d);
  const time = new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
  return tr('myData:blockers.when', { date, time });
}

/** « 12 décembre 2026 » on a zone's calendar, in the request's language (dayLabel in French). */
function dayIn(d: Date, timeZone = PARIS): string {
  const language = currentLanguage();
  if (language === 'fr') return dayLabel(d, timeZone);
  return new Intl.DateTimeFormat(intlLocale(language), { timeZone, day: 'numeric', month: 'long', year: 'numeric' }).format(d);
}

/** One sentence per procedure still pending (the closure's page lists them; none: the account may close). */
export function closureBlockers(pending: PendingRow[]): Blocker[] {
  const b = (key: string, values?: Record<string, unknown>) => tr(`myData:blockers.${key}`, values);
  const when = (d: Date, timeZone: string) => whenIn(d, timeZone);
  const day = (d: Date, timeZone = PARIS) => dayIn(d, timeZone);
  const visit = (kind: string) => (kind === 'UVF' || kind === 'PF' ? b(`visitPhrases.${kind}`) : '');
  return pending.map((p): Blocker => {
    switch (p.kind) {
      case 'PERMIT_REQUEST':
        if (p.status === 'DRAFT')
          return {
            kind: p.kind,
            what: b('draft.what', { date: day(p.at) }),
            when: b('draft.when'),
            link: { href: `/demandes/${p.id}`, label: b('draft.link') },
          };
        return {
          kind: p.kind,
          what: p.detaineeName
            ? b('permitRequest.whatFor', { reference: p.reference, name: p.detaineeName })
            : b('permitRequest.what', { reference: p.reference }),
          when: b('permitRequest.when', { reference: p.reference }),
          link: { href: `/demandes/${p.id}`, label: b('permitRequest.link', { reference: p.reference }) },
        };
      case 'VISIT':
        return {
          kind: p.kind,
          what: b('visit.what', { when: when(p.at, p.timeZone), name: p.detaineeName, reference: p.reference }),
          when: b('visit.when', { date: day(p.at, p.timeZone) }),
          link: { href: '/mes-rendez-vous', label: b('appointmentsLink') },
        };
      case 'WAITLIST':
        return {
          kind: p.kind,
          what: b(p.status === 'OFFERED' ? 'waitlist.offered' : 'waitlist.waiting', { when: when(p.at, p.timeZone), name: p.detaineeName }),
          when: b('waitlist.when', { date: day(p.at, p.timeZone) }),
          link: { href: `/visites/liste-attente/${p.id}`, label: b('waitlist.link') },
        };
      case 'FAMILY_VISIT_REQUEST':
        return {
          kind: p.kind,
          what: b(p.status === 'REFERRED' ? 'familyVisitRequest.referred' : 'familyVisitRequest.examined', {
            visit: visit(p.visitKind),
            reference: p.reference,
          }),
          when: b('familyVisitRequest.when', { reference: p.reference }),
          link: { href: `/uvf/demandes/${p.id}`, label: b('familyVisitRequest.link', { reference: p.reference }) },
        };
      case 'STAY':
        return {
          kind: p.kind,
          what: b('stay.what', { visit: visit(p.visitKind), when: when(p.at, p.timeZone) }),
          when: b('stay.when', { date: day(p.endsAt, p.timeZone) }),
          link: { href: `/uvf/sejours/${p.id}`, label: b('stay.link') },
        };
      case 'APPOINTMENT': {
        const call = p.appointmentKind === 'VIDEO_CALL' ? 'call' : 'interview';
        return {
          kind: p.kind,
          what: b(`appointment.${call}.what`, { when: when(p.at, p.timeZone) }),
          when: b(`appointment.${call}.when`, { date: day(p.endsAt, p.timeZone) }),
          link: { href: '/mes-rendez-vous', label: b('appointmentsLink') },
        };
      }
      case 'PERMIT_MEASURE':
        return {
          kind: p.kind,
          what:
            p.status === 'REFERRED'
              ? b('measure.referred', { name: p.detaineeName })
              : b(p.measureKind === 'SUSPENSION' || p.measureKind === 'WITHDRAWAL' ? `measure.${p.measureKind}` : 'measure.other', {
                  name: p.detaineeName,
                }),
          when: b('measure.when'),
          link: { href: '/permis', label: b('measure.link') },
        };
    }
  });
}
