import {
  accessibilityWarning,
  authorisationProblem,
  breakNote,
  breakSoon,
  changeProblem,
  detaineeTakenMessage,
  distanceProblem,
  durationProblem,
  endsSoon,
  eventProblem,
  exceptionalHoursRefusal,
  houseRulesOf,
  houseRulesProblem,
  interventionProblem,
  localInstant,
  onBreak,
  parseDuration,
  pfHoursProblem,
  rankWaitingList,
  rebookPossible,
  stayChangeMessage,
  stayGuide,
  stayTimes,
  stayWhenShort,
  transitionProblem,
  type WaitingCase,
  wishedPeriodProblem,
} from './units.rules';

const at = (iso: string) => new Date(iso);
function waiting(caseId: string, o: Partial<WaitingCase> = {}): WaitingCase {
  return {
    caseId,
    kind: 'UVF',
    noLeavePossible: false,
    distanceKm: null,
    lastStayAt: null,
    authorisedAt: at('2026-10-01T10:00:00Z'),
    ...o,
  };
}

describe('waiting list of the UVF / PF units', () => {
  it('ranks detainees without leave first, then far families for PF, then the longest time since the last stay', () => {
    const ranked = rankWaitingList([
      waiting('recent', { lastStayAt: at('2026-09-01T10:00:00Z') }),
      waiting('old', { lastStayAt: at('2026-03-01T10:00:00Z') }),
      waiting('never'),
      waiting('no-leave', { noLeavePossible: true, lastStayAt: at('2026-10-01T10:00:00Z') }),
      waiting('pf-far', { kind: 'PF', distanceKm: 450, lastStayAt: at('2026-09-15T10:00:00Z') }),
      waiting('pf-near', { kind: 'PF', distanceKm: 20, lastStayAt: at('2026-09-20T10:00:00Z') }),
      waiting('uvf-far', { distanceKm: 900, lastStayAt: at('2026-09-30T10:00:00Z') }),
    ]);
    expect(ranked.map((c) => c.caseId)).toEqual(['no-leave', 'pf-far', 'never', 'old', 'recent', 'pf-near', 'uvf-far']);
  });

  it('breaks ties by the oldest authorisation', () => {
    const ranked = rankWaitingList([
      waiting('b', { authorisedAt: at('2026-10-02T10:00:00Z') }),
      waiting('a', { authorisedAt: at('2026-10-01T10:00:00Z') }),
    ]);
    expect(ranked.map((c) => c.caseId)).toEqual(['a', 'b']);
  });
});

describe('the « fin dans 15 minutes » reminder', () => {
  const endsAt = at('2026-12-05T16:00:00Z');
  it('shows for a stay in progress ending within 15 minutes, not before, not after the end', () => {
    expect(endsSoon({ status: 'IN_PROGRESS', endsAt }, at('2026-12-05T15:44:59Z'))).toBe(false);
    expect(endsSoon({ status: 'IN_PROGRESS', endsAt }, at('2026-12-05T15:45:00Z'))).toBe(true);
    expect(endsSoon({ status: 'IN_PROGRESS', endsAt }, at('2026-12-05T15:59:00Z'))).toBe(true);
    expect(endsSoon({ status: 'IN_PROGRESS', endsAt }, at('2026-12-05T16:00:01Z'))).toBe(false);
  });
  it('does not show for a stay not started or already over', () => {
    expect(endsSoon({ status: 'BOOKED', endsAt }, at('2026-12-05T15:50:00Z'))).toBe(false);
    expect(endsSoon({ status: 'ENDED_EARLY', endsAt }, at('2026-12-05T15:50:00Z'))).toBe(false);
  });
});

