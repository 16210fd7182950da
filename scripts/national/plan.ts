/**
 * The shape of the national dataset (`npm run data:national`): how many establishments, people and
 * visits a scale factor gives. Pure functions, unit-tested (plan.spec.ts); the SQL that writes the
 * rows (national-data.ts) reads the same numbers.
 */

/** France, 2026: about 190 establishments, 80,000 detainees, 250,000 visitors, 1.5 million visits a year. */
export const NATIONAL = {
  establishments: 190,
  detainees: 80_000,
  visitors: 250_000,
  visitsPerDetaineePerYear: 18.75,
  /** Visits recorded: 3 years back; bookings: 4 weeks ahead. */
  historyYears: 3,
  horizonDays: 28,
  /** Open days a week (Monday to Saturday) and visiting slots a day in every room. */
  openDaysPerWeek: 6,
  slotsPerDay: 5,
  /**
   * Family visits (issue 11): UVF apartments in 55 establishments, family parlours (PF) in 30 more and in
   * every other UVF establishment. A UVF is taken one week in two (one stay of 6 to 72 hours), a PF
   * one open day in twelve: about 5,000 stays a year.
   */
  uvfEstablishments: 55,
  pfOnlyEstablishments: 30,
  uvfWeeklyUse: 0.5,
  pfDailyUse: 0.08,
  /**
   * Video calls (issue 12), in every establishment but one in eight: one device for 400 detainees, the
   * 6 daily slots of the 2020 service note (Monday to Saturday). 3 detainees in 4 have access, granted
   * on a day of the last 5 years: on a day of the period, about 6 in 10 may call. A slot whose detainee
   * may call is taken 9 times in 10: about 230,000 calls a year.
   */
  videoSlotsPerDay: 6,
  /** The note's quota, one call in 4 weeks: the calls of a window of 28 days go to different detainees. */
  videoWindowDays: 28,
  videoAccessShare: 0.6,
  videoFill: 0.9,
  /** Candidates tried for a stay's detainee (a condamné holding a permit by then). */
  familyCandidates: 12,
} as const;

export interface NationalPlan {
  scale: number;
  /** Years of recorded visits, stays and calls before the day (NATIONAL.historyYears unless --years). */
  years: number;
  establishments: EstablishmentPlan[];
  detainees: number;
  /** People who hold at least one permit (some hold several: one per detainee they visit). */
  visitors: number;
  /**
   * The pool the permits' holders are drawn from: 300,000 draws among 3.2 × 250,000 people leave about
   * 250,000 different holders, a fifth of them with two permits or more.
   */
  people: number;
  /** Expected visits over the whole period (history and bookings). */
  visits: number;
  /** Expected UVF / PF stays and video calls over the whole period (history and bookings). */
  familyStays: number;
  videoCalls: number;
}

export interface EstablishmentPlan {
  /** 1-based; establishment 1 is the largest at every scale (the busiest day of the benchmarks). */
  index: number;
  code: string;
  detainees: number;
  /** Visiting cabins, split into rooms of at most 10. */
  cabins: number;
  rooms: number;
  cabinsPerRoom: number;
  /** Share of a slot's places booked on an ordinary day (Saturdays take half as many again). */
  fill: number;
  /** Family visit units: UVF apartments and family parlours (PF), 0 when the establishment has none. */
  uvfUnits: number;
  pfUnits: number;
  /** Video-call devices, 0 when the establishment has no video calls. */
  videoDevices: number;
}

/**
 * Establishment sizes fall off from the largest (1,090 detainees, 30 cabins) to about 360: at scale 1
 * the 190 sizes add up to about 80,000. Every scale keeps the 190 establishments, so that a list of
 * establishments (the national view, 50 a page) has the same rows at every scale and only the data
 * behind them grows. A smaller scale keeps its share of them at full size (at least 2), the largest
 * always among them, so that the busiest establishment-day is the same at every scale; the others are
 * small (their size times the scale, 8 detainees at least, one room of 4 cabins or fewer) and have
 * neither family units nor video calls.
 */
