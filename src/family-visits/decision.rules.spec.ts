import {
  answerDuration,
  applicantProblem,
  custodyProblem,
  grantOrderProblem,
  grantProblem,
  implicitlyRejected,
  magistrateAnswerProblem,
  needsMagistrate,
  permitGrantProblem,
  permitReferralProblem,
  refusalProblem,
  sameVisitProblem,
} from './decision.rules';
import type { FamilyVisitRequestStatus } from './family-visit-request.entity';
import { caseStatusAfterWithdrawal } from './requests.rules';

describe('grantProblem', () => {
  it('grants a UVF from 6 to 72 hours by 6-hour steps, and a PF up to 6 hours in one slot or two cumulated', () => {
    expect(grantProblem({ kind: 'UVF', hours: 6, slots: null })).toBeNull();
    expect(grantProblem({ kind: 'UVF', hours: 72, slots: null })).toBeNull();
    expect(grantProblem({ kind: 'UVF', hours: 5, slots: null })).toMatch(/de 6 à 72 heures/);
    expect(grantProblem({ kind: 'UVF', hours: 78, slots: null })).toMatch(/de 6 à 72 heures/);
    expect(grantProblem({ kind: 'UVF', hours: 20, slots: null })).toMatch(/tranches de 6 heures/);
    expect(grantProblem({ kind: 'UVF', hours: 24, slots: 2 })).toMatch(/d’un seul tenant/);
    expect(grantProblem({ kind: 'PF', hours: 6, slots: 2 })).toBeNull();
    expect(grantProblem({ kind: 'PF', hours: 3, slots: 1 })).toBeNull();
    expect(grantProblem({ kind: 'PF', hours: 7, slots: 1 })).toMatch(/au plus 6 heures/);
    expect(grantProblem({ kind: 'PF', hours: 1, slots: 2 })).toMatch(/au moins 2 heures/);
    expect(grantProblem({ kind: 'PF', hours: 4, slots: null })).toMatch(/un créneau ou en deux/);
  });
});

describe('grantOrderProblem', () => {
  it('grants a visitor only once the detainee’s request is granted, for the same duration', () => {
    expect(grantOrderProblem('DETAINEE', undefined, 24)).toBeNull();
    expect(grantOrderProblem('VISITOR', { status: 'RECEIVED', grantedHours: null }, 24)).toMatch(
      /d’abord la demande de la personne détenue/,
    );
    expect(grantOrderProblem('VISITOR', { status: 'REFUSED', grantedHours: null }, 24)).toMatch(/d’abord/);
    expect(grantOrderProblem('VISITOR', { status: 'GRANTED', grantedHours: 24 }, 12)).toMatch(/pour 24 heures/);
    expect(grantOrderProblem('VISITOR', { status: 'GRANTED', grantedHours: 24 }, 24)).toBeNull();
  });
});

describe('refusalProblem', () => {
  const ok = {
    ground: 'SECURITY' as const,
    facts: 'Projection d’objets interdits depuis l’UVF lors de la visite du 3 mars.',
    motivation: 'La sécurité de l’unité et des personnes ne peut être garantie pendant une nouvelle visite.',
    minor: false,
  };
  it('needs a ground, the facts and the motivation; the child’s interest only for a minor', () => {
    expect(refusalProblem(ok)).toBeNull();
    expect(refusalProblem({ ...ok, ground: null })?.field).toBe('ground');
    expect(refusalProblem({ ...ok, ground: 'CHILD_INTEREST' })?.message).toMatch(/visite d’un mineur/);
    expect(refusalProblem({ ...ok, ground: 'CHILD_INTEREST', minor: true })).toBeNull();
    expect(refusalProblem({ ...ok, facts: 'Trop court' })?.field).toBe('facts');
    expect(refusalProblem({ ...ok, motivation: '  ' })?.field).toBe('motivation');
  });
  it('refuses a motivation that rests on the disciplinary record alone', () => {
    const p = refusalProblem({
      ...ok,
      ground: 'GOOD_ORDER',
      facts: 'Trois comptes rendus d’incident en 2026 et une sanction de la commission de discipline.',
      motivation: 'Son comportement disciplinaire ne permet pas de l’autoriser.',
    });
    expect(p?.field).toBe('motivation');
    expect(p?.message).toMatch(/passé disciplinaire ne suffit pas/);
  });
});

