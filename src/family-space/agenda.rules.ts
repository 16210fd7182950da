import { whenLabel, type AppointmentKind } from '../appointments/appointment.rules';
import { currentLanguage } from '../common/i18n';
import { phoneForDisplay } from '../common/phone';
import { tr } from '../common/translate';
import type { FamilyVisitKind } from '../family-visits/family-unit.entity';
import type { StayStatus } from '../family-visits/family-visit-stay.entity';
import type { VisitStatus } from '../visits/visit-day.rules';

/**
 * « Mes visites et rendez-vous »: one list of what the family must attend — visits at the parloir,
 * UVF / PF stays, SPIP interviews, video calls — each as a card with its actions, whatever module
 * booked it. Pure: the rows come from each module's service, `now` from the clock.
 */
export type AgendaKind = AppointmentKind | FamilyVisitKind;

/** A link of a card: the visible label and, for screen readers, which item it acts on. */
export interface AgendaAction {
  href: string;
  label: string;
  hidden: string;
}

export interface AgendaItem {
  kind: AgendaKind;
  /** « Visite au parloir », « Unité de vie familiale (UVF) »… */
  title: string;
  /** « mardi 24 novembre 2026 à 14 h 00 », on the establishment's clock. */
  when: string;
  startsAt: Date;
  /** Still to come (or under way): listed first, with its actions. */
  upcoming: boolean;
  status: string;
  reference: string | null;
  /** Whom, where: one line each. */
  details: string[];
  /** The lines of `details` that are data written in French (a room, an establishment, an address): marked lang="fr". */
  frenchDetails: number[];
  actions: AgendaAction[];
  /** What to do when no action is offered online (« appelez… »). */
  note: string | null;
  /** The establishment whose practical information (parloir phone, page) goes on the card: a visit's. */
  establishmentId: string | null;
}

/**
 * The texts of the cards are in the request's language (locales/<language>/space.json; French on
 * staff pages and outside a request), their times on the establishment's clock.
 */

/** A visit's status as the family reads it (the agents' list says « Attendue »): space:visitStatus.<status>. */
export function familyVisitStatus(status: VisitStatus): string {
  return tr(`space:visitStatus.${status}`);
}

export function familyStayStatus(status: StayStatus): string {
  return tr(`space:stayStatus.${status}`);
}

/** A visit too close to be moved or cancelled online: call the parloir, at its number when the establishment gives one. */
export function lateChangeNote(parloirPhone: string | null): string {
  return parloirPhone ? tr('space:card.lateChangeAt', { phone: phoneForDisplay(parloirPhone) }) : tr('space:card.lateChange');
}

/** A visit at the parloir, as the visits module lists the family's visits. */
export interface AgendaVisit {
  id: string;
  reference: string;
  status: VisitStatus;
  startsAt: Date;
  detainee: string;
  room: string;
  establishment: string;
  appointmentId: string | null;
  establishmentId: string;
  timeZone: string;
  /** The family may still move or cancel it online (the establishment's cancellation delay). */
  changeable: boolean;
}

export function visitItem(v: AgendaVisit, now: Date): AgendaItem {
  const upcoming = v.status === 'IN_PROGRESS' || (v.status === 'BOOKED' && v.startsAt.getTime() > now.getTime());
  const actions: AgendaAction[] = [];
  if (upcoming && v.changeable) {
    const hidden = tr('space:card.theVisit', { reference: v.reference });
    actions.push({ href: `/visites/${v.id}/deplacer`, label: tr('space:card.move'), hidden });
    if (v.appointmentId) actions.push({ href: `/mes-rendez-vous/${v.appointmentId}/annuler`, label: tr('space:card.cancel'), hidden });
  }
  return {
    kind: 'VISIT',
    title: tr('space:card.visitTitle'),
    when: whenLabel(v.startsAt, v.timeZone, currentLanguage()),
    startsAt: v.startsAt,
    upcoming,
    status: familyVisitStatus(v.status),
    reference: v.reference,
    details: [tr('space:card.with', { name: v.detainee }), `${v.room}, ${v.establishment}`],
    frenchDetails: [1],
    actions,
    note: upcoming && v.status === 'BOOKED' && !v.changeable ? lateChangeNote(null) : null,
    establishmentId: v.establishmentId,
  };
}