describe('units and stays', () => {
  it('warns when the establishment has active units but none accessible', () => {
    expect(accessibilityWarning([])).toBeNull();
    expect(accessibilityWarning([{ active: true, accessible: false }])).toMatch(/mobilité réduite/);
    expect(
      accessibilityWarning([
        { active: true, accessible: false },
        { active: false, accessible: true },
      ]),
    ).toMatch(/mobilité réduite/);
    expect(
      accessibilityWarning([
        { active: true, accessible: false },
        { active: true, accessible: true },
      ]),
    ).toBeNull();
  });

  it('UVF lasts 6 to 72 hours, PF at most 6 hours', () => {
    expect(durationProblem('UVF', 5)).toBe('Une visite en UVF dure de 6 à 72 heures.');
    expect(durationProblem('UVF', 6)).toBeNull();
    expect(durationProblem('UVF', 72)).toBeNull();
    expect(durationProblem('UVF', 73)).not.toBeNull();
    expect(durationProblem('PF', 6)).toBeNull();
    expect(durationProblem('PF', 7)).toBe('Une visite en parloir familial dure au plus 6 heures.');
  });

  it('any exit is final: an ended stay never restarts', () => {
    expect(transitionProblem('BOOKED', 'IN_PROGRESS')).toBeNull();
    expect(transitionProblem('IN_PROGRESS', 'ENDED_EARLY')).toBeNull();
    expect(transitionProblem('ENDED_EARLY', 'IN_PROGRESS')).toMatch(/définitive/);
    expect(transitionProblem('ENDED', 'IN_PROGRESS')).toMatch(/définitive/);
    expect(transitionProblem('ENDED_EARLY', 'ENDED')).not.toBeNull();
    expect(transitionProblem('BOOKED', 'ENDED')).not.toBeNull();
  });

  it('after the end, only the exit inventory, lockers and reports may be recorded', () => {
    expect(eventProblem('ENDED', 'EXIT_INVENTORY')).toBeNull();
    expect(eventProblem('ENDED_EARLY', 'ROUND')).toBe('Cette visite est terminée.');
    expect(eventProblem('IN_PROGRESS', 'ROUND')).toBeNull();
  });

  it('reads a start time on the establishment’s clock', () => {
    expect(localInstant('2026-12-05', '10:00', 'Europe/Paris').toISOString()).toBe('2026-12-05T09:00:00.000Z');
    expect(localInstant('2026-12-05', '10:00', 'America/Cayenne').toISOString()).toBe('2026-12-05T13:00:00.000Z');
  });
});

describe('changing a booked stay', () => {
  it('only a stay still to come may be cancelled or moved', () => {
    expect(changeProblem('BOOKED', 'CANCEL')).toBeNull();
    expect(changeProblem('BOOKED', 'MOVE')).toBeNull();
    expect(changeProblem('IN_PROGRESS', 'CANCEL')).toBe('Seule une visite prévue, pas encore commencée, peut être annulée.');
    expect(changeProblem('ENDED', 'MOVE')).toBe('Seule une visite prévue, pas encore commencée, peut être déplacée.');
    expect(changeProblem('ENDED_EARLY', 'CANCEL')).not.toBeNull();
    expect(changeProblem('CANCELLED', 'CANCEL')).toBe('Cette visite est déjà annulée.');
    expect(changeProblem('CANCELLED', 'MOVE')).toBe('Cette visite est déjà annulée.');
  });
});

describe('priority data and unit rules', () => {
  it('the family’s distance is a whole number of kilometres from 0 to 20 000, or unknown', () => {
    for (const ok of [null, 0, 1, 200, 20000]) expect(distanceProblem(ok)).toBeNull();
    for (const bad of [-1, 20001, 12.5, Number.NaN])
      expect(distanceProblem(bad)).toBe('La distance est un nombre entier de kilomètres, de 0 à 20 000.');
  });

  it('a unit’s rules: blank is none, line ends normalised, 4 000 characters at most', () => {
    expect(houseRulesOf('  ')).toBeNull();
    expect(houseRulesOf(undefined)).toBeNull();
    expect(houseRulesOf(' Pas d’alcool.\r\nArrivée à 9 h. ')).toBe('Pas d’alcool.\nArrivée à 9 h.');
    expect(houseRulesProblem('x'.repeat(4000))).toBeNull();
    expect(houseRulesProblem('x'.repeat(4001))).toBe('Le règlement du logement fait au plus 4 000 caractères.');
    expect(houseRulesProblem(null)).toBeNull();
  });

  it('tells the family what to bring and what is forbidden, per kind (note DAP 2014)', () => {
    const uvf = stayGuide('UVF');
    const pf = stayGuide('PF');
    for (const g of [uvf, pf]) {
      expect(g.bring.join(' ')).toContain('pièce d’identité en cours de validité');
      expect(g.bring.join(' ')).toContain('emballage d’origine et non entamés');
      expect(g.forbidden.join(' ')).toContain('Aucun produit alimentaire');
      expect(g.forbidden.join(' ')).toContain('casier');
      expect(g.course.join(' ')).toContain('Arrivez en avance');
      expect(g.course.join(' ')).toContain('inventaire');
    }
    expect(uvf.forbidden.join(' ')).toContain('Les repas sont préparés');
    expect(pf.forbidden.join(' ')).toContain('On ne prépare pas de repas au parloir familial');
  });

  it('a family parlour granted in two cumulated slots: the guide says so and allows the lunch break outside; any other exit is final', () => {
    const twoSlots = stayGuide('PF', 2);
    expect(twoSlots.slots).toBe('en deux créneaux, pause du déjeuner à l’extérieur');
    expect(twoSlots.course.join(' ')).toContain('pause pour déjeuner à l’extérieur de l’établissement');
    expect(twoSlots.course.join(' ')).toContain('En dehors de la pause du déjeuner, toute sortie avant la fin est définitive.');
    expect(twoSlots.course.join(' ')).not.toContain('. Toute sortie avant la fin est définitive.');
    for (const g of [stayGuide('PF', 1), stayGuide('PF'), stayGuide('UVF'), stayGuide('UVF', 2)]) {
      expect(g.slots).toBeNull();
      expect(g.course.join(' ')).toContain('Toute sortie avant la fin est définitive.');
      expect(g.course.join(' ')).not.toContain('déjeuner');
    }
  });
});

