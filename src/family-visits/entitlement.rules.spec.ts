import {
  chosenQuarter,
  daysSinceReceipt,
  entitlement,
  openDuring,
  parseQuarterCode,
  quarterBounds,
  quarterCode,
  quarterFirstDay,
  quarterLabel,
  quarterLastDay,
  quarterOf,
  requestClosedAt,
  requestState,
  selectableQuarters,
  type DetaineeRequestFacts,
} from './entitlement.rules';

const PARIS = 'Europe/Paris';
const Q1_2027 = quarterBounds({ year: 2027, quarter: 1 }, PARIS);
const Q4_2026 = quarterBounds({ year: 2026, quarter: 4 }, PARIS);
const NOW = new Date('2027-02-15T10:00:00Z');

/** A detainee's request received on 10 January 2027, still under instruction. */
function request(o: Partial<DetaineeRequestFacts> = {}): DetaineeRequestFacts {
  return {
    caseId: 'c1',
    receivedAt: new Date('2027-01-10T11:00:00Z'),
    status: 'RECEIVED',
    magistrateAnswer: null,
    decidedAt: null,
    caseStatus: 'INSTRUCTION',
    caseUpdatedAt: new Date('2027-01-10T11:00:00Z'),
    firstStayAt: null,
    ...o,
  };
}

describe('civil quarters on the establishment’s clock', () => {
  it('a quarter starts at midnight on 1 January in Paris, not in UTC', () => {
    // 1 January 2027 00:30 in Paris is still 31 December 2026 23:30 in UTC.
    expect(quarterOf(new Date('2026-12-31T23:30:00Z'), PARIS)).toEqual({ year: 2027, quarter: 1 });
    expect(quarterOf(new Date('2026-12-31T23:30:00Z'), 'UTC')).toEqual({ year: 2026, quarter: 4 });
    // 31 December 23:59 in Paris is still Q4.
    expect(quarterOf(new Date('2026-12-31T22:59:00Z'), PARIS)).toEqual({ year: 2026, quarter: 4 });
    expect(Q1_2027.start).toEqual(new Date('2026-12-31T23:00:00Z'));
    expect(Q4_2026.end).toEqual(Q1_2027.start);
  });

  it('31 March 23:30 in Paris is still Q1, 1 April 00:30 is Q2 (summer time changes nothing)', () => {
    expect(quarterOf(new Date('2027-03-31T21:30:00Z'), PARIS)).toEqual({ year: 2027, quarter: 1 });
    expect(quarterOf(new Date('2027-03-31T22:30:00Z'), PARIS)).toEqual({ year: 2027, quarter: 2 });
    // Q1 ends at midnight on 1 April, summer time (UTC+2).
    expect(Q1_2027.end).toEqual(new Date('2027-03-31T22:00:00Z'));
    // 28 March 2027: the clocks go forward inside Q1, the quarter is still Q1.
    expect(quarterOf(new Date('2027-03-28T01:30:00Z'), PARIS)).toEqual({ year: 2027, quarter: 1 });
  });

  it('names each quarter in French and by its code, with its first and last days', () => {
    expect([1, 2, 3, 4].map((quarter) => quarterLabel({ year: 2027, quarter: quarter as 1 | 2 | 3 | 4 }))).toEqual([
      '1er trimestre 2027',
      '2e trimestre 2027',
      '3e trimestre 2027',
      '4e trimestre 2027',
    ]);
    expect(quarterCode({ year: 2026, quarter: 4 })).toBe('2026-T4');
    expect(parseQuarterCode('2026-T4')).toEqual({ year: 2026, quarter: 4 });
    expect(parseQuarterCode(' 2026-t1 ')).toEqual({ year: 2026, quarter: 1 });
    for (const bad of ['2026-T5', '2026-T0', '2026T4', '2026-Q4', '26-T4', '1999-T4', '', '2026-T4; DROP'])
      expect(parseQuarterCode(bad)).toBeNull();
    expect([1, 2, 3, 4].map((quarter) => quarterFirstDay({ year: 2028, quarter: quarter as 1 | 2 | 3 | 4 }))).toEqual([
      '2028-01-01',
      '2028-04-01',
      '2028-07-01',
      '2028-10-01',
    ]);
    expect([1, 2, 3, 4].map((quarter) => quarterLastDay({ year: 2028, quarter: quarter as 1 | 2 | 3 | 4 }))).toEqual([
      '2028-03-31',
      '2028-06-30',
      '2028-09-30',
      '2028-12-31',
    ]);
  });

  it('offers the current quarter and the 7 before it, anything else falls back to the current one with a French reason', () => {
    const current = { year: 2027, quarter: 1 as const };
    expect(selectableQuarters(current).map(quarterCode)).toEqual([
      '2027-T1',
      '2026-T4',
      '2026-T3',
      '2026-T2',
      '2026-T1',
      '2025-T4',
      '2025-T3',
      '2025-T2',
    ]);
    expect(chosenQuarter(undefined, current)).toEqual({ quarter: current, error: null });
    expect(chosenQuarter('', current)).toEqual({ quarter: current, error: null });
    expect(chosenQuarter('2026-T4', current)).toEqual({ quarter: { year: 2026, quarter: 4 }, error: null });
    expect(chosenQuarter('2025-T2', current).error).toBeNull();
    expect(chosenQuarter('2026-T9', current)).toEqual({
      quarter: current,
      error:
        'Le trimestre demandé n’est pas reconnu : choisissez-le dans la liste (par exemple 2026-T4). Le trimestre en cours est affiché.',
    });
    expect(chosenQuarter(['2026-T4', '2026-T3'], current).quarter).toEqual(current);
    expect(chosenQuarter('2027-T2', current).error).toBe(
      'Le 2e trimestre 2027 n’a pas encore commencé. Le trimestre en cours est affiché.',
    );
    expect(chosenQuarter('2025-T1', current).error).toBe(
      'Le tableau remonte au plus au 2e trimestre 2025 (les 8 derniers trimestres). Le trimestre en cours est affiché.',
    );
  });

  it('counts days since receipt on the establishment’s calendar', () => {
    // Received 1 January 00:30 in Paris (31 December in UTC); 10 January 23:00 in Paris.
    expect(daysSinceReceipt(new Date('2026-12-31T23:30:00Z'), new Date('2027-01-10T22:00:00Z'), PARIS)).toBe(9);
    expect(daysSinceReceipt(new Date('2027-01-10T11:00:00Z'), new Date('2027-01-10T20:00:00Z'), PARIS)).toBe(0);
  });
});

