import { dayTimeLabel, interviewCard, sortInterviews, stayVisible, type InterviewOfFamily } from './family-page.rules';

const now = new Date('2026-11-20T10:00:00Z');
const base: InterviewOfFamily = {
  id: 'i1',
  at: new Date('2026-11-24T13:30:00Z'),
  mode: 'IN_PERSON',
  status: 'SCHEDULED',
  appointmentId: 'a1',
  appointmentStatus: 'BOOKED',
  place: 'SPIP, accueil du public',
  address: '1 rue de Łódź, 59000 Lille',
};

describe('the family’s view of its interviews with the SPIP', () => {
  it('says a convocation on the establishment’s clock, where, and links its cancellation on « Mes rendez-vous »', () => {
    const card = interviewCard(base, 'Centre pénitentiaire de Łódź', 'Europe/Paris', now);
    expect(card).toMatchObject({
      when: 'mardi 24 novembre 2026 à 14 h 30',
      zoneNote: 'heure de Paris',
      modeLabel: 'En présentiel',
      where: 'SPIP, accueil du public, 1 rue de Łódź, 59000 Lille',
      statusLabel: 'Prévu',
      upcoming: true,
      cancelUrl: '/mes-rendez-vous/a1/annuler',
      convocation: true,
    });
    const overseas = interviewCard(base, 'Centre pénitentiaire de Ducos', 'America/Martinique', now);
    expect([overseas.when, overseas.zoneNote]).toEqual(['mardi 24 novembre 2026 à 09 h 30', 'heure locale']);
  });

  it('offers no cancellation once the interview is past, done, cancelled, or without a convocation', () => {
    const card = (o: Partial<InterviewOfFamily>) => interviewCard({ ...base, ...o }, 'CP de Łódź', 'Europe/Paris', now);
    expect(card({ at: new Date('2026-11-19T09:00:00Z') })).toMatchObject({ statusLabel: 'Passé (compte rendu à venir)', cancelUrl: null });
    expect(card({ status: 'DONE' })).toMatchObject({ statusLabel: 'Réalisé', cancelUrl: null });
    expect(card({ status: 'CANCELLED', appointmentStatus: 'CANCELLED' })).toMatchObject({ statusLabel: 'Annulé', cancelUrl: null });
    expect(card({ appointmentId: null, appointmentStatus: null, place: null, address: null })).toMatchObject({
      statusLabel: 'Prévu',
      cancelUrl: null,
      convocation: false,
      where: 'SPIP, CP de Łódź',
    });
    expect(card({ appointmentId: null, place: null, mode: 'PHONE' }).where).toBe('Le SPIP vous appelle');
  });

  it('lists the interviews to come first, soonest first, then the others, latest first', () => {
    const at = (iso: string, upcoming: boolean) => ({ at: new Date(iso), upcoming });
    const sorted = sortInterviews([
      at('2026-10-01T09:00:00Z', false),
      at('2026-12-10T09:00:00Z', true),
      at('2026-11-01T09:00:00Z', false),
      at('2026-12-01T09:00:00Z', true),
    ]);
    expect(sorted.map((s) => s.at.toISOString().slice(0, 10))).toEqual(['2026-12-01', '2026-12-10', '2026-11-01', '2026-10-01']);
  });
});

describe('the family’s view of its stay and history', () => {
  it('shows the case’s stay only to a family with a granted request in the case', () => {
    expect(stayVisible(['GRANTED', 'REFUSED'])).toBe(true);
    expect(stayVisible(['REFUSED'])).toBe(false);
    expect(stayVisible(['RECEIVED', 'WITHDRAWN'])).toBe(false);
  });

  it('dates the history on the establishment’s clock', () => {
    expect(dayTimeLabel(new Date('2026-07-14T08:05:00Z'), 'Europe/Paris')).toBe('14 juillet 2026 à 10 h 05');
    expect(dayTimeLabel(new Date('2026-07-14T08:05:00Z'), 'Indian/Reunion')).toBe('14 juillet 2026 à 12 h 05');
  });
});