describe('what an authorisation covers', () => {
  const granted = { detaineeGranted: true, authorisedUntil: null };
  it('no stay without the detainee’s own request granted, whatever the visitors’ authorisations', () => {
    expect(authorisationProblem({ detaineeGranted: false, authorisedUntil: null }, at('2027-02-10T18:00:00Z'), 'Europe/Paris')).toEqual({
      code: 'NOT_AUTHORISED',
      message: 'La demande de la personne détenue n’est pas accordée : la visite ne peut pas être réservée.',
    });
    expect(authorisationProblem(granted, at('2030-01-01T10:00:00Z'), 'Europe/Paris')).toBeNull();
  });

  it('a magistrate’s temporary authorisation covers stays ending by its last day, on the establishment’s clock', () => {
    const until = { detaineeGranted: true, authorisedUntil: '2027-06-30' };
    // 30 June, 23:30 in Paris (21:30 UTC); a 24-hour stay ending at midnight on 1 July ends on 30 June.
    expect(authorisationProblem(until, at('2027-06-30T21:30:00Z'), 'Europe/Paris')).toBeNull();
    expect(authorisationProblem(until, at('2027-06-30T22:00:00Z'), 'Europe/Paris')).toBeNull();
    expect(authorisationProblem(until, at('2027-06-30T22:30:00Z'), 'Europe/Paris')).toEqual({
      code: 'UNTIL',
      message: 'L’autorisation du magistrat prend fin le 30/06/2027 : la visite doit être terminée ce jour-là au plus tard.',
    });
    // 1 July 00:30 UTC is still 30 June in Cayenne.
    expect(authorisationProblem(until, at('2027-07-01T00:30:00Z'), 'America/Cayenne')).toBeNull();
  });
});