export function nationalPlan(scale: number, years: number = NATIONAL.historyYears): NationalPlan {
  if (!(scale > 0 && scale <= 1)) throw new Error(`The scale must be in (0, 1]: ${scale}`);
  if (!(Number.isInteger(years) && years >= 1 && years <= 12))
    throw new Error(`The years of history must be a whole number from 1 to 12: ${years}`);
  const fullSize = Math.max(2, Math.round(NATIONAL.establishments * scale));
  const establishments: EstablishmentPlan[] = [];
  // The establishments with units are spread evenly over the indexes (establishment 1 has both kinds).
  const spread = (i: number, n: number, of: number) => Math.ceil((i * n) / of) > Math.ceil(((i - 1) * n) / of);
  let uvfSeen = 0;
  let othersSeen = 0;
  for (let index = 1; index <= NATIONAL.establishments; index++) {
    const full = index <= fullSize;
    const size = Math.round(310 + 780 / Math.sqrt(index));
    const detainees = full ? size : Math.max(8, Math.round(size * scale));
    // More detainees than cabins: the visits of one time never share a detainee.
    const cabins = Math.min(30, Math.max(4, Math.round(detainees / 36)), detainees - 1);
    const rooms = Math.ceil(cabins / 10);
    const cabinsPerRoom = Math.ceil(cabins / rooms);
    const visitsPerOpenDay = (detainees * NATIONAL.visitsPerDetaineePerYear) / (52 * NATIONAL.openDaysPerWeek);
    const fill = Math.min(0.9, visitsPerOpenDay / (NATIONAL.slotsPerDay * rooms * cabinsPerRoom));
    let uvfUnits = 0;
    let pfUnits = 0;
    if (spread(index, NATIONAL.uvfEstablishments, NATIONAL.establishments)) {
      uvfSeen++;
      uvfUnits = 2 + Math.floor(detainees / 400);
      pfUnits = uvfSeen % 2;
    } else if (spread(++othersSeen, NATIONAL.pfOnlyEstablishments, NATIONAL.establishments - NATIONAL.uvfEstablishments)) {
      pfUnits = detainees >= 600 ? 2 : 1;
    }
    const videoDevices = index % 8 === 0 ? 0 : 1 + Math.floor(detainees / 400);
    if (!full) uvfUnits = pfUnits = 0;
    establishments.push({
      index,
      code: `N${String(index).padStart(3, '0')}`,
      detainees,
      cabins,
      rooms,
      cabinsPerRoom,
      fill,
      uvfUnits,
      pfUnits,
      videoDevices: full ? videoDevices : 0,
    });
  }
  const detainees = establishments.reduce((s, e) => s + e.detainees, 0);
  const days = years * 365 + NATIONAL.horizonDays;
  return {
    scale,
    years,
    establishments,
    detainees,
    visitors: Math.round((NATIONAL.visitors * detainees) / NATIONAL.detainees),
    people: Math.round((NATIONAL.visitors * 3.2 * detainees) / NATIONAL.detainees),
    visits: Math.round((detainees * NATIONAL.visitsPerDetaineePerYear * days) / 365),
    familyStays: Math.round(
      establishments.reduce(
        (s, e) =>
          s + e.uvfUnits * NATIONAL.uvfWeeklyUse * (days / 7) + e.pfUnits * NATIONAL.pfDailyUse * days * (NATIONAL.openDaysPerWeek / 7),
        0,
      ),
    ),
    videoCalls: Math.round(
      establishments.reduce((s, e) => s + e.videoDevices, 0) *
        NATIONAL.videoSlotsPerDay *
        days *
        (NATIONAL.openDaysPerWeek / 7) *
        NATIONAL.videoAccessShare *
        NATIONAL.videoFill,
    ),
  };
}

/** The reference alphabet of the app (src/common/reference.ts): no 0/O, 1/I. */
export const REFERENCE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * An 8-character reference from a number below 2^40, different for every number: the number is
 * mixed (multiplied by an odd constant modulo 2^40, a bijection; the constant is below 2^23 so that
 * PostgreSQL's bigint holds the product) and written in base 32. The SQL
 * function `pg_temp.ref` of national-data.ts computes the same.
 */
export function referenceOf(n: bigint): string {
  const mixed = (n * 6700417n) % (1n << 40n);
  let out = '';
  for (let i = 0; i < 8; i++) out += REFERENCE_ALPHABET[Number((mixed >> BigInt(5 * i)) & 31n)];
  return out;
}
