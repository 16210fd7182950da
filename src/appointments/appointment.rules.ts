/** Labels and texts of appointments, in French and in Europe/Paris time. */
export type AppointmentKind = 'VISIT' | 'SPIP_INTERVIEW' | 'VIDEO_CALL';

export const KIND_LABELS: Record<AppointmentKind, string> = {
  VISIT: 'visite au parloir',
  SPIP_INTERVIEW: 'entretien avec le service pénitentiaire d’insertion et de probation (SPIP)',
  VIDEO_CALL: 'appel en visiophonie',
};

/** What to bring, per kind of appointment (DOMAIN.md: a valid identity document at the entrance). */
export const WHAT_TO_BRING: Record<AppointmentKind, string> = {
  VISIT: 'une pièce d’identité en cours de validité (carte d’identité, passeport, titre de séjour ou permis de conduire) et votre convocation',
  SPIP_INTERVIEW: 'une pièce d’identité en cours de validité',
  VIDEO_CALL: 'votre téléphone : vous recevrez un code à 6 chiffres par SMS, valable 5 minutes',
};

const LONG = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const TIME = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' });
const SHORT = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit' });

/** "mardi 24 novembre 2026 à 14 h 30" (Europe/Paris, whatever the server's time zone). */
export function whenLabel(d: Date): string {
  return `${LONG.format(d)} à ${TIME.format(d).replace(':', ' h ')}`;
}

/** "24/11 à 14h30": short enough for an SMS. */
export function whenShort(d: Date): string {
  return `${SHORT.format(d)} à ${TIME.format(d).replace(':', 'h')}`;
}

/** Booking references people can read over the phone: no 0/O, 1/I. */
export function newReference(random: () => number = Math.random): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return Array.from({ length: 8 }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
}