describe('telling the family of a change to its stay', () => {
  it('a moved stay gives the new dates, zone and unit and voids the old date; a cancelled one its reason and that another date will come', () => {
    expect(
      stayChangeMessage({
        change: 'MOVED',
        before: 'samedi 5 décembre 2026 à 10 h 00',
        from: 'samedi 12 décembre 2026 à 14 h 00',
        to: 'dimanche 13 décembre 2026 à 14 h 00',
        unit: 'UVF Ḃ',
        zone: 'heure locale',
        breakFrom: null,
        breakTo: null,
      }),
    ).toBe(
      'Votre visite est déplacée : elle aura lieu du samedi 12 décembre 2026 à 14 h 00 au dimanche 13 décembre 2026 à 14 h 00 (heure locale), en UVF Ḃ. L’ancienne date (samedi 5 décembre 2026 à 10 h 00) n’est plus valable.',
    );
    expect(
      stayChangeMessage({
        change: 'CANCELLED',
        before: 'samedi 5 décembre 2026 à 10 h 00',
        unit: 'UVF Ą',
        zone: 'heure de Paris',
        reason: ' Fuite d’eau dans le logement. ',
        rebook: true,
      }),
    ).toBe(
      'Votre visite du samedi 5 décembre 2026 à 10 h 00 (heure de Paris) en UVF Ą est annulée : Fuite d’eau dans le logement. L’établissement vous proposera une autre date.',
    );
  });

  it('a cancelled stay promises another date only when a new one may be booked: the detainee present and the authorisation in force', () => {
    expect(
      stayChangeMessage({
        change: 'CANCELLED',
        before: 'samedi 5 décembre 2026 à 10 h 00',
        unit: 'UVF Ą',
        zone: 'heure de Paris',
        reason: 'Personne détenue transférée',
        rebook: false,
      }),
    ).toBe(
      'Votre visite du samedi 5 décembre 2026 à 10 h 00 (heure de Paris) en UVF Ą est annulée : Personne détenue transférée. Aucune nouvelle date ne pourra être proposée au titre de ce dossier.',
    );
    const c = { custodyStatus: 'PRESENT' as const, detaineeGranted: true, grantedVisitors: 2, authorisedUntil: null };
    expect(rebookPossible(c, '2026-12-01')).toBe(true);
    expect(rebookPossible({ ...c, custodyStatus: 'TRANSFERE' }, '2026-12-01')).toBe(false);
    expect(rebookPossible({ ...c, custodyStatus: 'LIBERE' }, '2026-12-01')).toBe(false);
    // A magistrate's authorisation ending today still allows a stay today; ended yesterday (or withdrawn today), none.
    expect(rebookPossible({ ...c, authorisedUntil: '2026-12-01' }, '2026-12-01')).toBe(true);
    expect(rebookPossible({ ...c, authorisedUntil: '2026-11-30' }, '2026-12-01')).toBe(false);
    expect(rebookPossible({ ...c, detaineeGranted: false }, '2026-12-01')).toBe(false);
    expect(rebookPossible({ ...c, grantedVisitors: 0 }, '2026-12-01')).toBe(false);
  });
});

