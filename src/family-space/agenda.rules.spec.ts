import { agenda, appointmentItem, stayItem, visitItem, type AgendaAppointment, type AgendaStay, type AgendaVisit } from './agenda.rules';

const NOW = new Date('2026-11-23T09:00:00Z');
const at = (iso: string) => new Date(iso);

function visit(o: Partial<AgendaVisit> = {}): AgendaVisit {
  return {
    id: 'v1',
    reference: 'K7M2Q9XA',
    status: 'BOOKED',
    startsAt: at('2026-11-25T13:00:00Z'),
    detainee: 'Łukasz Kowalski',
    room: 'Parloir familles 1',
    establishment: 'Centre pénitentiaire de Lille',
    appointmentId: 'a1',
    establishmentId: 'e1',
    timeZone: 'Europe/Paris',
    changeable: true,
    ...o,
  };
}

function appointment(o: Partial<AgendaAppointment> = {}): AgendaAppointment {
  return {
    id: 'a2',
    kind: 'SPIP_INTERVIEW',
    reference: 'R2D2C3PO',
    status: 'BOOKED',
    startsAt: at('2026-11-24T13:30:00Z'),
    place: 'SPIP, accueil du public',
    address: '3 rue Łukasiewicza, 59000 Lille',
    establishmentName: 'Centre pénitentiaire de Lille',
    timeZone: 'Europe/Paris',
    ...o,
  };
}

function stay(o: Partial<AgendaStay> = {}): AgendaStay {
  return {
    id: 's1',
    status: 'BOOKED',
    kind: 'UVF',
    startsAt: at('2026-11-28T09:00:00Z'),
    endsAt: at('2026-11-29T09:00:00Z'),
    unitName: 'UVF 2',
    detaineeName: 'Şükrü YILMAZ',
    establishmentName: 'Centre pénitentiaire de Lille',
    establishmentPhone: '03 20 12 34 56',
    timeZone: 'Europe/Paris',
    ...o,
  };
}

describe('the family’s agenda (« Mes visites et rendez-vous »)', () => {
  it('lists what is to come soonest first, then what is past or cancelled latest first, a visit’s appointment once', () => {
    const { upcoming, past } = agenda(
      {
        visits: [
          visit(),
          visit({ id: 'v0', reference: 'OLDVISIT', status: 'DONE', startsAt: at('2026-11-01T13:00:00Z'), appointmentId: 'a0' }),
        ],
        appointments: [
          // The visit's own appointment: shown as the visit, not twice.
          appointment({ id: 'a1', kind: 'VISIT', reference: 'K7M2Q9XA', startsAt: at('2026-11-25T13:00:00Z') }),
          appointment(),
          appointment({ id: 'a3', kind: 'VIDEO_CALL', reference: 'CANCELED', status: 'CANCELLED', startsAt: at('2026-11-26T08:30:00Z') }),
        ],
        stays: [stay()],
      },
      NOW,
    );
    expect(upcoming.map((i) => [i.kind, i.reference ?? i.title])).toEqual([
      ['SPIP_INTERVIEW', 'R2D2C3PO'],
      ['VISIT', 'K7M2Q9XA'],
      ['UVF', 'Unité de vie familiale (UVF)'],
    ]);
    expect(past.map((i) => [i.reference, i.status])).toEqual([
      ['CANCELED', 'Annulé'],
      ['OLDVISIT', 'Passée'],
    ]);
  });

  it('offers to move and cancel a visit while the delay allows it, then says to call the parloir', () => {
    const open = visitItem(visit(), NOW);
    expect(open.actions).toEqual([
      { href: '/visites/v1/deplacer', label: 'Déplacer', hidden: ' la visite K7M2Q9XA' },
      { href: '/mes-rendez-vous/a1/annuler', label: 'Annuler', hidden: ' la visite K7M2Q9XA' },
    ]);
    expect(open).toMatchObject({ upcoming: true, status: 'Réservée', when: 'mercredi 25 novembre 2026 à 14 h 00', note: null });
    expect(open.details).toEqual(['Avec Łukasz Kowalski', 'Parloir familles 1, Centre pénitentiaire de Lille']);
    const late = visitItem(visit({ changeable: false }), NOW);
    expect(late.actions).toEqual([]);
    expect(late.note).toBe('Le délai pour déplacer ou annuler en ligne est passé : appelez le parloir de l’établissement.');
    expect(visitItem(visit({ status: 'IN_PROGRESS', startsAt: at('2026-11-23T08:30:00Z'), changeable: false }), NOW)).toMatchObject({
      upcoming: true,
      status: 'En cours',
      note: null,
    });
    expect(visitItem(visit({ status: 'CANCELLED' }), NOW)).toMatchObject({ upcoming: false, status: 'Annulée', actions: [] });
  });

  it('offers to cancel an interview or a video call still to come, not one past or cancelled', () => {
    const interview = appointmentItem(appointment(), NOW);
    expect(interview).toMatchObject({
      title: 'Entretien avec le service pénitentiaire d’insertion et de probation (SPIP)',
      status: 'Prévu',
      upcoming: true,
      details: ['Centre pénitentiaire de Lille', 'SPIP, accueil du public, 3 rue Łukasiewicza, 59000 Lille'],
    });
    expect(interview.actions).toEqual([
      { href: '/mes-rendez-vous/a2/annuler', label: 'Annuler', hidden: ' le rendez-vous du mardi 24 novembre 2026 à 14 h 30' },
    ]);
    expect(appointmentItem(appointment({ startsAt: at('2026-11-20T13:30:00Z') }), NOW)).toMatchObject({ status: 'Passé', actions: [] });
    expect(appointmentItem(appointment({ status: 'CANCELLED' }), NOW)).toMatchObject({ status: 'Annulé', actions: [] });
  });

  it('keeps a UVF or PF stay to come until its end, links its page and says to call the establishment with its number to change it', () => {
    const item = stayItem(stay(), NOW);
    expect(item).toMatchObject({ title: 'Unité de vie familiale (UVF)', upcoming: true, status: 'Réservée', reference: null });
    expect(item.actions).toEqual([
      { href: '/uvf/sejours/s1', label: 'Voir la visite', hidden: ' du samedi 28 novembre 2026 à 10 h 00 : ce qu’il faut apporter' },
    ]);
    expect(item.note).toBe('Pour la déplacer ou l’annuler, appelez l’établissement au 03 20 12 34 56.');
    expect(stayItem(stay({ kind: 'PF', establishmentPhone: null }), NOW).note).toBe(
      'Pour la déplacer ou l’annuler, appelez l’établissement.',
    );
    const underway = stay({ status: 'IN_PROGRESS', startsAt: at('2026-11-22T09:00:00Z') });
    expect(stayItem(underway, NOW).upcoming).toBe(true);
    expect(stayItem({ ...underway, status: 'ENDED' }, NOW)).toMatchObject({ upcoming: false, status: 'Passée', note: null });
  });
});