/** An appointment of the appointments module (an interview, a video call; a visit booked without a visit record). */
export interface AgendaAppointment {
  id: string;
  kind: AppointmentKind;
  reference: string;
  status: 'BOOKED' | 'CANCELLED';
  startsAt: Date;
  place: string;
  address: string;
  establishmentName: string;
  timeZone: string;
}

export function appointmentItem(a: AgendaAppointment, now: Date): AgendaItem {
  const when = whenLabel(a.startsAt, a.timeZone, currentLanguage());
  const upcoming = a.status === 'BOOKED' && a.startsAt.getTime() > now.getTime();
  return {
    kind: a.kind,
    title: upperFirst(tr(`space:kinds.${a.kind}`)),
    when,
    startsAt: a.startsAt,
    upcoming,
    status: tr(
      a.status === 'CANCELLED'
        ? 'space:appointmentStatus.cancelled'
        : upcoming
          ? 'space:appointmentStatus.planned'
          : 'space:appointmentStatus.past',
    ),
    reference: a.reference,
    details: [a.establishmentName, `${a.place}, ${a.address}`],
    frenchDetails: [0, 1],
    actions: upcoming
      ? [{ href: `/mes-rendez-vous/${a.id}/annuler`, label: tr('space:card.cancel'), hidden: tr('space:card.theAppointment', { when }) }]
      : [],
    note: null,
    establishmentId: null,
  };
}

const upperFirst = (s: string) => s.charAt(0).toLocaleUpperCase(currentLanguage()) + s.slice(1);

/** A UVF / PF stay of a case where the family holds a granted request. */
export interface AgendaStay {
  id: string;
  status: StayStatus;
  kind: FamilyVisitKind;
  startsAt: Date;
  endsAt: Date;
  unitName: string;
  detaineeName: string;
  establishmentName: string;
  establishmentPhone: string | null;
  timeZone: string;
}

export function stayItem(s: AgendaStay, now: Date): AgendaItem {
  const upcoming = (s.status === 'BOOKED' || s.status === 'IN_PROGRESS') && s.endsAt.getTime() > now.getTime();
  const language = currentLanguage();
  const when = whenLabel(s.startsAt, s.timeZone, language);
  return {
    kind: s.kind,
    title: tr(`space:stayKinds.${s.kind}`),
    when,
    startsAt: s.startsAt,
    upcoming,
    status: familyStayStatus(s.status),
    reference: null,
    details: [
      tr('space:card.with', { name: s.detaineeName }),
      `${s.unitName}, ${s.establishmentName}`,
      tr('space:card.until', { when: whenLabel(s.endsAt, s.timeZone, language) }),
    ],
    frenchDetails: [1],
    actions: [{ href: `/uvf/sejours/${s.id}`, label: tr('space:card.seeStay'), hidden: tr('space:card.theStay', { when }) }],
    note: upcoming
      ? s.establishmentPhone
        ? tr('space:card.stayNoteAt', { phone: s.establishmentPhone })
        : tr('space:card.stayNote')
      : null,
    establishmentId: null,
  };
}

/**
 * The family's agenda: what is to come, soonest first, then what is past or cancelled, latest first.
 * A visit's appointment is shown once, as the visit (with its move and cancel actions).
 */
export function agenda(
  sources: { visits: AgendaVisit[]; appointments: AgendaAppointment[]; stays: AgendaStay[] },
  now: Date,
): { upcoming: AgendaItem[]; past: AgendaItem[] } {
  const visitAppointments = new Set(sources.visits.map((v) => v.appointmentId).filter((id) => id !== null));
  const items = [
    ...sources.visits.map((v) => visitItem(v, now)),
    ...sources.appointments.filter((a) => !visitAppointments.has(a.id)).map((a) => appointmentItem(a, now)),
    ...sources.stays.map((s) => stayItem(s, now)),
  ];
  const time = (i: AgendaItem) => i.startsAt.getTime();
  return {
    upcoming: items.filter((i) => i.upcoming).sort((a, b) => time(a) - time(b)),
    past: items.filter((i) => !i.upcoming).sort((a, b) => time(b) - time(a)),
  };
}
