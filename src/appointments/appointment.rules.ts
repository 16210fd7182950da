import { intlLocale, type Language } from '../common/i18n';
import { phoneForDisplay } from '../common/phone';
import { trIn } from '../common/translate';

/** Labels and texts of appointments, in French and in the establishment's time zone. */
export type AppointmentKind = 'VISIT' | 'SPIP_INTERVIEW' | 'VIDEO_CALL';

export const KIND_LABELS: Record<AppointmentKind, string> = {
  VISIT: 'visite au parloir',
  SPIP_INTERVIEW: 'entretien avec le service pénitentiaire d’insertion et de probation (SPIP)',
  VIDEO_CALL: 'appel en visiophonie',
};

/** What to bring, per kind of appointment (DOMAIN.md: a valid identity document at the entrance). */
export const WHAT_TO_BRING: Record<AppointmentKind, string> = {
  VISIT:
    'une pièce d’identité en cours de validité (carte d’identité, passeport, titre de séjour ou permis de conduire) et votre convocation',
  SPIP_INTERVIEW: 'une pièce d’identité en cours de validité',
  VIDEO_CALL: 'votre téléphone : vous recevrez un code à 6 chiffres par SMS, valable 5 minutes',
};

const PARIS = 'Europe/Paris';
const formats = new Map<string, { long: Intl.DateTimeFormat; time: Intl.DateTimeFormat; short: Intl.DateTimeFormat }>();

/** The French date formats of an establishment's time zone (Paris, or overseas: Cayenne, La Réunion…), made once. */
function formatsOf(timeZone: string) {
  let f = formats.get(timeZone);
  if (!f) {
    f = {
      long: new Intl.DateTimeFormat('fr-FR', { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }),
      time: new Intl.DateTimeFormat('fr-FR', { timeZone, hour: '2-digit', minute: '2-digit' }),
      short: new Intl.DateTimeFormat('fr-FR', { timeZone, day: '2-digit', month: '2-digit' }),
    };
    formats.set(timeZone, f);
  }
  return f;
}

const otherFormats = new Map<string, { long: Intl.DateTimeFormat; time: Intl.DateTimeFormat }>();

/**
 * "mardi 24 novembre 2026 à 14 h 30", in the establishment's time zone (Paris by default), whatever the
 * server's; in `language` for the family's pages ("Tuesday 24 November 2026 at 14:30"), French by default.
 */
export function whenLabel(d: Date, timeZone = PARIS, language: Language = 'fr'): string {
  if (language === 'fr') {
    const f = formatsOf(timeZone);
    return `${f.long.format(d)} à ${f.time.format(d).replace(':', ' h ')}`;
  }
  const key = `${language}|${timeZone}`;
  let f = otherFormats.get(key);
  if (!f) {
    const locale = intlLocale(language);
    f = {
      long: new Intl.DateTimeFormat(locale, { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }),
      time: new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
    };
    otherFormats.set(key, f);
  }
  return trIn(language)('space:when', { date: f.long.format(d), time: f.time.format(d) });
}

/** "24/11 à 14h30": short enough for an SMS. */
export function whenShort(d: Date, timeZone = PARIS): string {
  const f = formatsOf(timeZone);
  return `${f.short.format(d)} à ${f.time.format(d).replace(':', 'h')}`;
}

/** Says which clock a time is on: "heure de Paris", or the establishment's local time overseas. */
export function zoneNote(timeZone = PARIS): string {
  return timeZone === PARIS ? 'heure de Paris' : 'heure locale';
}

/**
 * Whether a reminder of an appointment is still worth sending, re-checked right before it goes: the
 * reason not to (shown on "Messages envoyés"), or null.
 */
export function reasonNotToRemind(state: { status: 'BOOKED' | 'CANCELLED'; startsAt: Date } | null, now: Date): string | null {
  if (!state) return 'Rendez-vous introuvable';
  if (state.status !== 'BOOKED') return 'Rendez-vous annulé';
  if (state.startsAt.getTime() <= now.getTime()) return 'Rendez-vous déjà passé';
  return null;
}

/** An appointment as the family's pages show it. */
export interface AppointmentCardFields extends PracticalDetails {
  kindLabel: string;
  when: string;
  /** Booked and still to come: it can be cancelled. */
  upcoming: boolean;
}

/** The card of an appointment on the family's pages, in `language` (the kind's label, its time). */
export function cardFields(
  a: PracticalSource & { kind: AppointmentKind; status: 'BOOKED' | 'CANCELLED'; startsAt: Date; timeZone: string },
  now: Date,
  language: Language = 'fr',
): AppointmentCardFields {
  return {
    kindLabel: trIn(language)(`space:kinds.${a.kind}`),
    when: whenLabel(a.startsAt, a.timeZone, language),
    upcoming: a.status === 'BOOKED' && a.startsAt.getTime() > now.getTime(),
    ...practicalDetails(a),
  };
}

/** What an appointment's establishment publishes (establishment_info), as read with the appointment. */
export interface PracticalSource {
  kind: AppointmentKind;
  establishmentCode: string;
  postalAddress: string | null;
  parloirPhone: string | null;
  parloirHours: string | null;
}

/**
 * The practical information an appointment's messages and cards give, each null when not given (a
 * template prints nothing for it): the postal address on one line; for a visit, the visiting
 * room's phone as dialled and its hours; the path of the establishment's practical information
 * page (none for a video call, which is not at the establishment).
 */
export interface PracticalDetails {
  postalAddress: string | null;
  parloirPhone: string | null;
  parloirHours: string | null;
  infoPath: string | null;
}

const oneLine = (text: string | null) => {
  const lines = (text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return lines.length ? lines : null;
};

export function practicalDetails(a: PracticalSource): PracticalDetails {
  const atEstablishment = a.kind !== 'VIDEO_CALL';
  const visit = a.kind === 'VISIT';
  return {
    postalAddress: atEstablishment ? (oneLine(a.postalAddress)?.join(', ') ?? null) : null,
    parloirPhone: visit && a.parloirPhone ? phoneForDisplay(a.parloirPhone) : null,
    parloirHours: visit ? (oneLine(a.parloirHours)?.join(' ; ') ?? null) : null,
    infoPath: atEstablishment ? `/etablissements/${encodeURIComponent(a.establishmentCode)}/infos-pratiques` : null,
  };
}

/** The calendar file's LOCATION: the room, the appointment's place line and the postal address, none twice. */
export function calendarLocation(a: { place: string; address: string }, postalAddress: string | null): string {
  const parts: string[] = [];
  for (const p of [a.place, a.address, postalAddress]) if (p && !parts.includes(p)) parts.push(p);
  return parts.join(', ');
}
