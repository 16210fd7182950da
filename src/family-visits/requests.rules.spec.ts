import {
  ageOn,
  caseReference,
  caseStatusAfterWithdrawal,
  childExitRefusal,
  consentCompanionRefusal,
  durationChoices,
  durationRefusal,
  isMinorOn,
  onlineCaseToJoin,
  periodRefusal,
  periodsOverlap,
  joinPeriodRefusal,
  receiptRefusal,
  requestAcknowledgement,
  visitorsRefusal,
  withdrawalDayRefusal,
  withdrawalRefusal,
  type VisitorOfRequest,
} from './requests.rules';

const adult: VisitorOfRequest = { key: 'a', name: 'Łucja Nowak', birthdate: '1985-03-14', holdsPermit: true, accompaniedBy: null };
const child: VisitorOfRequest = { key: 'c', name: 'Yusuf حداد', birthdate: '2012-06-01', holdsPermit: true, accompaniedBy: 'a' };

describe('UVF / PF request rules', () => {
  it('a UVF lasts 6 to 72 hours by steps of 6 hours', () => {
    expect(durationChoices('UVF')).toEqual([6, 12, 18, 24, 30, 36, 42, 48, 54, 60, 66, 72]);
    for (const h of [6, 24, 72]) expect(durationRefusal('UVF', h)).toBeNull();
    for (const h of [0, 5, 7, 78, 2.5]) expect(durationRefusal('UVF', h)).not.toBeNull();
    expect(durationRefusal('UVF', 7)).toBe(
      'Une visite en UVF dure de 6 à 72 heures, par tranches de 6 heures. Choisissez une durée dans la liste.',
    );
  });

  it('a family parlour lasts 1 to 6 hours (one slot or two cumulated)', () => {
    expect(durationChoices('PF')).toEqual([1, 2, 3, 4, 5, 6]);
    for (const h of [1, 3, 6]) expect(durationRefusal('PF', h)).toBeNull();
    expect(durationRefusal('PF', 8)).toBe(
      'Un parloir familial dure au plus 6 heures (un créneau ou deux créneaux cumulés). Choisissez une durée plus courte.',
    );
    expect(durationRefusal('PF', 0)).not.toBeNull();
  });

  it('the wished period starts today or later and ends on or after its start', () => {
    expect(periodRefusal('2026-12-01', '2026-12-03', '2026-11-23')).toBeNull();
    expect(periodRefusal('2026-11-23', '2026-11-23', '2026-11-23')).toBeNull();
    expect(periodRefusal('2026-11-22', '2026-12-03', '2026-11-23')).toBe(
      'La période souhaitée ne peut pas commencer dans le passé. Choisissez un jour à partir d’aujourd’hui.',
    );
    expect(periodRefusal('2026-12-03', '2026-12-01', '2026-11-23')).not.toBeNull();
    expect(receiptRefusal('2026-11-24', '2026-11-23')).not.toBeNull();
    expect(receiptRefusal('2026-11-23', '2026-11-23')).toBeNull();
  });

  it('majority is 18 on the wished start', () => {
    expect(ageOn('2008-12-02', '2026-12-01')).toBe(17);
    expect(ageOn('2008-12-01', '2026-12-01')).toBe(18);
    expect(isMinorOn('2008-12-02', '2026-12-01')).toBe(true);
    expect(isMinorOn('2008-12-01', '2026-12-01')).toBe(false);
  });

  it('a minor comes only with an accompanying adult of the same case, even over 16', () => {
    expect(visitorsRefusal('UVF', [adult, child], '2026-12-01')).toBeNull();
    const seventeen = { ...child, birthdate: '2009-06-01', accompaniedBy: null };
    expect(visitorsRefusal('UVF', [seventeen], '2026-12-01')).toBe(
      'Yusuf حداد est mineur : choisissez l’adulte qui l’accompagne parmi les visiteurs.',
    );
    expect(visitorsRefusal('PF', [adult, { ...child, accompaniedBy: 'x' }], '2026-12-01')).not.toBeNull();
    // Accompanied by another minor: refused.
    const sibling = { ...child, key: 's', accompaniedBy: 'a' };
    expect(visitorsRefusal('UVF', [adult, sibling, { ...child, accompaniedBy: 's' }], '2026-12-01')).not.toBeNull();
    // An adult already in the case may accompany.
    expect(visitorsRefusal('UVF', [child], '2026-12-01', [adult])).toBeNull();
    expect(visitorsRefusal('UVF', [], '2026-12-01')).not.toBeNull();
  });

  it('for a family parlour the accompanying adult holds a permit', () => {
    const noPermit = { ...adult, holdsPermit: false };
    expect(visitorsRefusal('PF', [child], '2026-12-01', [noPermit])).toBe(
      'Yusuf حداد est mineur : l’adulte qui l’accompagne au parloir familial doit être titulaire d’un permis de visite.',
    );
    expect(visitorsRefusal('UVF', [noPermit], '2026-12-01')).toBe(
      'Łucja Nowak n’a pas de permis de visite valide pour cette personne détenue. Demandez d’abord un permis de visite pour cette personne.',
    );
  });

  it('a child leaves a UVF only in daytime', () => {
    expect(childExitRefusal('UVF', null)).toBeNull();
    expect(childExitRefusal('UVF', '08:00')).toBeNull();
    expect(childExitRefusal('UVF', '20:00')).toBeNull();
    expect(childExitRefusal('UVF', '07:59')).toBe(
      'Un enfant ne peut sortir qu’en journée, entre 08 h 00 et 20 h 00. Indiquez une heure dans ces horaires.',
    );
    expect(childExitRefusal('UVF', '21:00')).not.toBeNull();
    expect(childExitRefusal('UVF', '8h')).not.toBeNull();
    expect(childExitRefusal('PF', '10:00')).not.toBeNull();
  });

  it('periods overlap when they share a day; references read UV-XXXXXXXX', () => {
    expect(periodsOverlap({ from: '2026-12-01', to: '2026-12-03' }, { from: '2026-12-03', to: '2026-12-05' })).toBe(true);
    expect(periodsOverlap({ from: '2026-12-01', to: '2026-12-02' }, { from: '2026-12-03', to: '2026-12-05' })).toBe(false);
    expect(caseReference('ABCDEFGH')).toBe('UV-ABCDEFGH');
  });

  it('a visitor’s request joins a case only for a wished period overlapping the case’s', () => {
    const c = { from: '2027-03-01', to: '2027-03-10' };
    expect(joinPeriodRefusal({ from: '2027-03-10', to: '2027-03-12' }, c)).toBeNull();
    expect(joinPeriodRefusal({ from: '2027-02-20', to: '2027-03-01' }, c)).toBeNull();
    expect(joinPeriodRefusal({ from: '2027-06-01', to: '2027-06-03' }, c)).toBe(
      'La période souhaitée ne recoupe pas celle du dossier : ouvrez un nouveau dossier.',
    );
  });

  it('acknowledges a condamné’s request with the day of its implicit rejection, the department and the recourse routes; a prévenu’s goes to the magistrate', () => {
    const department = {
      name: 'Centre pénitentiaire de Łódź',
      address: '12 ulica Piotrkowska',
      phone: '01 23 45 67 89',
      email: null,
      interregionalDirection: 'DISP de Lyon',
    };
    const condamne = requestAcknowledgement('2026-12-31', false, department);
    expect(condamne.receivedOn).toBe('31 décembre 2026');
    // 31 December + 2 months is the last day of February.
    expect(condamne.implicitRejectionDate).toBe('28 février 2027');
    expect(condamne.department).toBe('Centre pénitentiaire de Łódź — 12 ulica Piotrkowska — téléphone 01 23 45 67 89');
    expect(condamne.recourse?.join(' ')).toContain(
      'recours hiérarchique auprès du directeur interrégional des services pénitentiaires (DISP de Lyon)',
    );
    const prevenu = requestAcknowledgement('2026-12-31', true, department);
    expect(prevenu).toMatchObject({ magistrate: true, implicitRejectionDate: null, recourse: null, department: condamne.department });
  });

  it('a consent names the minor’s accompanying adult: case, accents, marks and word order aside, in any script', () => {
    const ok = (named: string, companion: string) => consentCompanionRefusal(named, 'Ayşe NOWAK', companion) === null;
    expect(ok('Łukasz Nowak', 'Łukasz NOWAK')).toBe(true);
    expect(ok('lukasz nowak', 'Łukasz NOWAK')).toBe(true);
    expect(ok('NOWAK Łukasz', 'Łukasz NOWAK')).toBe(true);
    expect(ok('Nguyen Thi Anh', 'Nguyễn Thị Ánh')).toBe(true);
    expect(ok('ÁNH Nguyễn Thị', 'Nguyễn Thị ÁNH')).toBe(true);
    expect(ok('Nowak-حداد Łucja', 'Łucja NOWAK-حداد')).toBe(true);
    // Arabic: short vowels, hamza on its carrier and the tatweel aside; the letters themselves count.
    expect(ok('أَحْمَد حداد', 'احمد حداد')).toBe(true);
    expect(ok('احـمد حداد', 'احمد حداد')).toBe(true);
    expect(ok('محمد حداد', 'احمد حداد')).toBe(false);
    expect(ok('Şükrü Öztürk', 'Sukru OZTURK')).toBe(true);
    // Someone else: another first name, a missing name, another person of the family.
    expect(ok('Łucja Nowak', 'Łukasz NOWAK')).toBe(false);
    expect(ok('Nowak', 'Łukasz NOWAK')).toBe(false);
    expect(ok('  ', 'Łukasz NOWAK')).toBe(false);
    expect(consentCompanionRefusal('Łucja Nowak', 'Ayşe NOWAK', 'Łukasz NOWAK')).toBe(
      'L’accord nomme Łucja Nowak, mais l’adulte qui accompagne Ayşe NOWAK est Łukasz NOWAK : l’accord doit nommer l’adulte qui accompagnera l’enfant.',
    );
    expect(consentCompanionRefusal('Łucja Nowak', 'Ayşe NOWAK', null)).toBe(
      'La demande de Ayşe NOWAK n’indique pas l’adulte qui l’accompagne : l’accord ne peut pas être vérifié.',
    );
  });

  it('a request is withdrawn only before its decision, on a day between its receipt and today', () => {
    expect(withdrawalRefusal('RECEIVED')).toBeNull();
    expect(withdrawalRefusal('REFERRED')).toBeNull();
    for (const decided of ['GRANTED', 'REFUSED', 'IMPLICITLY_REJECTED'] as const) {
      expect(withdrawalRefusal(decided)).toBe('Cette demande est déjà décidée : elle ne peut plus être retirée.');
    }
    expect(withdrawalRefusal('WITHDRAWN')).toBe('Cette demande est déjà retirée.');
    expect(withdrawalDayRefusal('2026-12-02', '2026-12-01', '2026-12-05')).toBeNull();
    expect(withdrawalDayRefusal('2026-12-06', '2026-12-01', '2026-12-05')).toBe('La date du retrait ne peut pas être dans le futur.');
    expect(withdrawalDayRefusal('2026-11-30', '2026-12-01', '2026-12-05')).toBe(
      'La date du retrait ne peut pas précéder la réception de la demande.',
    );
  });

  it('a case whose requests are all decided or withdrawn is closed, unless a stay may still come', () => {
    const d = (status: 'RECEIVED' | 'GRANTED' | 'REFUSED' | 'WITHDRAWN' | 'REFERRED') => ({ applicant: 'DETAINEE' as const, status });
    const v = (status: 'RECEIVED' | 'GRANTED' | 'REFUSED' | 'WITHDRAWN' | 'REFERRED') => ({ applicant: 'VISITOR' as const, status });
    // Still something to decide: unchanged.
    expect(caseStatusAfterWithdrawal('INSTRUCTION', [d('RECEIVED'), v('WITHDRAWN')], false)).toBe('INSTRUCTION');
    expect(caseStatusAfterWithdrawal('REFERRED', [d('REFERRED'), v('WITHDRAWN')], false)).toBe('REFERRED');
    // Nothing left: closed.
    expect(caseStatusAfterWithdrawal('INSTRUCTION', [d('WITHDRAWN'), v('WITHDRAWN')], false)).toBe('CLOSED');
    expect(caseStatusAfterWithdrawal('CPU', [d('REFUSED'), v('WITHDRAWN')], false)).toBe('CLOSED');
    expect(caseStatusAfterWithdrawal('CPU', [d('GRANTED'), v('WITHDRAWN')], false)).toBe('CLOSED');
    // The detainee and another visitor granted, or a stay booked: decided, the stay may come.
    expect(caseStatusAfterWithdrawal('CPU', [d('GRANTED'), v('GRANTED'), v('WITHDRAWN')], false)).toBe('DECIDED');
    expect(caseStatusAfterWithdrawal('DECIDED', [d('GRANTED'), v('WITHDRAWN')], true)).toBe('DECIDED');
  });

  it('an online request joins only a case of the same family group, never one where another family is', () => {
    const c = (id: string, o: Partial<{ hasDetaineeRequest: boolean; familyRequests: number; otherVisitorRequests: number }>) => ({
      id,
      hasDetaineeRequest: false,
      familyRequests: 0,
      otherVisitorRequests: 0,
      ...o,
    });
    expect(onlineCaseToJoin([])).toBeNull();
    // Another family's case (with or without the detainee's request): a new case.
    expect(
      onlineCaseToJoin([c('a', { otherVisitorRequests: 1 }), c('b', { hasDetaineeRequest: true, otherVisitorRequests: 2 })]),
    ).toBeNull();
    // A case with only visitors' requests of nobody (withdrawn ones do not count) and no detainee: nothing ties the family to it.
    expect(onlineCaseToJoin([c('a', {})])).toBeNull();
    // The detainee's request alone: joined.
    expect(onlineCaseToJoin([c('a', { hasDetaineeRequest: true })])).toBe('a');
    // The family's own case first, even when a detainee-only case is older.
    expect(onlineCaseToJoin([c('a', { hasDetaineeRequest: true }), c('b', { familyRequests: 1 })])).toBe('b');
    // The family's own case, even where the staff added another family: joined.
    expect(onlineCaseToJoin([c('a', { familyRequests: 1, otherVisitorRequests: 1 })])).toBe('a');
  });
});
