import type { PermitLimits } from '../permits/permit-validity';
import {
  custodyRefusal,
  doorVisitors,
  permitStateOverStay,
  permitsRefusal,
  reviewReasons,
  startRefusal,
  stayDays,
  type StayVisitorRow,
} from './stay-door.rules';

const PARIS = 'Europe/Paris';
const valid: PermitLimits = { status: 'ACTIVE', validFrom: '2026-01-01', validTo: null, maxVisits: null, visitsUsed: 0 };
function row(o: Partial<StayVisitorRow> = {}): StayVisitorRow {
  return {
    caseId: 'c',
    requestId: 'r',
    name: 'Ayşe NGUYỄN',
    birthdate: '1985-03-14',
    relationship: 'SPOUSE',
    photoDocumentId: null,
    companionName: null,
    childExitTime: null,
    childCarer: null,
    permit: valid,
    ...o,
  };
}
/** Saturday 5 December 2026 10:00 to Sunday 6 December 10:00 in Paris. */
const stay = { startsAt: new Date('2026-12-05T09:00:00Z'), endsAt: new Date('2026-12-06T09:00:00Z') };

describe('who may enter a stay', () => {
  it('names each visitor with the relationship, a minor with the age and the accompanying adult, and a UVF child’s exit time and carer', () => {
    const [adult, child] = doorVisitors(
      'UVF',
      [
        row({ photoDocumentId: 'photo' }),
        row({
          requestId: 'k',
          name: 'مريم WIŚNIEWSKA',
          birthdate: '2019-12-06',
          relationship: 'DESCENDANT',
          companionName: 'Ayşe NGUYỄN',
          childExitTime: '14:30',
          childCarer: 'Łukasz NGUYỄN',
        }),
      ],
      stay,
      PARIS,
    );
    expect(adult).toEqual({
      requestId: 'r',
      name: 'Ayşe NGUYỄN',
      relationship: 'Époux ou épouse',
      photoDocumentId: 'photo',
      minor: null,
      companion: null,
      childExit: null,
      permitProblem: null,
    });
    // Six the day after the stay starts: six on its first day.
    expect(child.minor).toBe('Mineur (6 ans)');
    expect(child.companion).toBe('Ayşe NGUYỄN');
    expect(child.childExit).toEqual({ time: '14 h 30', carer: 'Łukasz NGUYỄN' });
    expect(child.relationship).toBe('Enfant ou petit-enfant');
  });

  it('a baby is « moins d’un an », a minor without a recorded adult or carer says « non indiqué », no exit time for a PF', () => {
    const [baby] = doorVisitors('UVF', [row({ birthdate: '2026-06-01', childExitTime: '10:00' })], stay, PARIS);
    expect(baby.minor).toBe('Mineur (moins d’un an)');
    expect(baby.companion).toBe('non indiqué');
    expect(baby.childExit).toEqual({ time: '10 h 00', carer: 'non indiqué' });
    const [pf] = doorVisitors('PF', [row({ birthdate: '2016-01-01', childExitTime: '10:00', companionName: 'Ayşe NGUYỄN' })], stay, PARIS);
    expect(pf.childExit).toBeNull();
    expect(pf.minor).toBe('Mineur (10 ans)');
  });

  it('flags a permit that no longer allows the stay, as the permits compute its state', () => {
    const problems = doorVisitors(
      'UVF',
      [
        row({ permit: { ...valid, status: 'SUSPENDED' } }),
        row({ permit: { ...valid, status: 'WITHDRAWN' } }),
        row({ permit: { ...valid, status: 'ON_HOLD' } }),
        // Ends on the first day: does not cover the stay's second day.
        row({ permit: { ...valid, validTo: '2026-12-05' } }),
        row({ permit: { ...valid, validFrom: '2026-12-06' } }),
        row({ permit: { ...valid, maxVisits: 2, visitsUsed: 2 } }),
        row({ permit: { ...valid, validTo: '2026-12-06' } }),
      ],
      stay,
      PARIS,
    ).map((v) => v.permitProblem);
    expect(problems).toEqual([
      'Permis suspendu',
      'Permis retiré',
      'Permis en attente de la réponse du magistrat',
      'Permis expiré',
      'Permis pas encore valide',
      'Permis expiré',
      null,
    ]);
  });
});