describe('implicitlyRejected', () => {
  const received = new Date('2026-12-31T00:00:00Z');
  it('happens the day after the 2-month deadline for a condamné’s request still to decide, never for a prévenu', () => {
    expect(implicitlyRejected({ status: 'RECEIVED', receivedAt: received }, 'CONDAMNE', '2027-02-28')).toBe(false);
    expect(implicitlyRejected({ status: 'RECEIVED', receivedAt: received }, 'CONDAMNE', '2027-03-01')).toBe(true);
    expect(implicitlyRejected({ status: 'GRANTED', receivedAt: received }, 'CONDAMNE', '2027-03-01')).toBe(false);
    expect(implicitlyRejected({ status: 'RECEIVED', receivedAt: received }, 'PREVENU', '2027-06-01')).toBe(false);
    expect(implicitlyRejected({ status: 'RECEIVED', receivedAt: received }, 'MIXTE', '2027-06-01')).toBe(false);
  });
  it('leaves a prévenu’s and a detainee both prévenu and condamné’s visit to the magistrate', () => {
    expect(needsMagistrate('PREVENU')).toBe(true);
    expect(needsMagistrate('MIXTE')).toBe(true);
    expect(needsMagistrate('CONDAMNE')).toBe(false);
  });
});

describe('the case’s status after a decision (caseStatusAfterWithdrawal, the same rule as after a withdrawal)', () => {
  const d = (status: FamilyVisitRequestStatus) => ({ applicant: 'DETAINEE' as const, status });
  const v = (status: FamilyVisitRequestStatus) => ({ applicant: 'VISITOR' as const, status });

  it('a decision that leaves no stay possible closes the case: the detainee refused, or every visitor refused, rejected or withdrawn', () => {
    // Something still to decide (received, or transmitted to the magistrate): unchanged.
    expect(caseStatusAfterWithdrawal('CPU', [d('GRANTED'), v('RECEIVED')], false)).toBe('CPU');
    expect(caseStatusAfterWithdrawal('REFERRED', [d('GRANTED'), v('REFERRED')], false)).toBe('REFERRED');
    // The detainee and a visitor granted: DECIDED, the stay may come.
    expect(caseStatusAfterWithdrawal('CPU', [d('GRANTED'), v('GRANTED'), v('REFUSED')], false)).toBe('DECIDED');
    // No stay possible: CLOSED.
    expect(caseStatusAfterWithdrawal('CPU', [d('REFUSED'), v('REFUSED')], false)).toBe('CLOSED');
    expect(caseStatusAfterWithdrawal('REFERRED', [d('REFUSED'), v('GRANTED')], false)).toBe('CLOSED');
    expect(caseStatusAfterWithdrawal('CPU', [d('GRANTED'), v('REFUSED'), v('WITHDRAWN')], false)).toBe('CLOSED');
    expect(caseStatusAfterWithdrawal('CPU', [d('IMPLICITLY_REJECTED'), v('IMPLICITLY_REJECTED')], false)).toBe('CLOSED');
  });
});

describe('magistrateAnswerProblem', () => {
  it('needs an end date for a temporary authorisation only, and the reasons of a refusal', () => {
    expect(magistrateAnswerProblem({ answer: 'PERMANENT', until: null, reasons: '' }, '2027-01-10')).toBeNull();
    expect(magistrateAnswerProblem({ answer: 'TEMPORARY', until: null, reasons: '' }, '2027-01-10')?.field).toBe('until');
    expect(magistrateAnswerProblem({ answer: 'TEMPORARY', until: '2027-01-09', reasons: '' }, '2027-01-10')?.field).toBe('until');
    expect(magistrateAnswerProblem({ answer: 'TEMPORARY', until: '2027-06-30', reasons: '' }, '2027-01-10')).toBeNull();
    expect(magistrateAnswerProblem({ answer: 'PERMANENT', until: '2027-06-30', reasons: '' }, '2027-01-10')?.field).toBe('until');
    expect(magistrateAnswerProblem({ answer: 'REFUSED', until: null, reasons: 'court' }, '2027-01-10')?.field).toBe('reasons');
    expect(
      magistrateAnswerProblem(
        { answer: 'REFUSED', until: null, reasons: 'Risque de pression sur un témoin de l’instruction.' },
        '2027-01-10',
      ),
    ).toBeNull();
  });
});

