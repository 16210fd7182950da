import { NATIONAL, nationalPlan, REFERENCE_ALPHABET, referenceOf } from './plan';

describe('the national dataset plan (npm run data:national)', () => {
  it('at scale 1, is France: 190 establishments, about 80,000 detainees, 250,000 visitors, 1.5 million visits a year', () => {
    const plan = nationalPlan(1);
    expect(plan.establishments).toHaveLength(190);
    expect(plan.detainees).toBeGreaterThan(78_000);
    expect(plan.detainees).toBeLessThan(82_000);
    expect(plan.visitors).toBeGreaterThan(240_000);
    const perYear = plan.visits / (NATIONAL.historyYears + NATIONAL.horizonDays / 365);
    expect(perYear).toBeGreaterThan(1_400_000);
    expect(perYear).toBeLessThan(1_600_000);
  });

  it('holds ten years of history when asked (--years=10), the same establishments and the same visits a year', () => {
    const three = nationalPlan(0.1);
    const ten = nationalPlan(0.1, 10);
    expect([three.years, ten.years]).toEqual([NATIONAL.historyYears, 10]);
    expect(ten.establishments).toEqual(three.establishments);
    expect(ten.detainees).toBe(three.detainees);
    const perYear = (p: typeof ten) => p.visits / (p.years + NATIONAL.horizonDays / 365);
    expect(perYear(ten)).toBeCloseTo(perYear(three), -1);
    expect(ten.visits / three.visits).toBeGreaterThan(3.2);
    expect(() => nationalPlan(0.1, 0)).toThrow('The years of history must be a whole number from 1 to 12: 0');
    expect(() => nationalPlan(0.1, 2.5)).toThrow('from 1 to 12: 2.5');
  });

  it('makes establishment 1 the largest (1,000+ detainees, 30 cabins) and keeps it the same at every scale', () => {
    const full = nationalPlan(1);
    const quick = nationalPlan(0.01);
    expect(full.establishments[0].detainees).toBeGreaterThan(1000);
    expect(full.establishments[0].cabins).toBe(30);
    expect(Math.max(...full.establishments.map((e) => e.detainees))).toBe(full.establishments[0].detainees);
    expect(quick.establishments[0]).toEqual(full.establishments[0]);
  });

  it('keeps the 190 establishments at every scale, its share of them at full size and the others small, so that lists of establishments compare', () => {
    const quick = nationalPlan(0.01);
    expect(quick.establishments).toHaveLength(190);
    expect(quick.establishments.map((e) => e.code)).toEqual(nationalPlan(1).establishments.map((e) => e.code));
    expect(quick.establishments.slice(0, 2)).toEqual(nationalPlan(1).establishments.slice(0, 2));
    for (const e of quick.establishments.slice(2)) {
      expect(e.detainees).toBeGreaterThanOrEqual(8);
      expect(e.detainees).toBeLessThan(12);
      expect(e.rooms * e.cabinsPerRoom).toBeLessThan(e.detainees);
      expect([e.uvfUnits, e.pfUnits, e.videoDevices]).toEqual([0, 0, 0]);
    }
    // About 3 % of the national detainees: the two largest establishments and 188 small ones.
    expect(quick.detainees).toBeLessThan(0.05 * nationalPlan(1).detainees);
    expect(nationalPlan(0.1).establishments.filter((e) => e.uvfUnits > 0).length).toBeGreaterThan(3);
  });

  it('fills every establishment alike: slots booked at 30 to 90 % on an ordinary day, more detainees than cabins', () => {
    for (const e of nationalPlan(1).establishments) {
      expect(e.fill).toBeGreaterThan(0.3);
      expect(e.fill).toBeLessThanOrEqual(0.9);
      // The visits of one time never share a detainee: each place of the slots gets a different one.
      expect(e.rooms * e.cabinsPerRoom).toBeLessThan(e.detainees);
    }
  });

  it('has UVF in 55 establishments and family parlours in 30 more, about 5,000 stays a year', () => {
    const plan = nationalPlan(1);
    const uvf = plan.establishments.filter((e) => e.uvfUnits > 0);
    expect(uvf).toHaveLength(55);
    expect(plan.establishments.filter((e) => e.pfUnits > 0 && e.uvfUnits === 0)).toHaveLength(30);
    for (const e of uvf) expect(e.uvfUnits).toBeGreaterThanOrEqual(2);
    const perYear = plan.familyStays / (NATIONAL.historyYears + NATIONAL.horizonDays / 365);
    expect(perYear).toBeGreaterThan(4_000);
    expect(perYear).toBeLessThan(6_000);
  });

  it('has video calls in most establishments, a few hundred thousand calls a year', () => {
    const plan = nationalPlan(1);
    expect(plan.establishments.filter((e) => e.videoDevices > 0).length).toBeGreaterThan(150);
    const perYear = plan.videoCalls / (NATIONAL.historyYears + NATIONAL.horizonDays / 365);
    expect(perYear).toBeGreaterThan(150_000);
    expect(perYear).toBeLessThan(400_000);
  });

  it('gives establishment 1 UVF, a family parlour and video calls at every scale', () => {
    for (const scale of [0.01, 0.1, 1]) {
      const [first] = nationalPlan(scale).establishments;
      expect(first.uvfUnits).toBeGreaterThan(0);
      expect(first.pfUnits).toBeGreaterThan(0);
      expect(first.videoDevices).toBeGreaterThan(0);
    }
  });

  it('has fewer UVF / PF and video places than detainees, so that the stays and calls of a window never share one', () => {
    for (const e of nationalPlan(1).establishments) {
      // A week's stays: one per UVF, one per PF and open day, each with its own candidates.
      expect(NATIONAL.familyCandidates * (e.uvfUnits + NATIONAL.openDaysPerWeek * e.pfUnits)).toBeLessThanOrEqual(e.detainees);
      // The calls of 4 weeks: one per day (Sundays counted), slot and device.
      expect(NATIONAL.videoWindowDays * NATIONAL.videoSlotsPerDay * e.videoDevices).toBeLessThan(e.detainees);
    }
  });

  it('refuses a scale outside (0, 1]', () => {
    expect(() => nationalPlan(0)).toThrow('(0, 1]');
    expect(() => nationalPlan(2)).toThrow('(0, 1]');
    expect(() => nationalPlan(Number.NaN)).toThrow('(0, 1]');
  });

  it('gives every number below 2^40 its own 8-character reference, in the app alphabet', () => {
    const seen = new Set<string>();
    for (let n = 0n; n < 50_000n; n++) seen.add(referenceOf(n));
    for (let n = (1n << 40n) - 50_000n; n < 1n << 40n; n++) seen.add(referenceOf(n));
    expect(seen.size).toBe(100_000);
    for (const r of [...seen].slice(0, 1000)) expect(r).toMatch(new RegExp(`^[${REFERENCE_ALPHABET}]{8}$`));
  });
});