describe('a family parlour in two cumulated slots (note DAP 2014, B.1 PF)', () => {
  const twoSlots = { grantedHours: 6, grantedSlots: 2 as const };
  const paris = 'Europe/Paris';
  const times = (r: { day?: string; time?: string; firstDuration?: number | null; secondTime?: string | null }, tz = paris) =>
    stayTimes(twoSlots, { day: '2026-12-03', time: '09:00', firstDuration: 180, secondTime: '13:30', ...r }, tz);
  const iso = (t: ReturnType<typeof times>) =>
    t.ok
      ? [t.times.from, t.times.breakFrom, t.times.breakTo, t.times.to].map((d) => d!.toISOString())
      : { code: t.code, message: t.message };

  it('books the first slot from its start for its length, the second from its start for the rest of the granted hours: one span, the break inside', () => {
    // 09:00–12:00, break, 13:30–16:30 in Paris (UTC+1 in December).
    expect(iso(times({}))).toEqual([
      '2026-12-03T08:00:00.000Z',
      '2026-12-03T11:00:00.000Z',
      '2026-12-03T12:30:00.000Z',
      '2026-12-03T15:30:00.000Z',
    ]);
    // 2 h 30 then 3 h 30, in Cayenne (UTC−3).
    expect(iso(times({ time: '08:30', firstDuration: 150, secondTime: '12:00' }, 'America/Cayenne'))).toEqual([
      '2026-12-03T11:30:00.000Z',
      '2026-12-03T14:00:00.000Z',
      '2026-12-03T15:00:00.000Z',
      '2026-12-03T18:30:00.000Z',
    ]);
    // A UVF or a PF in one slot: one block, no break, whatever else the form sent.
    for (const c of [
      { grantedHours: 24, grantedSlots: 1 as const },
      { grantedHours: 6, grantedSlots: 1 as const },
    ]) {
      const t = stayTimes(c, { day: '2026-12-03', time: '09:00', firstDuration: 60, secondTime: '11:00' }, paris);
      expect(t.ok && [t.times.from.toISOString(), t.times.to.toISOString(), t.times.breakFrom, t.times.breakTo]).toEqual([
        '2026-12-03T08:00:00.000Z',
        new Date(Date.parse('2026-12-03T08:00:00.000Z') + c.grantedHours * 3600_000).toISOString(),
        null,
        null,
      ]);
    }
  });

  it('each slot lasts at least 1 hour, the break 30 minutes to 3 hours, both slots the same day: refused in French on the field to change', () => {
    expect(iso(times({ firstDuration: 59 }))).toEqual({ code: 'FIRST_SLOT', message: 'Le premier créneau dure au moins 1 heure.' });
    expect(iso(times({ firstDuration: 301 }))).toEqual({
      code: 'FIRST_SLOT',
      message: 'Le second créneau dure au moins 1 heure : sur les 6 h accordées, le premier créneau dure au plus 5 h.',
    });
    expect(times({ firstDuration: 60, secondTime: '10:30' }).ok).toBe(true);
    expect(times({ firstDuration: 300, secondTime: '14:30' }).ok).toBe(true);
    expect(iso(times({ secondTime: '12:29' }))).toEqual({
      code: 'SECOND_SLOT',
      message:
        'La pause entre les deux créneaux dure au moins 30 minutes : le premier créneau finit à 12:00, le second commence à 12:30 au plus tôt.',
    });
    // A second slot before the end of the first is no break either.
    expect(iso(times({ secondTime: '10:00' }))).toMatchObject({ code: 'SECOND_SLOT' });
    expect(times({ secondTime: '12:30' }).ok).toBe(true);
    expect(times({ secondTime: '15:00' }).ok).toBe(true);
    expect(iso(times({ secondTime: '15:01' }))).toEqual({
      code: 'SECOND_SLOT',
      message:
        'La pause entre les deux créneaux dure au plus 3 heures : le premier créneau finit à 12:00, le second commence à 15:00 au plus tard.',
    });
    expect(iso(times({ time: '22:00', firstDuration: 150, secondTime: '00:30' }))).toEqual({
      code: 'FIRST_SLOT',
      message: 'Les deux créneaux ont lieu le même jour : le premier créneau doit finir avant minuit.',
    });
    expect(iso(times({ time: '17:00', firstDuration: 60, secondTime: '19:30' }))).toEqual({
      code: 'SECOND_SLOT',
      message: 'Les deux créneaux ont lieu le même jour : le second créneau, de 5 h, finirait après minuit.',
    });
    // Ending at midnight is still the same day.
    expect(times({ time: '17:00', firstDuration: 60, secondTime: '19:00' }).ok).toBe(true);
    expect(iso(times({ firstDuration: null }))).toMatchObject({ code: 'FIRST_SLOT' });
    expect(iso(times({ secondTime: null }))).toMatchObject({ code: 'SECOND_SLOT' });
  });

  it('on a day the clocks change, the times are read on that day’s clock and the lengths are real hours', () => {
    // Sunday 29 March 2026, Paris goes from UTC+1 to UTC+2 at 02:00: a day slot is on summer time.
    expect(iso(times({ day: '2026-03-29' }))).toEqual([
      '2026-03-29T07:00:00.000Z',
      '2026-03-29T10:00:00.000Z',
      '2026-03-29T11:30:00.000Z',
      '2026-03-29T14:30:00.000Z',
    ]);
    // A first slot over the change: 3 real hours from 00:30 end at 04:30 on the wall clock.
    expect(iso(times({ day: '2026-03-29', time: '00:30', secondTime: '05:00' }))).toEqual([
      '2026-03-28T23:30:00.000Z',
      '2026-03-29T02:30:00.000Z',
      '2026-03-29T03:00:00.000Z',
      '2026-03-29T06:00:00.000Z',
    ]);
    expect(iso(times({ day: '2026-03-29', time: '00:30', secondTime: '04:00' }))).toEqual({
      code: 'SECOND_SLOT',
      message:
        'La pause entre les deux créneaux dure au moins 30 minutes : le premier créneau finit à 04:30, le second commence à 05:00 au plus tôt.',
    });
    // Sunday 25 October 2026, back to UTC+1 at 03:00: a day of 25 hours; the day ends at its own midnight.
    expect(iso(times({ day: '2026-10-25', time: '16:00', firstDuration: 60, secondTime: '19:00' }))).toEqual([
      '2026-10-25T15:00:00.000Z',
      '2026-10-25T16:00:00.000Z',
      '2026-10-25T18:00:00.000Z',
      '2026-10-25T23:00:00.000Z',
    ]);
    expect(iso(times({ day: '2026-10-25', time: '16:00', firstDuration: 60, secondTime: '19:01' }))).toMatchObject({ code: 'SECOND_SLOT' });
  });

  it('reads a slot’s length in hours and minutes', () => {
    expect(['3', '3 h', '3h', '3h30', '3 h 30', '3:30', ' 2H05 '].map(parseDuration)).toEqual([180, 180, 180, 210, 210, 210, 125]);
    for (const bad of ['', 'trois', '3h75', '3,5', '-1', '3 h 5']) expect(parseDuration(bad)).toBeNull();
  });

  it('tells the agents the break « pause : visiteurs sortis de 12:00 à 13:30 » and warns 15 minutes before it as before the end', () => {
    const stay = {
      status: 'IN_PROGRESS' as const,
      startsAt: at('2026-12-03T08:00:00Z'),
      breakFrom: at('2026-12-03T11:00:00Z'),
      breakTo: at('2026-12-03T12:30:00Z'),
      endsAt: at('2026-12-03T15:30:00Z'),
    };
    expect(breakNote(stay, 'Europe/Paris')).toBe('pause : visiteurs sortis de 12:00 à 13:30');
    expect(breakNote({ breakFrom: null, breakTo: null }, 'Europe/Paris')).toBeNull();
    expect(breakSoon(stay, at('2026-12-03T10:44:00Z'))).toBe(false);
    expect(breakSoon(stay, at('2026-12-03T10:45:00Z'))).toBe(true);
    expect(breakSoon(stay, at('2026-12-03T11:00:00Z'))).toBe(true);
    expect(breakSoon(stay, at('2026-12-03T11:01:00Z'))).toBe(false);
    expect(breakSoon({ ...stay, status: 'BOOKED' }, at('2026-12-03T10:50:00Z'))).toBe(false);
    expect(breakSoon({ ...stay, breakFrom: null }, at('2026-12-03T10:50:00Z'))).toBe(false);
    expect(onBreak(stay, at('2026-12-03T10:59:00Z'))).toBe(false);
    expect(onBreak(stay, at('2026-12-03T11:00:00Z'))).toBe(true);
    expect(onBreak(stay, at('2026-12-03T12:30:00Z'))).toBe(false);
    expect(endsSoon(stay, at('2026-12-03T10:50:00Z'))).toBe(false);
  });

  it('says a stay’s times short enough for an SMS: one day with or without the break, or several days', () => {
    const paris = 'Europe/Paris';
    expect(
      stayWhenShort(
        {
          from: at('2026-12-03T08:00:00Z'),
          breakFrom: at('2026-12-03T11:00:00Z'),
          breakTo: at('2026-12-03T12:30:00Z'),
          to: at('2026-12-03T15:30:00Z'),
        },
        paris,
      ),
    ).toBe('le 03/12 de 09h00 à 12h00 puis de 13h30 à 16h30');
    expect(stayWhenShort({ from: at('2026-12-03T08:00:00Z'), to: at('2026-12-03T14:00:00Z'), breakFrom: null, breakTo: null }, paris)).toBe(
      'le 03/12 de 09h00 à 15h00',
    );
    expect(stayWhenShort({ from: at('2026-12-12T13:00:00Z'), to: at('2026-12-13T13:00:00Z'), breakFrom: null, breakTo: null }, paris)).toBe(
      'du 12/12 à 14h00 au 13/12 à 14h00',
    );
    // Until midnight: still that day.
    expect(stayWhenShort({ from: at('2026-12-03T17:00:00Z'), to: at('2026-12-03T23:00:00Z'), breakFrom: null, breakTo: null }, paris)).toBe(
      'le 03/12 de 18h00 à 00h00',
    );
  });

  it('tells the family of a stay moved into two slots with its lunch break, and the guide gives the break’s times', () => {
    expect(
      stayChangeMessage({
        change: 'MOVED',
        before: 'jeudi 3 décembre 2026 à 09 h 00',
        from: 'samedi 5 décembre 2026 à 09 h 00',
        to: 'samedi 5 décembre 2026 à 16 h 30',
        unit: 'PF Ŵ',
        zone: 'heure de Paris',
        breakFrom: '12 h 00',
        breakTo: '13 h 30',
      }),
    ).toBe(
      'Votre visite est déplacée : elle aura lieu du samedi 5 décembre 2026 à 09 h 00 au samedi 5 décembre 2026 à 16 h 30 (heure de Paris), en PF Ŵ, ' +
        'en deux créneaux avec une pause pour déjeuner à l’extérieur de 12 h 00 à 13 h 30. L’ancienne date (jeudi 3 décembre 2026 à 09 h 00) n’est plus valable.',
    );
    expect(stayGuide('PF', 2, { from: '12 h 00', to: '13 h 30' }).course.join(' ')).toContain(
      'pause pour déjeuner à l’extérieur de l’établissement de 12 h 00 à 13 h 30 :',
    );
  });
});