describe('answerDuration', () => {
  it('a PF’s authorisation is for the duration and slots the head fixed, never another one posted with the magistrate’s answer', () => {
    const head = { hours: 6, slots: 2 as const };
    expect(answerDuration('PF', { hours: null, slots: null }, head, null)).toEqual({ hours: 6, slots: 2 });
    expect(answerDuration('PF', { hours: 6, slots: 2 }, head, null)).toEqual({ hours: 6, slots: 2 });
    expect(answerDuration('PF', { hours: 4, slots: null }, head, null)).toEqual({
      problem:
        'Pour un parloir familial, le chef d’établissement fixe la durée de la visite (6 heures en deux créneaux cumulés (pause du déjeuner à l’extérieur de l’établissement), indiquée au magistrat) : le magistrat n’autorise que l’accès, sa réponse ne change pas la durée.',
    });
    expect(answerDuration('PF', { hours: null, slots: 1 }, head, null)).toHaveProperty('problem');
    // A PF transmitted before the slots were recorded was proposed in one slot.
    expect(answerDuration('PF', { hours: null, slots: null }, { hours: 3, slots: null }, null)).toEqual({ hours: 3, slots: 1 });
  });

  it('a UVF’s is the magistrate’s own, by default the visit’s once granted, else the one proposed', () => {
    const head = { hours: 24, slots: null };
    expect(answerDuration('UVF', { hours: 12, slots: null }, head, 48)).toEqual({ hours: 12, slots: null });
    expect(answerDuration('UVF', { hours: null, slots: null }, head, 48)).toEqual({ hours: 48, slots: null });
    expect(answerDuration('UVF', { hours: null, slots: 2 }, head, null)).toEqual({ hours: 24, slots: null });
  });
});

describe('applicantProblem', () => {
  const adult = {
    id: 'a',
    status: 'GRANTED' as const,
    minor: false,
    accompaniedBy: null,
    parentalConsent: false,
    doneInterviews: 1,
    rulesAcknowledged: true,
  };
  const child = {
    id: 'c',
    status: 'RECEIVED' as const,
    minor: true,
    accompaniedBy: 'a',
    parentalConsent: true,
    doneInterviews: 1,
    rulesAcknowledged: true,
  };
  it('authorises only an applicant interviewed who signed the rules', () => {
    expect(applicantProblem(adult, [adult])).toBeNull();
    expect(applicantProblem({ ...adult, doneInterviews: 0 }, [adult])).toMatch(/aucun entretien/);
    expect(applicantProblem({ ...adult, rulesAcknowledged: false }, [adult])).toMatch(/pas signé le règlement/);
  });
  it('authorises a minor only with the parental consent on file and the accompanying adult granted', () => {
    expect(applicantProblem(child, [adult, child])).toBeNull();
    expect(applicantProblem({ ...child, parentalConsent: false }, [adult, child])).toMatch(/titulaires de l’autorité parentale/);
    expect(applicantProblem(child, [{ ...adult, status: 'REFUSED' }, child])).toMatch(/un mineur ne vient jamais seul/);
    expect(applicantProblem(child, [{ ...adult, status: 'RECEIVED' }, child])).toMatch(/d’abord la visite de l’adulte/);
    expect(applicantProblem({ ...child, accompaniedBy: null }, [adult, child])).toMatch(/aucun accompagnant/);
  });
  it('takes the parental consent as a minor’s written commitment to the rules, and still needs the interview', () => {
    const baby = { ...child, rulesAcknowledged: false };
    expect(applicantProblem(baby, [adult, baby])).toBeNull();
    expect(applicantProblem({ ...baby, parentalConsent: false }, [adult, baby])).toMatch(/titulaires de l’autorité parentale/);
    expect(applicantProblem({ ...baby, doneInterviews: 0 }, [adult, baby])).toMatch(/aucun entretien/);
    expect(applicantProblem({ ...adult, parentalConsent: true, rulesAcknowledged: false }, [adult])).toMatch(/pas signé le règlement/);
  });
});