describe('a stay booked or moved only for valid permits and a detainee still there', () => {
  it('reads the stay’s days on the establishment’s clock, a stay ending at midnight ending the day before', () => {
    expect(stayDays(stay, PARIS)).toEqual({ first: '2026-12-05', last: '2026-12-06' });
    expect(stayDays({ startsAt: new Date('2026-12-05T17:00:00Z'), endsAt: new Date('2026-12-05T23:00:00Z') }, PARIS)).toEqual({
      first: '2026-12-05',
      last: '2026-12-05',
    });
    expect(permitStateOverStay({ ...valid, validTo: '2026-12-05' }, { first: '2026-12-05', last: '2026-12-05' })).toBe('ACTIVE');
  });

  it('refuses in French naming the visitor whose permit is suspended, withdrawn, expired or not yet valid', () => {
    const days = stayDays(stay, PARIS);
    expect(permitsRefusal([row(), row({ name: 'Łukasz NGUYỄN', permit: { ...valid, status: 'SUSPENDED' } })], days, 'BOOK')).toBe(
      'Le permis de visite de Łukasz NGUYỄN est suspendu : la visite ne peut pas être réservée. L’accès à l’UVF ou au parloir familial demande un permis de visite valable.',
    );
    expect(permitsRefusal([row({ permit: { ...valid, status: 'WITHDRAWN' } })], days, 'MOVE')).toContain(
      'Le permis de visite de Ayşe NGUYỄN est retiré : la visite ne peut pas être déplacée.',
    );
    expect(permitsRefusal([row({ permit: { ...valid, validTo: '2026-12-05' } })], days, 'BOOK')).toContain(
      'n’est valable que jusqu’au 05/12/2026',
    );
    expect(permitsRefusal([row({ permit: { ...valid, validFrom: '2026-12-24' } })], days, 'BOOK')).toContain(
      'n’est valable qu’à partir du 24/12/2026',
    );
    expect(permitsRefusal([row({ permit: { ...valid, maxVisits: 1, visitsUsed: 1 } })], days, 'BOOK')).toContain(
      'ne permet plus de visite (toutes ses visites sont faites ou réservées)',
    );
    expect(permitsRefusal([row()], days, 'BOOK')).toBeNull();
  });

  it('refuses a stay for a detainee released or transferred', () => {
    expect(custodyRefusal('PRESENT', 'BOOK')).toBeNull();
    expect(custodyRefusal('LIBERE', 'BOOK')).toBe('La personne détenue a été libérée : la visite ne peut pas être réservée.');
    expect(custodyRefusal('TRANSFERE', 'MOVE')).toBe(
      'La personne détenue a été transférée dans un autre établissement : la visite ne peut pas être déplacée.',
    );
  });

  it('a stay to come is « à revoir » when the detainee left or a visitor’s permit no longer allows it', () => {
    const visitors = [
      { name: 'Ayşe NGUYỄN', permitProblem: null },
      { name: 'Łukasz NGUYỄN', permitProblem: 'Permis retiré' },
    ];
    const booked = { ...stay, status: 'BOOKED' as const, authorisedUntil: null, authorisationWithdrawnOn: null };
    expect(reviewReasons({ ...booked, custodyStatus: 'TRANSFERE' }, visitors, PARIS)).toEqual([
      'personne détenue transférée',
      'permis retiré (Łukasz NGUYỄN)',
    ]);
    expect(reviewReasons({ ...booked, custodyStatus: 'LIBERE' }, [], PARIS)).toEqual(['personne détenue libérée']);
    expect(reviewReasons({ ...booked, custodyStatus: 'PRESENT' }, [visitors[0]], PARIS)).toEqual([]);
    // Once begun or over, nothing is to review any more (the door shows each permit).
    expect(reviewReasons({ ...booked, status: 'IN_PROGRESS', custodyStatus: 'LIBERE' }, visitors, PARIS)).toEqual([]);
  });

  it('a stay to come is « à revoir » when the magistrate’s authorisation was withdrawn or ended before its last day, on the establishment’s clock', () => {
    const booked = { ...stay, status: 'BOOKED' as const, custodyStatus: 'PRESENT' as const };
    // Withdrawn on 4 December: the authorisation ended on the 3rd.
    expect(reviewReasons({ ...booked, authorisedUntil: '2026-12-03', authorisationWithdrawnOn: '2026-12-04' }, [], PARIS)).toEqual([
      'autorisation du magistrat annulée le 04/12/2026',
    ]);
    // A temporary authorisation ending on the 5th does not cover a stay ending on the 6th; ending on the 6th, it does.
    expect(reviewReasons({ ...booked, authorisedUntil: '2026-12-05', authorisationWithdrawnOn: null }, [], PARIS)).toEqual([
      'autorisation du magistrat expirée (fin le 05/12/2026)',
    ]);
    expect(reviewReasons({ ...booked, authorisedUntil: '2026-12-06', authorisationWithdrawnOn: null }, [], PARIS)).toEqual([]);
    // Withdrawn after the stay's last day: the stay was covered (a withdrawal counts from its own day).
    expect(reviewReasons({ ...booked, authorisedUntil: '2026-12-06', authorisationWithdrawnOn: '2026-12-07' }, [], PARIS)).toEqual([]);
    // The same instant, 5 December 14:00 UTC, is the 5th at 15:00 in Paris but the 6th at 01:00 in Nouméa.
    const late = { ...booked, endsAt: new Date('2026-12-05T14:00:00Z'), authorisedUntil: '2026-12-05', authorisationWithdrawnOn: null };
    expect(reviewReasons(late, [], PARIS)).toEqual([]);
    expect(reviewReasons(late, [], 'Pacific/Noumea')).toEqual(['autorisation du magistrat expirée (fin le 05/12/2026)']);
  });

  it('refuses to start a stay whose detainee left, whose magistrate’s authorisation was withdrawn or ended, or whose visitor’s permit no longer allows it', () => {
    const ok = { ...stay, custodyStatus: 'PRESENT' as const, authorisedUntil: null, authorisationWithdrawnOn: null };
    expect(startRefusal(ok, [row()], PARIS)).toBeNull();
    expect(startRefusal({ ...ok, custodyStatus: 'TRANSFERE' }, [row()], PARIS)).toBe(
      'La personne détenue a été transférée dans un autre établissement : la visite ne peut pas commencer.',
    );
    expect(startRefusal({ ...ok, authorisedUntil: '2026-12-03', authorisationWithdrawnOn: '2026-12-04' }, [row()], PARIS)).toBe(
      'Le magistrat a annulé le 04/12/2026 son autorisation : la visite ne peut pas commencer. Annulez-la.',
    );
    expect(startRefusal({ ...ok, authorisedUntil: '2026-12-05' }, [row()], PARIS)).toBe(
      'L’autorisation du magistrat a pris fin le 05/12/2026, avant la fin de la visite : la visite ne peut pas commencer. Annulez-la.',
    );
    expect(startRefusal(ok, [row({ name: 'Łukasz NGUYỄN', permit: { ...valid, status: 'SUSPENDED' } })], PARIS)).toBe(
      'Le permis de visite de Łukasz NGUYỄN est suspendu : la visite ne peut pas commencer. L’accès à l’UVF ou au parloir familial demande un permis de visite valable.',
    );
  });
});