describe('one detainee in one place', () => {
  it('refuses a stay meeting another of the detainee’s stays, naming it on the establishment’s clock, or in general words', () => {
    const other = { unitName: 'PF Ą', startsAt: at('2026-12-05T09:00:00Z'), endsAt: at('2026-12-05T15:00:00Z') };
    expect(detaineeTakenMessage(other, 'Europe/Paris')).toBe(
      'Cette personne détenue a déjà une visite en UVF ou en parloir familial sur cette période (PF Ą, du 05/12/2026 à 10:00 au 05/12/2026 à 16:00) : elle ne peut pas être dans deux logements à la fois.',
    );
    expect(detaineeTakenMessage(other, 'America/Cayenne')).toContain('du 05/12/2026 à 06:00 au 05/12/2026 à 12:00');
    expect(detaineeTakenMessage(null, 'Europe/Paris')).toBe(
      'Cette personne détenue a déjà une visite en UVF ou en parloir familial sur cette période : elle ne peut pas être dans deux logements à la fois.',
    );
  });
});

describe('a family parlour during the detention day (note DAP 2014, PF B.1)', () => {
  const span = (from: string, to: string) => ({ from: at(from), to: at(to), breakFrom: null, breakTo: null });
  it('keeps a PF within the visiting rooms’ opening that day, or refuses in French with the hours', () => {
    const open = { from: '08:30', to: '17:00' };
    // Saturday 5 December 2026 in Paris (UTC+1).
    expect(pfHoursProblem(span('2026-12-05T07:30:00Z', '2026-12-05T13:30:00Z'), open, 'Europe/Paris')).toBeNull();
    expect(pfHoursProblem(span('2026-12-05T10:30:00Z', '2026-12-05T16:30:00Z'), open, 'Europe/Paris')).toBe(
      'Un parloir familial a lieu pendant les heures d’ouverture des parloirs, de 08:30 à 17:00 ce jour-là : choisissez un horaire dans cette plage.',
    );
    expect(pfHoursProblem(span('2026-12-05T07:00:00Z', '2026-12-05T09:00:00Z'), open, 'Europe/Paris')).not.toBeNull();
    expect(pfHoursProblem(span('2026-12-05T09:00:00Z', '2026-12-05T11:00:00Z'), 'CLOSED', 'Europe/Paris')).toBe(
      'Les parloirs ne sont pas ouverts ce jour-là : un parloir familial a lieu pendant les heures d’ouverture des parloirs. Choisissez un autre jour.',
    );
  });

  it('without any visiting slot modelled, refuses a PF starting before 07:00 or ending after 20:00, or over midnight', () => {
    expect(pfHoursProblem(span('2026-12-05T06:00:00Z', '2026-12-05T12:00:00Z'), null, 'Europe/Paris')).toBeNull();
    expect(pfHoursProblem(span('2026-12-05T13:00:00Z', '2026-12-05T19:00:00Z'), null, 'Europe/Paris')).toBeNull();
    expect(pfHoursProblem(span('2026-12-05T05:30:00Z', '2026-12-05T08:00:00Z'), null, 'Europe/Paris')).toBe(
      'Un parloir familial a lieu au cours de la journée de détention, de 07:00 à 20:00 : choisissez un horaire dans cette plage.',
    );
    expect(pfHoursProblem(span('2026-12-05T15:00:00Z', '2026-12-05T19:30:00Z'), null, 'Europe/Paris')).not.toBeNull();
    // 23:00 to 01:00, and a stay ending at midnight, are outside the day.
    expect(pfHoursProblem(span('2026-12-05T22:00:00Z', '2026-12-06T00:00:00Z'), null, 'Europe/Paris')).not.toBeNull();
    expect(pfHoursProblem(span('2026-12-05T18:00:00Z', '2026-12-05T23:00:00Z'), { from: '08:00', to: '24:00' }, 'Europe/Paris')).toBeNull();
    // On the establishment's clock: 07:00 in Cayenne is 10:00 UTC.
    expect(pfHoursProblem(span('2026-12-05T10:00:00Z', '2026-12-05T16:00:00Z'), null, 'America/Cayenne')).toBeNull();
    expect(pfHoursProblem(span('2026-12-05T09:00:00Z', '2026-12-05T15:00:00Z'), null, 'America/Cayenne')).not.toBeNull();
  });
});