describe('permitGrantProblem', () => {
  const permit = { status: 'ACTIVE' as const, validFrom: '2026-01-01', validTo: '2027-06-30', maxVisits: null, visitsUsed: 0 };
  it('a visitor is authorised only while the visit permit is valid that day: not suspended, withdrawn, expired or not yet valid', () => {
    expect(permitGrantProblem(null, null, '2026-12-01')).toBeNull();
    expect(permitGrantProblem(permit, 'Łucja NGUYỄN', '2027-06-30')).toBeNull();
    expect(permitGrantProblem(permit, 'Łucja NGUYỄN', '2027-07-01')).toBe(
      'Le permis de visite de Łucja NGUYỄN a expiré : la visite ne peut pas être autorisée. Vous pouvez refuser la demande.',
    );
    expect(permitGrantProblem({ ...permit, status: 'SUSPENDED' }, 'Łucja NGUYỄN', '2026-12-01')).toMatch(/est suspendu/);
    expect(permitGrantProblem({ ...permit, status: 'WITHDRAWN' }, 'Łucja NGUYỄN', '2026-12-01')).toMatch(/a été retiré/);
    expect(permitGrantProblem({ ...permit, validFrom: '2027-01-01' }, 'Łucja NGUYỄN', '2026-12-01')).toMatch(/pas encore valide/);
    expect(permitGrantProblem({ ...permit, maxVisits: 2, visitsUsed: 2 }, 'Łucja NGUYỄN', '2026-12-01')).toMatch(/a expiré/);
  });
});

describe('permitReferralProblem', () => {
  const permit = { status: 'ACTIVE' as const, validFrom: '2026-01-01', validTo: '2027-06-30', maxVisits: null, visitsUsed: 0 };
  it('a visitor’s request is transmitted to the magistrate only while the visit permit is valid that day, and the refusal names the visitor', () => {
    expect(permitReferralProblem(null, null, '2026-12-01')).toBeNull();
    expect(permitReferralProblem(permit, 'Şükrü ÖZTÜRK', '2026-12-01')).toBeNull();
    expect(permitReferralProblem({ ...permit, status: 'SUSPENDED' }, 'Şükrü ÖZTÜRK', '2026-12-01')).toBe(
      'Le permis de visite de Şükrü ÖZTÜRK est suspendu : sa demande ne peut pas être transmise au magistrat. Attendez que le permis permette de nouveau la visite, ou enregistrez le retrait de la demande.',
    );
    expect(permitReferralProblem({ ...permit, status: 'WITHDRAWN' }, 'Şükrü ÖZTÜRK', '2026-12-01')).toMatch(
      /^Le permis de visite de Şükrü ÖZTÜRK a été retiré : /,
    );
    expect(permitReferralProblem(permit, 'Şükrü ÖZTÜRK', '2027-07-01')).toMatch(/a expiré : sa demande ne peut pas être transmise/);
  });
});

describe('custodyProblem', () => {
  it('nothing is authorised or transmitted for a detainee released or transferred', () => {
    expect(custodyProblem('PRESENT')).toBeNull();
    expect(custodyProblem('LIBERE')).toMatch(/^Personne détenue libérée : /);
    expect(custodyProblem('TRANSFERE')).toMatch(/^Personne détenue transférée : /);
  });
});

describe('sameVisitProblem', () => {
  const r = (id: string, status: 'RECEIVED' | 'REFERRED' | 'GRANTED' | 'REFUSED', grantedHours: number | null = null) => ({
    id,
    status,
    grantedHours,
  });

  it('one visit, one duration: a grant repeats the duration of a request of the case already granted, whoever granted it', () => {
    expect(sameVisitProblem([r('d', 'REFERRED'), r('v', 'REFERRED')], 'd', 12)).toBeNull();
    expect(sameVisitProblem([r('d', 'GRANTED', 12), r('v', 'REFERRED')], 'v', 12)).toBeNull();
    expect(sameVisitProblem([r('d', 'GRANTED', 12), r('v', 'REFERRED')], 'v', 24)).toBe(
      'La visite de ce dossier est déjà accordée pour 12 heures : la même durée vaut pour chaque demande.',
    );
    // A refused request sets nothing; the request's own earlier grant is not compared with itself.
    expect(sameVisitProblem([r('d', 'REFUSED'), r('v', 'REFERRED')], 'v', 24)).toBeNull();
    expect(sameVisitProblem([r('d', 'GRANTED', 12)], 'd', 24)).toBeNull();
  });
});
