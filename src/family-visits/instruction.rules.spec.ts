import {
  closestDaysLeft,
  daysLeft,
  decisionDeadline,
  judgeOpinionAwaited,
  juvenileJudgeProblem,
  missingForCpu,
  motivationRefusal,
  type ApplicantState,
  type JuvenileJudgeInput,
} from './instruction.rules';

describe('decision deadline of a UVF / PF request', () => {
  it('falls 2 months after the request was received', () => {
    expect(decisionDeadline(new Date('2026-03-10T09:00:00Z'))).toBe('2026-05-10');
    expect(decisionDeadline(new Date('2026-12-31T09:00:00Z'))).toBe('2027-02-28');
  });

  it('counts the days left, only for requests still to decide, and the closest of a case', () => {
    const now = new Date('2026-04-10T15:00:00Z');
    const paris = 'Europe/Paris';
    expect(daysLeft({ receivedAt: new Date('2026-03-10T09:00:00Z'), status: 'RECEIVED' }, now, paris)).toBe(30);
    expect(daysLeft({ receivedAt: new Date('2026-02-01T09:00:00Z'), status: 'RECEIVED' }, now, paris)).toBe(-9);
    expect(daysLeft({ receivedAt: new Date('2026-03-10T09:00:00Z'), status: 'GRANTED' }, now, paris)).toBeNull();
    expect(
      closestDaysLeft(
        [
          { receivedAt: new Date('2026-03-10T09:00:00Z'), status: 'RECEIVED' },
          { receivedAt: new Date('2026-03-01T09:00:00Z'), status: 'RECEIVED' },
          { receivedAt: new Date('2026-01-01T09:00:00Z'), status: 'WITHDRAWN' },
        ],
        now,
        paris,
      ),
    ).toBe(21);
    expect(closestDaysLeft([], now, paris)).toBeNull();
  });

  it('counts the days left on the establishment’s calendar: a request received at 00:30 in Paris was received that day', () => {
    // 10 March 00:30 in Paris is still 9 March in UTC: the deadline is 10 May, as on the decision page.
    const received = { receivedAt: new Date('2026-03-09T23:30:00Z'), status: 'RECEIVED' };
    expect(daysLeft(received, new Date('2026-04-10T10:00:00Z'), 'Europe/Paris')).toBe(30);
    expect(daysLeft(received, new Date('2026-04-10T10:00:00Z'), 'UTC')).toBe(29);
    // Late in the evening in Paris is already the next day in Paris, not yet in UTC… and the reverse overseas.
    expect(daysLeft(received, new Date('2026-05-10T21:59:00Z'), 'Europe/Paris')).toBe(0);
    expect(daysLeft(received, new Date('2026-05-10T22:00:00Z'), 'Europe/Paris')).toBe(-1);
    expect(
      daysLeft({ receivedAt: new Date('2026-03-10T02:00:00Z'), status: 'RECEIVED' }, new Date('2026-04-10T02:00:00Z'), 'America/Cayenne'),
    ).toBe(30);
  });
});

describe('ready for the CPU', () => {
  const detainee: ApplicantState = {
    requestId: 'd',
    label: 'la personne détenue',
    applicant: 'DETAINEE',
    status: 'RECEIVED',
    rulesAcknowledged: true,
    doneInterviews: 1,
    minor: false,
    parentalConsent: false,
    judgeOpinionAwaited: false,
  };
  const visitor: ApplicantState = { ...detainee, requestId: 'v', label: 'Łucja Nowak', applicant: 'VISITOR' };
  const baby: ApplicantState = {
    ...visitor,
    requestId: 'b',
    label: 'Zeynep Nowak',
    minor: true,
    rulesAcknowledged: false,
    parentalConsent: true,
  };

  it('is ready when every applicant had an interview done and acknowledged the rules', () => {
    expect(missingForCpu([detainee, visitor])).toEqual([]);
  });

  it('says what is missing, applicant by applicant, and ignores withdrawn requests', () => {
    expect(
      missingForCpu([
        { ...detainee, doneInterviews: 0 },
        { ...visitor, rulesAcknowledged: false },
      ]),
    ).toEqual(['Entretien à réaliser avec la personne détenue.', 'Règlement à faire signer par Łucja Nowak.']);
    const withdrawn = { ...visitor, requestId: 'w', label: 'Ali', status: 'WITHDRAWN', doneInterviews: 0 };
    expect(missingForCpu([detainee, visitor, withdrawn])).toEqual([]);
    expect(missingForCpu([detainee, withdrawn])).toEqual(['Aucune demande de visiteur en cours.']);
    expect(missingForCpu([visitor])).toEqual(['La demande de la personne détenue manque au dossier.']);
  });

  it('takes the parental consent as a young child’s written commitment to the rules, and still needs the child’s interview', () => {
    expect(missingForCpu([detainee, visitor, baby])).toEqual([]);
    expect(missingForCpu([detainee, visitor, { ...baby, parentalConsent: false }])).toEqual([
      'Autorisation écrite des titulaires de l’autorité parentale à joindre pour Zeynep Nowak : elle vaut son engagement à respecter le règlement.',
    ]);
    expect(missingForCpu([detainee, visitor, { ...baby, doneInterviews: 0 }])).toEqual(['Entretien à réaliser avec Zeynep Nowak.']);
    // An adult's parental consent (a document filed by mistake) is no signed rules.
    expect(missingForCpu([detainee, { ...visitor, rulesAcknowledged: false, parentalConsent: true }])).toEqual([
      'Règlement à faire signer par Łucja Nowak.',
    ]);
  });

  it('waits for the opinion of the juge des enfants who follows a minor, asked through the PJJ', () => {
    expect(missingForCpu([detainee, visitor, { ...baby, judgeOpinionAwaited: true }])).toEqual([
      'Avis du juge des enfants qui suit Zeynep Nowak à recevoir (demandé par la PJJ).',
    ]);
    expect(judgeOpinionAwaited(null)).toBe(false);
    expect(judgeOpinionAwaited({ followed: false, opinion: null })).toBe(false);
    expect(judgeOpinionAwaited({ followed: true, opinion: null })).toBe(true);
    expect(judgeOpinionAwaited({ followed: true, opinion: 'RESERVED' })).toBe(false);
  });
});

