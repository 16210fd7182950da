import {
  addSums,
  csvFigures,
  displayFigures,
  durationFr,
  emptySums,
  figuresOf,
  hoursSavedOver,
  type MonthSums,
  paperHoursSaved,
  parseGrant,
  parseMonth,
  parseMonthPeriod,
  parseSort,
  refreshFrom,
  scopeLabel,
  sortRows,
  visibleDirections,
} from './oversight.rules';
import { parseOversightArgs } from './oversight-cli.rules';

const sums = (o: Partial<MonthSums>): MonthSums => ({ ...emptySums(), ...o });

describe('national view: scopes', () => {
  it('reads the stored grants, ignoring what it does not know', () => {
    expect(parseGrant('NATIONAL')).toEqual({ scope: 'NATIONAL' });
    expect(parseGrant('INTERREGIONAL:LILLE')).toEqual({ scope: 'INTERREGIONAL', direction: 'LILLE' });
    expect(parseGrant('INTERREGIONAL:ATLANTIS')).toBeNull();
    expect(parseGrant('INTERREGIONAL:toString')).toBeNull();
  });

  it('opens every direction to a national grant, and only their own to interregional ones', () => {
    expect(visibleDirections([{ scope: 'INTERREGIONAL', direction: 'LYON' }, { scope: 'NATIONAL' }])).toBeNull();
    expect(
      visibleDirections([
        { scope: 'INTERREGIONAL', direction: 'PARIS' },
        { scope: 'INTERREGIONAL', direction: 'LILLE' },
        { scope: 'INTERREGIONAL', direction: 'PARIS' },
      ]),
    ).toEqual(['LILLE', 'PARIS']);
    expect(visibleDirections([])).toEqual([]);
    expect(scopeLabel(null)).toBe('France entière');
    expect(scopeLabel(['LILLE', 'OUTRE_MER'])).toBe('DISP de Lille, Mission des services pénitentiaires de l’outre-mer');
  });
});

describe('national view: periods', () => {
  it('shows the last 12 months by default, this one included', () => {
    expect(parseMonthPeriod(undefined, '', '2026-11')).toEqual({ ok: true, from: '2025-12', to: '2026-11' });
    expect(parseMonthPeriod('', '2026-03', '2026-11')).toEqual({ ok: true, from: '2025-04', to: '2026-03' });
  });

  it('reads months as AAAA-MM or MM/AAAA', () => {
    expect(parseMonth('2026-02')).toBe('2026-02');
    expect(parseMonth('2/2026')).toBe('2026-02');
    expect(parseMonth('2026-13')).toBeNull();
    expect(parseMonth('2026-02-01')).toBeNull();
    expect(parseMonthPeriod('03/2026', '2026-05', '2026-11')).toEqual({ ok: true, from: '2026-03', to: '2026-05' });
  });

  it('refuses a wrong month, a reversed period, the future and more than 36 months, in French', () => {
    const refusal = (du: string, au: string) => {
      const r = parseMonthPeriod(du, au, '2026-11');
      return r.ok ? null : `${r.field}: ${r.message}`;
    };
    expect(refusal('2026-00', '')).toBe('du: Du : un mois valide, par exemple 2026-01 (année-mois)');
    expect(refusal('', '30/02/2026')).toBe('au: Au : un mois valide, par exemple 2026-12 (année-mois)');
    expect(refusal('2026-06', '2026-05')).toBe('au: Au : un mois égal ou postérieur au premier mois');
    expect(refusal('', '2026-12')).toBe('au: Au : le mois en cours (2026-11) au plus tard, les chiffres à venir n’existent pas encore');
    expect(parseMonthPeriod('2023-11', '2026-10', '2026-11')).toEqual({ ok: true, from: '2023-11', to: '2026-10' });
    expect(refusal('2023-11', '2026-11')).toBe('au: Au : la période couvre au plus 36 mois');
  });

  it('recomputes the last three months, or 36 when never computed', () => {
    expect(refreshFrom('2026-01', true)).toBe('2025-11');
    expect(refreshFrom('2026-11', false)).toBe('2023-12');
  });
});