describe('the quarterly entitlement (L341-8)', () => {
  it('a request received in the quarter without any stay is unmet, its reason « en instruction »', () => {
    const e = entitlement([request()], [], Q1_2027, NOW);
    expect(e).toMatchObject({ requested: true, met: false, unmet: true, quarterStayAt: null, lastStayAt: null });
    expect(e.requests.map((r) => r.state)).toEqual(['INSTRUCTION']);
  });

  it('a stay booked, in progress, ended or ended early starting in the quarter meets it, a cancelled one does not', () => {
    const startsAt = new Date('2027-03-20T09:00:00Z');
    for (const status of ['BOOKED', 'IN_PROGRESS', 'ENDED', 'ENDED_EARLY']) {
      const e = entitlement([request({ status: 'GRANTED', firstStayAt: startsAt })], [{ startsAt, status }], Q1_2027, NOW);
      expect(e).toMatchObject({ requested: true, met: true, unmet: false, quarterStayAt: startsAt });
    }
    const cancelled = entitlement([request({ status: 'GRANTED' })], [{ startsAt, status: 'CANCELLED' }], Q1_2027, NOW);
    expect(cancelled).toMatchObject({ met: false, unmet: true });
    expect(cancelled.requests[0].state).toBe('GRANTED_NOT_PLACED');
  });

  it('a stay counts by its start: one starting 31 March 23:00 in Paris meets Q1 even though it ends in April', () => {
    const startsAt = new Date('2027-03-31T21:00:00Z');
    expect(entitlement([], [{ startsAt, status: 'BOOKED' }], Q1_2027, NOW)).toMatchObject({ met: true, requested: true, unmet: false });
    const q2 = quarterBounds({ year: 2027, quarter: 2 }, PARIS);
    expect(entitlement([], [{ startsAt, status: 'BOOKED' }], q2, NOW)).toMatchObject({ met: false, requested: false, unmet: false });
  });

  it('gives each request’s state as the reason: instruction, granted not placed, refused, implicit rejection, at the magistrate', () => {
    const states = [
      request(),
      request({ status: 'GRANTED', decidedAt: new Date('2027-02-01T10:00:00Z') }),
      request({ status: 'REFUSED', decidedAt: new Date('2027-02-01T10:00:00Z') }),
      request({ status: 'IMPLICITLY_REJECTED', decidedAt: new Date('2027-03-10T10:00:00Z') }),
      request({ status: 'REFERRED' }),
      request({ status: 'REFERRED', magistrateAnswer: 'TEMPORARY' }),
      request({ status: 'REFERRED', magistrateAnswer: 'REFUSED', decidedAt: new Date('2027-02-01T10:00:00Z') }),
      request({ caseStatus: 'CLOSED', caseUpdatedAt: new Date('2027-02-01T10:00:00Z') }),
    ].map((r) => requestState(r, Q1_2027));
    expect(states).toEqual([
      'INSTRUCTION',
      'GRANTED_NOT_PLACED',
      'REFUSED',
      'IMPLICITLY_REJECTED',
      'REFERRED',
      'GRANTED_NOT_PLACED',
      'MAGISTRATE_REFUSED',
      'CLOSED',
    ]);
  });

  it('a request received in December and honoured in January counts for the quarter of the stay: Q1 met, Q4 unmet', () => {
    const r = request({
      receivedAt: new Date('2026-12-20T10:00:00Z'),
      status: 'GRANTED',
      decidedAt: new Date('2027-01-05T10:00:00Z'),
      firstStayAt: new Date('2027-01-20T09:00:00Z'),
    });
    const stays = [{ startsAt: new Date('2027-01-20T09:00:00Z'), status: 'ENDED' }];
    expect(entitlement([r], stays, Q1_2027, NOW)).toMatchObject({ requested: true, met: true, unmet: false });
    const q4 = entitlement([r], stays, Q4_2026, NOW);
    expect(q4).toMatchObject({ requested: true, met: false, unmet: true, lastStayAt: new Date('2027-01-20T09:00:00Z') });
    expect(q4.requests.map((x) => x.state)).toEqual(['PLACED_LATER']);
  });

  it('a case still open from an earlier quarter counts as asked, one closed before the quarter does not', () => {
    const carried = request({
      receivedAt: new Date('2026-11-02T10:00:00Z'),
      status: 'GRANTED',
      decidedAt: new Date('2026-12-01T10:00:00Z'),
    });
    expect(entitlement([carried], [], Q1_2027, NOW)).toMatchObject({ requested: true, unmet: true });
    const refusedBefore = request({
      receivedAt: new Date('2026-11-02T10:00:00Z'),
      status: 'REFUSED',
      decidedAt: new Date('2026-12-01T10:00:00Z'),
    });
    expect(openDuring(refusedBefore, Q1_2027)).toBe(false);
    expect(entitlement([refusedBefore], [], Q1_2027, NOW)).toMatchObject({ requested: false, unmet: false });
    // Refused during the quarter: it was open in it, the quarter is unmet.
    const refusedDuring = { ...refusedBefore, decidedAt: new Date('2027-01-05T10:00:00Z') };
    expect(entitlement([refusedDuring], [], Q1_2027, NOW).requests.map((r) => r.state)).toEqual(['REFUSED']);
    // Honoured in the previous quarter: closed at the stay's start.
    const honoured = { ...carried, firstStayAt: new Date('2026-12-10T09:00:00Z') };
    expect(requestClosedAt(honoured)).toEqual(new Date('2026-12-10T09:00:00Z'));
    expect(entitlement([honoured], [{ startsAt: new Date('2026-12-10T09:00:00Z'), status: 'ENDED' }], Q1_2027, NOW)).toMatchObject({
      requested: false,
      met: false,
      unmet: false,
      lastStayAt: new Date('2026-12-10T09:00:00Z'),
    });
  });

  it('a withdrawn request, or one received after the quarter, is no request for it', () => {
    expect(entitlement([request({ status: 'WITHDRAWN' })], [], Q1_2027, NOW).requested).toBe(false);
    expect(entitlement([request({ receivedAt: new Date('2027-04-02T10:00:00Z') })], [], Q1_2027, NOW).requested).toBe(false);
    // Received 1 January 00:30 in Paris: Q1, not Q4.
    const newYear = request({ receivedAt: new Date('2026-12-31T23:30:00Z') });
    expect(openDuring(newYear, Q4_2026)).toBe(false);
    expect(openDuring(newYear, Q1_2027)).toBe(true);
  });

  it('the last stay is the latest one begun by now, a future booked stay is not yet the last one', () => {
    const e = entitlement(
      [request({ status: 'GRANTED', firstStayAt: new Date('2027-03-01T09:00:00Z') })],
      [
        { startsAt: new Date('2026-10-10T09:00:00Z'), status: 'ENDED' },
        { startsAt: new Date('2027-03-01T09:00:00Z'), status: 'BOOKED' },
        { startsAt: new Date('2027-01-02T09:00:00Z'), status: 'CANCELLED' },
      ],
      Q1_2027,
      NOW,
    );
    expect(e).toMatchObject({
      met: true,
      quarterStayAt: new Date('2027-03-01T09:00:00Z'),
      lastStayAt: new Date('2026-10-10T09:00:00Z'),
    });
  });
});