describe('a family parlour outside the usual hours, by the head’s exceptional permission (note DAP 2014, PF B.1)', () => {
  const span = (from: string, to: string) => ({ from: at(from), to: at(to), breakFrom: null, breakTo: null });
  it('lifts the usual hours, even on a day the parlours are closed, but not the day: the parlour ends by midnight', () => {
    // 21:00 to 23:00 in Paris, outside 07:00–20:00.
    const evening = span('2026-12-05T20:00:00Z', '2026-12-05T22:00:00Z');
    expect(pfHoursProblem(evening, null, 'Europe/Paris')).not.toBeNull();
    expect(pfHoursProblem(evening, null, 'Europe/Paris', true)).toBeNull();
    expect(pfHoursProblem(evening, 'CLOSED', 'Europe/Paris', true)).toBeNull();
    // Ending at midnight is still the day; 22:30 to 00:30 is not.
    expect(pfHoursProblem(span('2026-12-05T21:00:00Z', '2026-12-05T23:00:00Z'), null, 'Europe/Paris', true)).toBeNull();
    expect(pfHoursProblem(span('2026-12-05T21:30:00Z', '2026-12-05T23:30:00Z'), null, 'Europe/Paris', true)).toBe(
      'Même à titre exceptionnel, un parloir familial a lieu dans la journée : il doit finir à minuit au plus tard.',
    );
  });

  it('is given only by the head or an agent holding a signature delegation in force', () => {
    expect(exceptionalHoursRefusal(false, false)).toBeNull();
    expect(exceptionalHoursRefusal(true, true)).toBeNull();
    expect(exceptionalHoursRefusal(true, false)).toBe(
      'Seul le chef d’établissement, ou un agent titulaire d’une délégation de signature en cours, peut autoriser un parloir familial en dehors des heures habituelles : décochez « Autorisation exceptionnelle du chef d’établissement » ou demandez-lui de réserver.',
    );
  });
});