describe('national view: figures', () => {
  it('derives the rates from the sums: decisions of the month, absences among the visits that took place or were missed', () => {
    const f = figuresOf(
      sums({
        requestsReceived: 9,
        granted: 6,
        refused: 1,
        implicitlyRejected: 1,
        decisionDaysSum: 35,
        decisionDaysCount: 7,
        visitsBooked: 40,
        visitsOnline: 10,
        visitsHeld: 30,
        visitsNoShow: 5,
        visitsRefused: 5,
        visitsCancelled: 12,
        checkSecondsSum: 900,
        checkCount: 10,
        detainees: 700,
      }),
      3,
    );
    expect(f).toEqual({
      requestsReceived: 9,
      decisions: 8,
      grantRate: 75,
      refusalRate: 12.5,
      implicitRejectionRate: 12.5,
      meanDecisionDays: 5,
      visitsBooked: 40,
      onlineRate: 25,
      noShowRate: 12.5,
      meanCheckSeconds: 90,
      hoursSaved: 3,
      detainees: 700,
    });
    expect(displayFigures(f)).toMatchObject({
      grantRate: '75,0 %',
      meanDecisionDays: '5,0 j',
      meanCheckSeconds: '1 min 30 s',
      hoursSaved: '3 h',
    });
    expect(csvFigures(f)).toEqual(['700', '9', '8', '75', '12,5', '12,5', '5', '40', '25', '12,5', '90', '3']);
  });

  it('shows a dash, never a division by zero, where nothing happened', () => {
    const f = figuresOf(emptySums(), 0);
    expect([f.grantRate, f.meanDecisionDays, f.noShowRate, f.meanCheckSeconds, f.onlineRate]).toEqual([null, null, null, null, null]);
    expect(displayFigures(f).noShowRate).toBe('—');
    expect(csvFigures(f)[3]).toBe('');
  });

  it('counts 1 h 30 a checked day for 1,000 detainees, in proportion', () => {
    expect(paperHoursSaved(20, 1000)).toBe(30);
    expect(paperHoursSaved(20, 500)).toBe(15);
    expect(hoursSavedOver(20 * 1000 + 10 * 400)).toBe(36);
  });

  it('adds months (the population is the last month’s) and establishments (their total)', () => {
    const a = sums({ granted: 2, detainees: 100, checkDays: 3 });
    const b = sums({ granted: 3, detainees: 120, checkDays: 4 });
    expect(addSums([a, b], 'months')).toMatchObject({ granted: 5, detainees: 120, checkDays: 7 });
    expect(addSums([a, b], 'establishments')).toMatchObject({ granted: 5, detainees: 220 });
  });

  it('writes check times in minutes and seconds', () => {
    expect([durationFr(42.4), durationFr(60), durationFr(125)]).toEqual(['42 s', '1 min 00 s', '2 min 05 s']);
  });

  it('sorts worst first, unknown values last, then by name', () => {
    const row = (name: string, implicitRejectionRate: number | null) => ({
      name,
      figures: { ...figuresOf(emptySums(), 0), implicitRejectionRate },
    });
    const rows = [row('Évreux', 5), row('Arles', null), row('Brest', 12), row('Caen', 5)];
    expect(sortRows(rows, 'rejets').map((r) => r.name)).toEqual(['Brest', 'Caen', 'Évreux', 'Arles']);
    expect(sortRows(rows, 'nom').map((r) => r.name)).toEqual(['Arles', 'Brest', 'Caen', 'Évreux']);
    expect(parseSort('rejets')).toBe('rejets');
    expect(parseSort('constructor')).toBe('nom');
    expect(parseSort(['rejets'])).toBe('nom');
  });
});

describe('npm run oversight: the command line', () => {
  it('reads a grant, a revocation and the list', () => {
    expect(parseOversightArgs(['grant', '--email=A.B@justice.gouv.fr', '--national'])).toEqual({
      action: 'grant',
      email: 'a.b@justice.gouv.fr',
      grant: { scope: 'NATIONAL' },
      givenName: undefined,
      familyName: undefined,
    });
    expect(parseOversightArgs(['revoke', '--email=a@b.fr', '--direction=lille'])).toMatchObject({
      action: 'revoke',
      grant: { scope: 'INTERREGIONAL', direction: 'LILLE' },
    });
    expect(parseOversightArgs(['grant', '--email=a@b.fr', '--national', '--given-name=Łucja', '--family-name=Şahin'])).toMatchObject({
      givenName: 'Łucja',
      familyName: 'Şahin',
    });
    expect(parseOversightArgs(['list'])).toEqual({ action: 'list' });
  });

  it('refuses what is ambiguous or unknown', () => {
    for (const argv of [
      [],
      ['grant', '--national'],
      ['grant', '--email=a@b.fr'],
      ['grant', '--email=a@b.fr', '--national', '--direction=LYON'],
      ['grant', '--email=a@b.fr', '--direction=ATLANTIS'],
      ['grant', '--email=a@b.fr', '--national', '--given-name=Ana'],
      ['revoke', '--email=a@b.fr', '--national', '--given-name=Ana', '--family-name=B'],
      ['grant', '--email=a@b.fr', '--email=c@d.fr', '--national'],
      ['list', '--national'],
      ['delete'],
    ])
      expect(parseOversightArgs(argv)).toHaveProperty('error');
  });
});