describe('the juge des enfants’ opinion on a minor', () => {
  const asked: JuvenileJudgeInput = {
    followed: true,
    pjjService: 'STEMO de Lille',
    askedOn: '2026-04-02',
    opinion: null,
    receivedOn: null,
    notes: null,
  };
  const today = '2026-04-10';

  it('is asked through a named PJJ service on a day, never in the future', () => {
    expect(juvenileJudgeProblem(asked, today)).toBeNull();
    expect(juvenileJudgeProblem({ ...asked, pjjService: null }, today)?.field).toBe('pjjService');
    expect(juvenileJudgeProblem({ ...asked, askedOn: null }, today)?.field).toBe('askedOn');
    expect(juvenileJudgeProblem({ ...asked, askedOn: '2026-04-11' }, today)?.message).toBe(
      'La demande d’avis ne peut pas être datée dans le futur.',
    );
    expect(
      juvenileJudgeProblem({ followed: false, pjjService: null, askedOn: null, opinion: null, receivedOn: null, notes: null }, today),
    ).toBeNull();
  });

  it('is received on a day between the request for it and today, with the opinion given', () => {
    expect(juvenileJudgeProblem({ ...asked, opinion: 'FAVOURABLE', receivedOn: '2026-04-09' }, today)).toBeNull();
    expect(juvenileJudgeProblem({ ...asked, opinion: 'FAVOURABLE' }, today)?.field).toBe('receivedOn');
    expect(juvenileJudgeProblem({ ...asked, receivedOn: '2026-04-09' }, today)?.field).toBe('opinion');
    expect(juvenileJudgeProblem({ ...asked, opinion: 'RESERVED', receivedOn: '2026-04-01' }, today)?.message).toBe(
      'L’avis ne peut pas avoir été reçu avant d’avoir été demandé.',
    );
    expect(juvenileJudgeProblem({ ...asked, opinion: 'UNFAVOURABLE', receivedOn: '2026-04-11' }, today)?.field).toBe('receivedOn');
  });
});

describe('motivation of a refusal', () => {
  it('rejects a motivation that only cites the disciplinary record', () => {
    expect(motivationRefusal('Nombreux incidents disciplinaires en détention.')).toMatch(/passé disciplinaire ne suffit pas/);
    expect(motivationRefusal('Passage en CDD le 3 mars, sanction de 10 jours.')).not.toBeNull();
    expect(motivationRefusal('Compte rendu d’incident récent')).not.toBeNull();
  });

  it('is not fooled by words that only describe the visit: « visite », « UVF », « parloir », « lien », « projet »', () => {
    expect(motivationRefusal('Son comportement disciplinaire ne permet pas d’autoriser cette visite.')).not.toBeNull();
    expect(motivationRefusal('Le passé disciplinaire de l’intéressé justifie le refus de l’UVF.')).not.toBeNull();
    expect(
      motivationRefusal('Trois sanctions disciplinaires : le lien et le projet de parloir familial n’y changent rien.'),
    ).not.toBeNull();
  });

  it('accepts a motivation that rests on a ground of refusal, even alongside the disciplinary record', () => {
    expect(motivationRefusal('Incidents disciplinaires liés à un trafic de stupéfiants lors des parloirs.')).toBeNull();
    expect(motivationRefusal('Risque pour la sécurité de l’établissement : projet d’évasion signalé.')).toBeNull();
    expect(motivationRefusal('L’intérêt de l’enfant s’y oppose, selon le juge des enfants.')).toBeNull();
    expect(motivationRefusal('Capacité de l’unité atteinte sur la période demandée.')).toBeNull();
  });
});