describe('an intervention during a stay (note DAP 2014, UVF D.2.c)', () => {
  it('on an incident or a suspicion, only on the decision of the head or a delegate, at the occupants’ call no decision needed', () => {
    expect(interventionProblem('CALL', { named: false, signatory: false })).toBeNull();
    expect(interventionProblem('INCIDENT', { named: false, signatory: true })).toBeNull();
    expect(interventionProblem('INCIDENT', { named: true, signatory: true })).toBeNull();
    expect(interventionProblem('INCIDENT', { named: false, signatory: false })).toBe(
      'Une intervention sur incident ou suspicion d’incident n’a lieu que sur décision du chef d’établissement ou d’un agent ayant délégation : indiquez qui l’a décidée (ou, si les occupants ont appelé, choisissez « À l’appel des occupants »).',
    );
    expect(interventionProblem('INCIDENT', { named: true, signatory: false })).toBe(
      'La personne indiquée n’est ni chef d’établissement ni titulaire d’une délégation de signature en cours : choisissez qui a décidé l’intervention.',
    );
  });
});

describe('wishedPeriodProblem', () => {
  const wish = { wishedFrom: '2026-12-01', wishedTo: '2026-12-10' };
  it('books within the wished period, its first and last days included; outside it only once agreed with the family', () => {
    expect(wishedPeriodProblem('2026-12-01', wish, false)).toBeNull();
    expect(wishedPeriodProblem('2026-12-10', wish, false)).toBeNull();
    expect(wishedPeriodProblem('2026-11-30', wish, false)).toBe(
      'La famille a souhaité une visite du 01/12/2026 au 10/12/2026 : cochez « Date convenue avec la famille » pour réserver en dehors de cette période.',
    );
    expect(wishedPeriodProblem('2026-12-11', wish, false)).not.toBeNull();
    expect(wishedPeriodProblem('2026-12-11', wish, true)).toBeNull();
  });

  it('moves a stay outside the wished period only once agreed with the family, as at booking', () => {
    expect(wishedPeriodProblem('2026-12-10', wish, false, 'MOVE')).toBeNull();
    expect(wishedPeriodProblem('2026-12-11', wish, false, 'MOVE')).toBe(
      'La famille a souhaité une visite du 01/12/2026 au 10/12/2026 : cochez « Date convenue avec la famille » pour déplacer la visite en dehors de cette période.',
    );
    expect(wishedPeriodProblem('2026-12-11', wish, true, 'MOVE')).toBeNull();
  });
});
