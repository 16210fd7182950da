/**
 * The UVF / PF and video-call rows of the national dataset (scripts/national-data.ts, issue #15), written
 * like the rest of it: INSERT … SELECT per group of establishments, every value from the seed, the scale
 * and the day (the pg_temp helpers h, u, ref… of national-data.ts), the schema's constraints and triggers
 * in place. The rows are those the application would have written (src/family-visits, src/video-calls):
 *
 * - UVF / PF (issue 11): the establishments' units (plan.ts: UVF in 55 establishments, PF in 30 more);
 *   a UVF is taken one week in two, a PF one open day in twelve. Each stay has its case, decided: the
 *   detainee's request and each visitor's (1 to 3, on the detainee's active permits) instructed (an
 *   interview, the rules signed), seen by the CPU and granted by the head, with the case's history; stays
 *   are past (ended, a few ended early, one in twenty moved: first booked a week later, then cancelled),
 *   in progress, or booked in the next 4 weeks (a few cancelled, waiting for a new date), with the agents'
 *   inventories. Around them, cases that led to
 *   no stay: refused, implicitly rejected (two months without a decision), withdrawn, a visitor refused,
 *   and, in the last two months, cases under instruction, before the head, or granted and waiting for a
 *   date. Only condamnés (a prévenu's request goes to the magistrate). A unit never holds two stays at
 *   once nor more visitors than its capacity, a detainee is never in two stays at once: the stays of a
 *   week of an establishment get different detainees (the establishment's « slots » of the week — one per
 *   UVF, one per PF and day — times 12 candidates stay below its number of detainees, plan.spec.ts).
 * - Video calls (issue 12): the settings (the 2020 service note's, a second version in one establishment
 *   in three), the devices, the detainees' access decisions, charters, contacts and phone accounts, and
 *   the calls: past (held, no-show, cancelled) and booked in the next 4 weeks. In each window of 4 weeks
 *   the places (device, day, slot) of an establishment go to different detainees (fewer places than
 *   detainees) in turn, so a detainee never has two calls at once and calls are 28 days apart or more
 *   (the note's quota); a place whose detainee may not call that day (no access yet, suspended,
 *   withdrawn) stays free. No call on Sundays nor on public holidays (src/common/public-holidays.ts).
 *
 * Not written: the decisions' letters, the e-mails and SMS of these rows, the documents (files), the
 * magistrate's side of a prévenu's case, the video calls' codes and sanctioned numbers.
 */
import { publicHolidays } from '../../src/common/public-holidays';
import { NOTE_2020_DEFAULTS, type VideoCallSettings } from '../../src/video-calls/video-call-settings';
import { NATIONAL, nationalPlan } from './plan';

export interface FamilyVideoOptions {
  scale: number;
  years: number;
  seed: string;
  today: string;
}

/** A step of national-data.ts: statements per group of establishments [from, to]. */
export interface FamilyVideoStep {
  label: string;
  rows: number;
  sql: (from: number, to: number) => string[];
  single?: boolean;
}

/**
 * These statements run a few seconds at most: JIT compiling them (planned on the temporary tables'
 * default estimates, far too high) took longer than running them.
 */
const NO_JIT = 'SET LOCAL jit = off';
const sqlText = (s: string) => `'${s.replace(/'/g, "''")}'`;
const TZ = `'Europe/Paris'`;
/** The references of the UVF / PF cases (« UV-XXXXXXXX »), apart from those of the permit requests and the visits. */
const CASE_REFERENCES = 2n ** 38n;

const UVF_RULES =
  'Apportez vos draps et vos repas pour la durée du séjour. Objets interdits : alcool, téléphone portable, objets tranchants. ' +
  'Un appel de présence a lieu chaque jour à 9 h, 12 h et 18 h ; l’état des lieux est fait à l’entrée et à la sortie.';
const PF_RULES =
  'Le parloir familial se tient pendant les heures d’ouverture des parloirs. Objets interdits : alcool, téléphone portable. ' +
  'Le repas peut être pris dans le salon ; un agent passe à mi-parcours.';
const WITHOUT_DETAINEE =
  'Une visite en unité de vie familiale ou en parloir familial repose sur la demande de la personne détenue : ' +
  'sans elle, aucune visite ne peut être autorisée.';
const RELATIONSHIPS = `ARRAY['Époux ou épouse','Parent ou grand-parent (ascendant)','Enfant ou petit-enfant (descendant)','Frère ou sœur',
  'Ami ou proche','Partenaire de PACS']`;

/**
 * Everything the steps need, in one call for national-data.ts: the statements that prepare each connection
 * (helpers and small tables, after national-data's own), the steps, and the counts of the final line.
 */
export function familyVisitsAndVideo(o: FamilyVideoOptions): { setup: string[]; steps: FamilyVideoStep[]; counts: string } {
  return { setup: setupSql(o), steps: steps(o), counts: COUNTS };
}

const COUNTS = [
  'family_units',
  'family_visit_cases',
  'family_visit_requests',
  'family_visit_interviews',
  'family_visit_events',
  'family_visit_stays',
  'family_visit_stay_events',
  'video_call_settings',
  'video_call_devices',
  'video_call_access',
  'video_call_charters',
  'detainee_phone_contacts',
  'phone_accounts',
  'video_call_bookings',
]
  .map((t) => `(SELECT count(*) FROM ${t})::int AS "${t}"`)
  .join(', ');

function setupSql(o: FamilyVideoOptions): string[] {
  const plan = nationalPlan(o.scale, o.years);
  const today = `date ${sqlText(o.today)}`;
  const start = `(${today} - interval '${plan.years} years')::date`;
  const year = Number(o.today.slice(0, 4));
  const holidays: string[] = [];
  for (let y = year - plan.years; y <= year + 1; y++) holidays.push(...publicHolidays(y, 'METROPOLE').keys());
  const fam = plan.establishments
    .map((e) => `(${e.index}, ${e.uvfUnits}, ${e.pfUnits}, ${e.uvfUnits + 6 * e.pfUnits}, ${e.videoDevices})`)
    .join(', ');
  const s = NOTE_2020_DEFAULTS;
  // Every helper is one expression, STABLE (as national-data.ts helpers explains), so that PostgreSQL inlines it.
  return [
    `CREATE FUNCTION pg_temp.condamne(e int, d int) RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT pg_temp.h('ls:' || e || ':' || d, 100) >= 30 $$`,
    // A permit's first day (national-data.ts, permits), and whether it allows a visit asked for on that day.
    `CREATE FUNCTION pg_temp.permit_from(e int, d int, k int) RETURNS date LANGUAGE sql STABLE AS $$
       SELECT ${today} - 30 - pg_temp.h('vf:' || e || ':' || d || ':' || k, 1500) $$`,
    `CREATE FUNCTION pg_temp.permit_ok(e int, d int, k int, day date) RETURNS boolean LANGUAGE sql STABLE AS $$
       SELECT k < pg_temp.permits_of(e, d) AND coalesce(pg_temp.permit_status(e, d, k), 'ACTIVE') = 'ACTIVE' AND pg_temp.permit_from(e, d, k) <= day $$`,
    `CREATE FUNCTION pg_temp.agent_name(k text) RETURNS text LANGUAGE sql STABLE AS $$
       SELECT pg_temp.given_name(k) || ' ' || upper(pg_temp.family_name(k)) $$`,
    // Video calls: 3 detainees in 4 have access (since a day of the last 5 years), a few of them suspended or withdrawn since.
    `CREATE FUNCTION pg_temp.vc_status(e int, d int) RETURNS text LANGUAGE sql STABLE AS $$
       SELECT (ARRAY['ACTIVE', 'REFUSED', 'SUSPENDED', 'WITHDRAWN', NULL])[
                1 + width_bucket(pg_temp.h('vca:' || e || ':' || d, 100), ARRAY[75, 80, 84, 88])] $$`,
    `CREATE FUNCTION pg_temp.vc_from(e int, d int) RETURNS date LANGUAGE sql STABLE AS $$
       SELECT ${today} - 40 - pg_temp.h('vcf:' || e || ':' || d, 1800) $$`,
    `CREATE FUNCTION pg_temp.vc_to(e int, d int) RETURNS date LANGUAGE sql STABLE AS $$
       SELECT CASE pg_temp.vc_status(e, d)
                WHEN 'SUSPENDED' THEN greatest(pg_temp.vc_from(e, d) + 20, ${today} - 1 - pg_temp.h('vct:' || e || ':' || d, 30))
                WHEN 'WITHDRAWN' THEN greatest(pg_temp.vc_from(e, d) + 20, ${today} - 1 - pg_temp.h('vct:' || e || ':' || d, 300)) END $$`,
    `CREATE FUNCTION pg_temp.vc_contacts(e int, d int) RETURNS int LANGUAGE sql STABLE AS $$
       SELECT least(1 + pg_temp.h('vcn:' || e || ':' || d, 3), pg_temp.permits_of(e, d)) $$`,
    `CREATE FUNCTION pg_temp.vc_plan(e int, d int) RETURNS text LANGUAGE sql STABLE AS $$
       SELECT (ARRAY['NONE','NONE','NONE','NONE','20','30','40','50','70','100'])[1 + pg_temp.h('vcp:' || e || ':' || d, 10)] $$`,
    `CREATE TEMP TABLE nat_fam (est int PRIMARY KEY, uvf int, pf int, slots int, devices int)`,
    `INSERT INTO nat_fam VALUES ${fam}`,
    // The units; a unit's « slot » of the week: one per UVF, one per PF and open day (its stays' detainees differ).
    `CREATE TEMP TABLE nat_unit AS
       SELECT f.est, k.kind, n, pg_temp.u('fu:' || f.est || ':' || k.kind || ':' || n) AS id,
              CASE k.kind WHEN 'UVF' THEN n - 1 ELSE f.uvf + (n - 1) * 6 END AS slot,
              CASE k.kind WHEN 'UVF' THEN 4 + pg_temp.h('fuc:' || f.est || ':' || n, 3) ELSE 3 + pg_temp.h('fpc:' || f.est || ':' || n, 2) END AS capacity
         FROM nat_fam f CROSS JOIN LATERAL (VALUES ('UVF', f.uvf), ('PF', f.pf)) k(kind, units) CROSS JOIN LATERAL generate_series(1, k.units) n`,
    `CREATE TEMP TABLE nat_week AS
       SELECT (m::date - date_trunc('week', ${start})::date) / 7 AS w, m::date AS monday
         FROM generate_series(date_trunc('week', ${start}), ${today} + ${NATIONAL.horizonDays - 1}, interval '7 days') m`,
    `CREATE TEMP TABLE nat_holiday (day date PRIMARY KEY)`,
    `INSERT INTO nat_holiday VALUES ${holidays.map((d) => `(date '${d}')`).join(', ')}`,
    `CREATE TEMP TABLE nat_vslot (k int PRIMARY KEY, starts time, ends time)`,
    `INSERT INTO nat_vslot VALUES ${s.slots.map((x, k) => `(${k}, '${x.start}', '${x.end}')`).join(', ')}`,
    `CREATE TEMP TABLE nat_vplan (code text PRIMARY KEY, cpm int, conn int)`,
    `INSERT INTO nat_vplan VALUES ${s.plans.map((p) => `('${p.code}', ${p.centsPerMinute}, ${p.connectionCents})`).join(', ')}`,
  ];
}

function steps(o: FamilyVideoOptions): FamilyVideoStep[] {
  const plan = nationalPlan(o.scale, o.years);
  const people = plan.people;
  const today = `date ${sqlText(o.today)}`;
  const start = `(${today} - interval '${plan.years} years')::date`;
  const est = (from: number, to: number) => `e.idx BETWEEN ${from} AND ${to}`;
  const at = (day: string, time: string) => `((${day}) + time '${time}') AT TIME ZONE ${TZ}`;
  // The same local time a week later.
  const weekLater = (t: string) => `(${t} AT TIME ZONE ${TZ} + interval '7 days') AT TIME ZONE ${TZ}`;
  const unitRows = plan.establishments.reduce((n, e) => n + e.uvfUnits + e.pfUnits + e.videoDevices + 1, 0);
  const settings = (v: VideoCallSettings) => `${sqlText(JSON.stringify(v))}::jsonb`;
  const blockedMinutes = NOTE_2020_DEFAULTS.maxMinutes;
  const places = NATIONAL.videoWindowDays * NOTE_2020_DEFAULTS.slots.length;
  // A call held lasts from 10 minutes (a call cut short) to the longest, whose cost is blocked.
  const shortest = 600;
  return [
    {
      label: 'UVF/PF units, video',
      rows: unitRows,
      sql: (from, to) => [
        NO_JIT,
        `INSERT INTO family_units (id, establishment_id, kind, name, capacity, accessible, house_rules, created_at)
         SELECT u.id, e.id, u.kind, CASE u.kind WHEN 'UVF' THEN 'UVF ' || u.n ELSE 'Parloir familial ' || u.n END, u.capacity, u.n = 1,
                CASE u.kind WHEN 'UVF' THEN ${sqlText(UVF_RULES)} ELSE ${sqlText(PF_RULES)} END, ${start} - interval '1 year'
           FROM nat_est e JOIN nat_unit u ON u.est = e.idx WHERE ${est(from, to)}`,
        `INSERT INTO video_call_devices (id, establishment_id, name, created_at)
         SELECT pg_temp.u('vd:' || e.idx || ':' || n), e.id, 'Salle de visiophonie ' || n, ${start} - interval '60 days'
           FROM nat_est e JOIN nat_fam f ON f.est = e.idx CROSS JOIN LATERAL generate_series(1, f.devices) n WHERE ${est(from, to)}`,
        // The note's settings from before the period; one establishment in three asked for more notice this year.
        `INSERT INTO video_call_settings (id, establishment_id, version, settings, valid_from, changed_by)
         SELECT pg_temp.u('vs:' || e.idx || ':1'), e.id, 1, ${settings(NOTE_2020_DEFAULTS)}, ${start} - interval '60 days',
                pg_temp.u('agent:' || e.idx || ':admin:1')
           FROM nat_est e JOIN nat_fam f ON f.est = e.idx WHERE ${est(from, to)} AND f.devices > 0
         UNION ALL
         SELECT pg_temp.u('vs:' || e.idx || ':2'), e.id, 2, ${settings({ ...NOTE_2020_DEFAULTS, noticeHours: 72 })},
                ${at(`${today} - 100 - pg_temp.h('vs2:' || e.idx, 200)`, '09:30')}, pg_temp.u('agent:' || e.idx || ':direction:1')
           FROM nat_est e JOIN nat_fam f ON f.est = e.idx WHERE ${est(from, to)} AND f.devices > 0 AND e.idx % 3 = 0`,
      ],
    },
    {
      label: 'UVF/PF cases, stays',
      rows: Math.round(plan.familyStays * 1.3 * 12),
      sql: (from, to) => [
        NO_JIT,
        // The stays: a UVF one week in two (Monday to Thursday, 6 to 72 hours, over by Sunday), a PF one open day
        // in twelve (3 or 6 hours in one slot, 4 or 6 in two with the lunch break outside), within the visiting hours.
        // The case behind each, decided backwards from the stay: received, seen by the CPU, granted, then booked.
        `CREATE TEMP TABLE nat_fc ON COMMIT DROP AS
         WITH slot AS (
           SELECT e.idx AS e, e.size, f.slots AS nslots, u.id AS unit_id, u.kind, u.capacity, u.slot, w.w,
                  w.monday + pg_temp.h('fsd:' || u.id || ':' || w.w, 4) AS day,
                  CASE WHEN pg_temp.h('fst:' || u.id || ':' || w.w, 2) = 0 THEN time '10:00' ELSE time '14:00' END AS at,
                  (ARRAY[6, 24, 24, 48, 48, 48, 72, 72])[1 + pg_temp.h('fsh:' || u.id || ':' || w.w, 8)] AS hours,
                  NULL::int AS gslots, NULL::int AS first_min, NULL::time AS second_at
             FROM nat_est e JOIN nat_fam f ON f.est = e.idx JOIN nat_unit u ON u.est = e.idx AND u.kind = 'UVF' CROSS JOIN nat_week w
            WHERE ${est(from, to)} AND pg_temp.h('fso:' || u.id || ':' || w.w, 1000) < ${Math.round(NATIONAL.uvfWeeklyUse * 1000)}
           UNION ALL
           SELECT e.idx, e.size, f.slots, u.id, u.kind, u.capacity, u.slot + nd.dow - 1, w.w, nd.day, v.at, v.hours, v.slots, v.first_min, v.second_at
             FROM nat_est e JOIN nat_fam f ON f.est = e.idx JOIN nat_unit u ON u.est = e.idx AND u.kind = 'PF' CROSS JOIN nat_day nd
             JOIN nat_week w ON w.monday = date_trunc('week', nd.day)::date
             JOIN (VALUES (0, time '09:00', 3, 1, NULL::int, NULL::time), (1, time '14:00', 3, 1, NULL, NULL), (2, time '09:30', 6, 1, NULL, NULL),
                          (3, time '09:00', 6, 2, 180, time '13:30'), (4, time '10:00', 4, 2, 120, time '13:30'))
                  v(i, at, hours, slots, first_min, second_at) ON v.i = pg_temp.h('fpv:' || u.id || ':' || nd.off, 5)
            WHERE ${est(from, to)} AND pg_temp.h('fpo:' || u.id || ':' || nd.off, 1000) < ${Math.round(NATIONAL.pfDailyUse * 1000)}
              AND NOT EXISTS (SELECT 1 FROM nat_holiday h WHERE h.day = nd.day)
         )
         SELECT pg_temp.u('fvc:' || k.key) AS case_id, ${CASE_REFERENCES} + (s.e::bigint << 14) + (s.w << 5) + s.slot AS ref_num, k.key, s.e, cand.d,
                s.kind, 'STAY'::text AS outcome, t3.rec, t2.cpu, t1.dec, NULL::date AS withdrawn, s.hours, s.gslots,
                greatest(t3.rec + 1, s.day - pg_temp.h('fwf:' || k.key, 11)) AS wished_from, s.day + pg_temp.h('fwt:' || k.key, 31) AS wished_to,
                ARRAY(SELECT j FROM generate_series(0, (ARRAY[0, 0, 1, 1, 1, 2])[1 + pg_temp.h('fsn:' || k.key, 6)]) j
                       WHERE pg_temp.permit_ok(s.e, cand.d, j, t3.rec)
                         AND NOT EXISTS (SELECT 1 FROM generate_series(0, j - 1) i
                                          WHERE pg_temp.person_of(s.e, cand.d, i, ${people}) = pg_temp.person_of(s.e, cand.d, j, ${people}))) AS ks,
                s.unit_id, s.day, (s.day + s.at) AT TIME ZONE ${TZ} AS starts, (s.day + s.at) AT TIME ZONE ${TZ} + make_interval(hours => s.hours) AS ends_one,
                s.first_min, CASE WHEN s.gslots = 2 THEN (s.day + s.second_at) AT TIME ZONE ${TZ} END AS break_to
           FROM slot s
          CROSS JOIN LATERAL (SELECT s.e || ':' || s.w || ':' || s.slot AS key) k
          CROSS JOIN LATERAL (SELECT CASE WHEN s.day >= ${today}
                                          THEN least(s.day - 7 - pg_temp.h('fdd:' || k.key, 35), ${today} - 2 - pg_temp.h('fde:' || k.key, 7))
                                          ELSE s.day - 7 - pg_temp.h('fdd:' || k.key, 35) END AS dec) t1
          CROSS JOIN LATERAL (SELECT t1.dec - 1 - pg_temp.h('fdc:' || k.key, 6) AS cpu) t2
          CROSS JOIN LATERAL (SELECT t2.cpu - 20 - pg_temp.h('fdr:' || k.key, 26) AS rec) t3
          CROSS JOIN LATERAL (SELECT x.d FROM generate_series(0, ${NATIONAL.familyCandidates - 1}) c
                               CROSS JOIN LATERAL (SELECT (s.slot + c * s.nslots + pg_temp.h('fsw:' || s.e || ':' || s.w, s.size)) % s.size AS d) x
                               WHERE pg_temp.condamne(s.e, x.d) AND pg_temp.permit_from(s.e, x.d, 0) <= t3.rec ORDER BY c LIMIT 1) cand
          WHERE s.day >= ${start} AND s.day < ${today} + ${NATIONAL.horizonDays}`,
        // The cases that led to no stay: about one every three weeks per kind of unit of the establishment.
        `INSERT INTO nat_fc (case_id, ref_num, key, e, d, kind, outcome, rec, cpu, dec, withdrawn, hours, gslots, wished_from, wished_to, ks)
         SELECT pg_temp.u('fvx:' || x.key), ${CASE_REFERENCES + 2n ** 30n} + (x.e::bigint << 14) + (x.w << 1) + (x.kind = 'PF')::int, x.key, x.e, cand.d,
                x.kind, x.outcome, x.rec,
                CASE WHEN x.outcome IN ('REFUSED', 'VISITORS_REFUSED', 'GRANTED') THEN x.dec - 1 - pg_temp.h('fxc:' || x.key, 6)
                     WHEN x.outcome = 'CPU' THEN least(x.rec + 25 + pg_temp.h('fxc:' || x.key, 11), ${today} - 1) END,
                CASE WHEN x.outcome IN ('REFUSED', 'VISITORS_REFUSED', 'GRANTED') THEN x.dec END,
                CASE WHEN x.outcome = 'WITHDRAWN' THEN x.rec + 10 + pg_temp.h('fxw:' || x.key, 31) END,
                x.hours, CASE WHEN x.kind = 'PF' THEN CASE WHEN x.hours = 6 AND pg_temp.h('fxg:' || x.key, 2) = 0 THEN 2 ELSE 1 END END,
                x.rec + 30 + pg_temp.h('fxf:' || x.key, 31), x.rec + 30 + pg_temp.h('fxf:' || x.key, 31) + pg_temp.h('fxt:' || x.key, 31),
                ARRAY(SELECT j FROM generate_series(0, pg_temp.h('fxn:' || x.key, 2)) j
                       WHERE pg_temp.permit_ok(x.e, cand.d, j, x.rec)
                         AND NOT EXISTS (SELECT 1 FROM generate_series(0, j - 1) i
                                          WHERE pg_temp.person_of(x.e, cand.d, i, ${people}) = pg_temp.person_of(x.e, cand.d, j, ${people})))
           FROM (SELECT y.*, least(y.rec + 40 + pg_temp.h('fxd:' || y.key, 21), ${today} - 1) AS dec,
                        CASE WHEN ${today} - y.rec < 20 THEN 'NEW' WHEN ${today} - y.rec < 40 THEN 'INTERVIEWED'
                             WHEN ${today} - y.rec <= 55 THEN CASE WHEN pg_temp.h('fxs:' || y.key, 10) < 6 THEN 'CPU' ELSE 'GRANTED' END
                             -- Decided by now; an implicit rejection (the night after the 2 months) only once its day is past.
                             ELSE (ARRAY['REFUSED', 'REFUSED', 'REFUSED', 'REFUSED', CASE WHEN ${today} - y.rec > 70 THEN 'IMPLICIT' ELSE 'REFUSED' END,
                                         CASE WHEN ${today} - y.rec > 70 THEN 'IMPLICIT' ELSE 'WITHDRAWN' END, 'WITHDRAWN', 'WITHDRAWN', 'WITHDRAWN',
                                         'VISITORS_REFUSED'])[1 + pg_temp.h('fxs:' || y.key, 10)] END AS outcome
                   FROM (SELECT e.idx AS e, e.size, k.kind, w.w, 'x:' || e.idx || ':' || k.kind || ':' || w.w AS key,
                                w.monday + pg_temp.h('fxr:' || e.idx || ':' || k.kind || ':' || w.w, 7) AS rec,
                                CASE k.kind WHEN 'UVF' THEN (ARRAY[6, 24, 48, 72])[1 + pg_temp.h('fxh:' || e.idx || ':' || w.w, 4)]
                                            ELSE (ARRAY[3, 6])[1 + pg_temp.h('fxh:' || e.idx || ':' || w.w, 2)] END AS hours
                           FROM nat_est e JOIN nat_fam f ON f.est = e.idx
                           JOIN (VALUES ('UVF'), ('PF')) k(kind) ON (k.kind = 'UVF' AND f.uvf > 0) OR (k.kind = 'PF' AND f.pf > 0)
                          CROSS JOIN nat_week w
                          WHERE ${est(from, to)} AND pg_temp.h('fxo:' || e.idx || ':' || k.kind || ':' || w.w, 100) < 30) y
                  WHERE y.rec >= ${start} AND y.rec < ${today}) x
          CROSS JOIN LATERAL (SELECT c.d FROM generate_series(0, 5) i CROSS JOIN LATERAL (SELECT pg_temp.h('fxp:' || x.key || ':' || i, x.size) AS d) c
                               WHERE pg_temp.condamne(x.e, c.d) AND pg_temp.permit_from(x.e, c.d, 0) <= x.rec ORDER BY i LIMIT 1) cand`,
        // Each applicant's request: the detainee's (a letter) and each visitor's (online when the holder has an account, mostly).
        `CREATE TEMP TABLE nat_fr ON COMMIT DROP AS
         SELECT c.case_id, c.key, c.e, c.d, c.kind, c.outcome, c.hours, c.gslots, c.wished_from, c.wished_to, c.cpu, c.dec, a.k,
                pg_temp.u('fvq:' || c.key || ':' || coalesce(a.k, -1)) AS request_id, p.person, acc.account,
                CASE WHEN a.k IS NULL THEN 'DETAINEE' ELSE 'VISITOR' END AS applicant,
                CASE WHEN a.k IS NULL THEN 'la personne détenue'
                     ELSE pg_temp.given_name('p:' || p.person) || ' ' || upper(pg_temp.family_name('p:' || p.person)) END AS who,
                ch.channel, ch.received_at,
                CASE c.outcome WHEN 'STAY' THEN 'GRANTED' WHEN 'GRANTED' THEN 'GRANTED' WHEN 'REFUSED' THEN 'REFUSED' WHEN 'IMPLICIT' THEN 'IMPLICITLY_REJECTED'
                               WHEN 'WITHDRAWN' THEN 'WITHDRAWN' WHEN 'VISITORS_REFUSED' THEN CASE WHEN a.k IS NULL THEN 'GRANTED' ELSE 'REFUSED' END
                               ELSE 'RECEIVED' END AS status,
                CASE WHEN c.outcome = 'STAY' THEN ${at(`c.cpu - 3 - pg_temp.h('fiv:' || c.key, 11)`, '09:00')}
                     WHEN c.outcome IN ('GRANTED', 'REFUSED', 'VISITORS_REFUSED', 'CPU', 'INTERVIEWED')
                     THEN ${at(`c.rec + 10 + pg_temp.h('fiv:' || c.key, 9)`, '09:00')}
                END + make_interval(hours => 1 + coalesce(a.k, -1)) AS interview_at,
                CASE WHEN c.withdrawn IS NOT NULL THEN ${at('c.withdrawn', '11:00')} + make_interval(mins => 1 + coalesce(a.k, -1)) END AS withdrawn_at
           FROM nat_fc c
          CROSS JOIN LATERAL (SELECT NULL::int AS k UNION ALL SELECT unnest(c.ks)) a
          CROSS JOIN LATERAL (SELECT pg_temp.person_of(c.e, c.d, a.k, ${people}) AS person) p
          CROSS JOIN LATERAL (SELECT CASE WHEN a.k IS NOT NULL THEN pg_temp.account_of(p.person) END AS account) acc
          CROSS JOIN LATERAL (SELECT CASE WHEN a.k IS NULL THEN 'LETTER'
                                          WHEN acc.account IS NOT NULL AND pg_temp.h('fch:' || c.key || ':' || a.k, 10) < 8 THEN 'ONLINE'
                                          ELSE (ARRAY['LETTER', 'EMAIL', 'IN_PERSON'])[1 + pg_temp.h('fch2:' || c.key || ':' || a.k, 3)] END AS channel) ch0
          CROSS JOIN LATERAL (SELECT ch0.channel,
                                     CASE WHEN a.k IS NULL THEN ${at('c.rec', '12:00')}
                                          WHEN ch0.channel = 'ONLINE' THEN ${at(`c.rec + pg_temp.h('frd:' || c.key || ':' || a.k, 4)`, '08:00')}
                                                                             + make_interval(mins => pg_temp.h('frm:' || c.key || ':' || a.k, 720))
                                          ELSE ${at(`c.rec + pg_temp.h('frd:' || c.key || ':' || a.k, 4)`, '12:00')} END AS received_at) ch`,
        `INSERT INTO family_visit_cases (id, reference, establishment_id, detainee_id, kind, wished_from, wished_to, wished_hours, status, counsellor_id,
                                         cpu_on, cpu_opinion, cpu_notes, no_leave_possible, distance_km, created_by, created_at, updated_at)
         SELECT c.case_id, 'UV-' || pg_temp.ref(c.ref_num), e.id, pg_temp.u('d:' || c.e || ':' || c.d), c.kind, c.wished_from, c.wished_to, c.hours,
                CASE c.outcome WHEN 'STAY' THEN 'DECIDED' WHEN 'GRANTED' THEN 'DECIDED' WHEN 'NEW' THEN 'INSTRUCTION' WHEN 'INTERVIEWED' THEN 'INSTRUCTION'
                               WHEN 'CPU' THEN 'CPU' ELSE 'CLOSED' END,
                CASE WHEN c.outcome NOT IN ('NEW', 'IMPLICIT', 'WITHDRAWN') THEN pg_temp.u('agent:' || c.e || ':spip:1') END,
                c.cpu, CASE WHEN c.cpu IS NOT NULL THEN op.opinion END,
                CASE WHEN c.cpu IS NOT NULL AND op.opinion <> 'FAVOURABLE' THEN 'Avis partagé de la commission : préparation de la visite à consolider.' END,
                pg_temp.h('fnl:' || c.key, 10) < 3, CASE WHEN c.kind = 'PF' OR pg_temp.h('fkm:' || c.key, 2) = 0 THEN 5 + pg_temp.h('fkm2:' || c.key, 600) END,
                pg_temp.u('agent:' || c.e || ':spip:1'), ${at('c.rec', '12:00')},
                coalesce(${at('c.dec', '16:00')}, ${at('c.withdrawn', '11:05')}, ${at('c.cpu', '17:00')}, ${at('c.rec', '12:00')})
           FROM nat_fc c JOIN nat_est e ON e.idx = c.e
          CROSS JOIN LATERAL (SELECT CASE WHEN c.outcome = 'REFUSED' THEN 'UNFAVOURABLE' WHEN c.outcome = 'VISITORS_REFUSED' THEN 'RESERVED'
                                          WHEN c.outcome = 'CPU'
                                          THEN (ARRAY['FAVOURABLE', 'FAVOURABLE', 'RESERVED', 'UNFAVOURABLE'])[1 + pg_temp.h('fop:' || c.key, 4)]
                                          ELSE 'FAVOURABLE' END AS opinion) op`,
        `INSERT INTO family_visit_requests (id, case_id, applicant, permit_id, family_account_id, channel, received_at, wished_from, wished_to, wished_hours,
                                            status, rules_acknowledged_at, decided_at, decided_by, decided_as, decision_facts, decision_motivation,
                                            refusal_ground, granted_hours, granted_slots, withdrawn_at, created_at, updated_at)
         SELECT r.request_id, r.case_id, r.applicant, CASE WHEN r.k IS NOT NULL THEN pg_temp.u('p:' || r.e || ':' || r.d || ':' || r.k) END, r.account,
                r.channel, r.received_at, r.wished_from, r.wished_to, r.hours, r.status, r.interview_at + interval '30 minutes', dd.decided_at,
                CASE WHEN r.status IN ('GRANTED', 'REFUSED') THEN pg_temp.u('agent:' || r.e || ':direction:1') END,
                CASE WHEN r.status IN ('GRANTED', 'REFUSED') THEN pg_temp.agent_name('agent:' || r.e || ':direction:1') || ', chef d’établissement' END,
                CASE WHEN r.status = 'REFUSED' THEN rf.facts END, CASE WHEN r.status = 'REFUSED' THEN rf.motivation END,
                CASE WHEN r.status = 'REFUSED' THEN rf.ground END,
                CASE WHEN r.status = 'GRANTED' THEN r.hours END, CASE WHEN r.status = 'GRANTED' THEN r.gslots END, r.withdrawn_at,
                r.received_at, coalesce(dd.decided_at, r.withdrawn_at, r.interview_at + interval '30 minutes', r.received_at)
           FROM nat_fr r
          CROSS JOIN LATERAL (SELECT CASE WHEN r.status IN ('GRANTED', 'REFUSED')
                                          THEN ${at('r.dec', '15:00')} + make_interval(mins => 5 * (2 + coalesce(r.k, -1)))
                                          WHEN r.status = 'IMPLICITLY_REJECTED'
                                          THEN ${at(`((r.received_at AT TIME ZONE ${TZ})::date + interval '2 months')::date + 1`, '02:00')}
                                     END AS decided_at) dd
          CROSS JOIN LATERAL (SELECT * FROM (VALUES
                  ('DETAINEE', 'GOOD_ORDER', 'Trois incidents au parloir ordinaire depuis six mois (rapports d’incident), dont une altercation avec un agent.',
                   'Au regard de ces incidents répétés, une visite de longue durée hors de la surveillance directe du personnel '
                   || 'compromettrait le bon ordre de l’établissement.'),
                  ('VISITOR', NULL, 'La demande de la personne détenue a été refusée le même jour (le maintien du bon ordre dans l’établissement).',
                   ${sqlText(WITHOUT_DETAINEE)}),
                  ('VISITOR_ALONE', 'CRIME_PREVENTION', 'Le visiteur est mis en cause dans la procédure pour laquelle la personne détenue est incarcérée.',
                   'La prévention des infractions s’oppose à une visite de longue durée hors de la surveillance directe du personnel avec ce visiteur.'))
                  v(applicant, ground, facts, motivation)
                 WHERE v.applicant = CASE WHEN r.outcome = 'VISITORS_REFUSED' THEN 'VISITOR_ALONE' ELSE r.applicant END) rf`,
        `INSERT INTO family_visit_interviews (id, request_id, counsellor_id, at, mode, status, notes, link_assessment, preparation_assessment, created_at)
         SELECT pg_temp.u('fvi:' || r.request_id), r.request_id, pg_temp.u('agent:' || r.e || ':spip:1'), r.interview_at,
                CASE WHEN r.applicant = 'DETAINEE' THEN 'IN_PERSON' ELSE (ARRAY['IN_PERSON', 'PHONE', 'VISIO'])[1 + pg_temp.h('fim:' || r.request_id, 3)] END,
                'DONE', 'Entretien réalisé : motivations de la visite et déroulement du séjour expliqués, règlement remis et commenté.',
                'Lien familial régulier, entretenu par les parloirs et le courrier.', 'Visite préparée ; attentes de chacun réalistes.',
                greatest(r.received_at, r.interview_at - interval '7 days')
           FROM nat_fr r WHERE r.interview_at IS NOT NULL`,
        // A case closed by implicit rejections closes with the last one.
        `UPDATE family_visit_cases k SET updated_at = x.at
           FROM (SELECT r.case_id, max(q.decided_at) AS at FROM nat_fr r JOIN family_visit_requests q ON q.id = r.request_id
                  WHERE r.outcome = 'IMPLICIT' GROUP BY r.case_id) x
          WHERE k.id = x.case_id`,
        // The case's history, as the application writes it (the family sees the lines about its own requests).
        `INSERT INTO family_visit_events (id, case_id, request_id, at, kind, message, visible_to_family, actor_type, actor_id)
         SELECT pg_temp.u('fve:' || r.request_id || ':' || ev.kind || ':' || ev.family), r.case_id, ev.request_id, ev.at, ev.kind, ev.message, ev.family,
                ev.actor_type, ev.actor_id
           FROM nat_fr r JOIN family_visit_requests q ON q.id = r.request_id
          CROSS JOIN LATERAL (VALUES
                  ('REQUEST_RECEIVED', r.request_id, q.received_at, r.applicant = 'VISITOR',
                   CASE WHEN r.channel = 'ONLINE' THEN 'Demande de ' || r.who || ' déposée en ligne.'
                        ELSE 'Demande de ' || r.who || ' reçue le ' || to_char(q.received_at AT TIME ZONE ${TZ}, 'YYYY-MM-DD') || '.' END,
                   CASE WHEN r.channel = 'ONLINE' THEN 'FAMILY' ELSE 'AGENT' END,
                   CASE WHEN r.channel = 'ONLINE' THEN r.account ELSE pg_temp.u('agent:' || r.e || ':spip:1') END),
                  ('INTERVIEW_DONE', r.request_id, r.interview_at + interval '1 hour', false, 'Compte rendu d’un entretien prévu : entretien réalisé.',
                   'AGENT', pg_temp.u('agent:' || r.e || ':spip:1')),
                  (q.status, r.request_id, q.decided_at, false,
                   CASE q.status WHEN 'GRANTED' THEN 'Visite accordée à ' || r.who || ' pour ' || r.hours || ' heure'
                                                     || CASE WHEN r.hours > 1 THEN 's' ELSE '' END
                                                     || CASE WHEN r.gslots = 2 THEN ' en deux créneaux cumulés' ELSE '' END
                                                     || ' ; le juge de l’application des peines est informé.'
                                 WHEN 'REFUSED' THEN 'Visite refusée à ' || r.who || '.'
                                 ELSE 'Sans décision au ' || to_char(q.received_at + interval '2 months', 'DD/MM/YYYY') || ', la demande de ' || r.who
                                      || ' est implicitement rejetée.' END,
                   CASE WHEN q.status = 'IMPLICITLY_REJECTED' THEN 'SYSTEM' ELSE 'AGENT' END, q.decided_by),
                  (q.status, r.request_id, q.decided_at, true,
                   CASE q.status WHEN 'GRANTED' THEN 'Votre demande est accordée pour ' || r.hours || ' heure'
                                                     || CASE WHEN r.hours > 1 THEN 's' ELSE '' END || '.'
                                 WHEN 'REFUSED' THEN 'Votre demande est refusée.'
                                 ELSE 'Sans décision dans les deux mois, votre demande est implicitement rejetée.' END,
                   CASE WHEN q.status = 'IMPLICITLY_REJECTED' THEN 'SYSTEM' ELSE 'AGENT' END, q.decided_by),
                  ('REQUEST_WITHDRAWN', r.request_id, q.withdrawn_at, r.applicant = 'VISITOR',
                   'Demande de ' || r.who || ' retirée (retrait enregistré par l’établissement).', 'AGENT', pg_temp.u('agent:' || r.e || ':spip:1')))
                ev(kind, request_id, at, family, message, actor_type, actor_id)
          WHERE ev.at IS NOT NULL AND (NOT ev.family OR r.applicant = 'VISITOR')
         UNION ALL
         SELECT pg_temp.u('fve:' || c.case_id || ':CPU_OPINION'), c.case_id, NULL, ${at('c.cpu', '17:00')}, 'CPU_OPINION',
                'Avis de la CPU du ' || to_char(c.cpu, 'DD/MM/YYYY') || ' : '
                  || CASE k.cpu_opinion WHEN 'FAVOURABLE' THEN 'favorable' WHEN 'UNFAVOURABLE' THEN 'défavorable' ELSE 'réservé' END || '.',
                false, 'AGENT', pg_temp.u('agent:' || c.e || ':spip:1')
           FROM nat_fc c JOIN family_visit_cases k ON k.id = c.case_id WHERE c.cpu IS NOT NULL
         UNION ALL
         SELECT pg_temp.u('fve:' || c.case_id || ':CASE_CLOSED'), c.case_id, NULL, k.updated_at, 'CASE_CLOSED',
                'Dossier clos : chaque demande est décidée ou retirée, aucune visite n’aura lieu.', true,
                CASE WHEN c.outcome = 'IMPLICIT' THEN 'SYSTEM' ELSE 'AGENT' END,
                CASE WHEN c.outcome <> 'IMPLICIT' THEN pg_temp.u('agent:' || c.e || ':direction:1') END
           FROM nat_fc c JOIN family_visit_cases k ON k.id = c.case_id WHERE k.status = 'CLOSED'`,
        // The stays: ended (a few early), in progress across today, booked ahead (a few cancelled: the case waits for a
        // new date). A stay of the past cancelled was moved: first booked a week later, cancelled the next day, booked at
        // once on its date (cancelled stays hold no place: the exclusion constraints ignore them).
        `INSERT INTO family_visit_stays (id, case_id, unit_id, during, visitors, status, ended_at, end_reason, break_from, break_to, created_at)
         WITH x AS (
           SELECT c.key, c.case_id, c.unit_id, c.starts, t.ends, cardinality(c.ks) AS visitors, st.status, st.roll, b.booked, c.break_to,
                  CASE WHEN c.break_to IS NOT NULL THEN c.starts + make_interval(mins => c.first_min) END AS break_from,
                  c.day < ${today} AND st.roll < 5 AS moved,
                  (ARRAY['Annulation à la demande de la famille', 'Personne détenue hospitalisée', 'Logement indisponible (dégât des eaux)'])[
                    1 + st.roll % 3] AS cancel_reason
             FROM nat_fc c
            CROSS JOIN LATERAL (SELECT CASE WHEN c.break_to IS NOT NULL THEN c.break_to + make_interval(mins => c.hours * 60 - c.first_min)
                                            ELSE c.ends_one END AS ends) t
            CROSS JOIN LATERAL (SELECT least(${at(`c.dec + 1 + pg_temp.h('fsb:' || c.key, 4)`, '11:00')}, ${at(`${today} - 1`, '11:00')}) AS booked) b
            CROSS JOIN LATERAL (SELECT r.roll, CASE WHEN c.day >= ${today} THEN CASE WHEN r.roll < 5 THEN 'CANCELLED' ELSE 'BOOKED' END
                                                    WHEN t.ends > ${at(today, '00:00')} THEN 'IN_PROGRESS'
                                                    WHEN r.roll BETWEEN 5 AND 7 THEN 'ENDED_EARLY' ELSE 'ENDED' END AS status
                                  FROM (SELECT pg_temp.h('fss:' || c.key, 100) AS roll) r) st
            WHERE c.outcome = 'STAY')
         SELECT pg_temp.u('fvs:' || x.key), x.case_id, x.unit_id, tstzrange(x.starts, x.ends, '[)'), x.visitors, x.status,
                CASE x.status WHEN 'ENDED' THEN x.ends WHEN 'ENDED_EARLY' THEN x.starts + (x.ends - x.starts) * 0.6
                              WHEN 'CANCELLED' THEN x.booked + interval '12 hours' END,
                CASE x.status WHEN 'ENDED_EARLY'
                              THEN (ARRAY['Fin anticipée à la demande de la famille', 'Fin anticipée : malaise d’un visiteur'])[1 + x.roll % 2]
                              WHEN 'CANCELLED' THEN x.cancel_reason END,
                x.break_from, x.break_to, CASE WHEN x.moved THEN x.booked + interval '1 day' ELSE x.booked END
           FROM x
         UNION ALL
         SELECT pg_temp.u('fvs0:' || x.key), x.case_id, x.unit_id, tstzrange(${weekLater('x.starts')}, ${weekLater('x.ends')}, '[)'), x.visitors,
                'CANCELLED', x.booked + interval '23 hours', x.cancel_reason, ${weekLater('x.break_from')}, ${weekLater('x.break_to')}, x.booked
           FROM x WHERE x.moved`,
        `INSERT INTO family_visit_stay_events (id, stay_id, kind, at, agent_id, notes)
         SELECT pg_temp.u('fse:' || s.id || ':' || ev.kind), s.id, ev.kind, ev.at, pg_temp.u('agent:' || c.e || ':parloir:1'), ev.notes
           FROM nat_fc c JOIN family_visit_stays s ON s.id = pg_temp.u('fvs:' || c.key)
          CROSS JOIN LATERAL (VALUES ('ENTRY_INVENTORY', lower(s.during) + interval '5 minutes',
                                      'État des lieux d’entrée : logement propre, inventaire complet.'),
                                     ('EXIT_INVENTORY', s.ended_at + interval '10 minutes', 'État des lieux de sortie : rien à signaler.'),
                                     ('EARLY_END', s.ended_at, s.end_reason)) ev(kind, at, notes)
          WHERE c.outcome = 'STAY' AND CASE ev.kind WHEN 'ENTRY_INVENTORY' THEN s.status IN ('IN_PROGRESS', 'ENDED', 'ENDED_EARLY')
                                                    WHEN 'EXIT_INVENTORY' THEN s.status IN ('ENDED', 'ENDED_EARLY') ELSE s.status = 'ENDED_EARLY' END`,
        `INSERT INTO family_visit_events (id, case_id, request_id, at, kind, message, visible_to_family, actor_type, actor_id)
         SELECT pg_temp.u('fve:' || s.id || ':STAY_CANCELLED'), s.case_id, NULL, s.ended_at, 'STAY_CANCELLED',
                'Visite du ' || to_char(lower(s.during) AT TIME ZONE ${TZ}, 'DD/MM/YYYY "à" HH24:MI') || ' en ' || u.name || ' annulée : ' || s.end_reason
                  || '. La visite est à placer de nouveau.', false, 'AGENT', pg_temp.u('agent:' || c.e || ':parloir:1')
           FROM nat_fc c JOIN family_visit_stays s ON s.case_id = c.case_id AND s.status = 'CANCELLED' JOIN family_units u ON u.id = s.unit_id
          WHERE c.outcome = 'STAY'`,
      ],
    },
    {
      // Access decisions (the head's), the signed charter and the contacts (the detainee's permit holders, a child
      // with the parental consent now and then), recorded by the activities officer.
      label: 'video-call records',
      rows: Math.round(plan.detainees * 0.88 * 4),
      sql: (from, to) => [
        NO_JIT,
        `CREATE TEMP TABLE nat_vd ON COMMIT DROP AS
         SELECT e.idx AS e, d, pg_temp.u('d:' || e.idx || ':' || d) AS did, pg_temp.vc_status(e.idx, d) AS status, pg_temp.vc_from(e.idx, d) AS vfrom,
                pg_temp.vc_to(e.idx, d) AS vto
           FROM nat_est e JOIN nat_fam f ON f.est = e.idx CROSS JOIN LATERAL generate_series(0, e.size - 1) d
          WHERE ${est(from, to)} AND f.devices > 0 AND pg_temp.vc_status(e.idx, d) IS NOT NULL`,
        `INSERT INTO video_call_access (id, detainee_id, status, suspended_until, motivation, decided_at, decided_by)
         SELECT pg_temp.u('vcx:' || v.did || ':1'), v.did, CASE WHEN v.status = 'REFUSED' THEN 'REFUSED' ELSE 'ACTIVE' END, NULL,
                CASE WHEN v.status = 'REFUSED' THEN 'Utilisation frauduleuse du téléphone de l’établissement constatée : accès refusé pour six mois.' END,
                ${at('v.vfrom', '10:00')}, pg_temp.u('agent:' || v.e || ':direction:1')
           FROM nat_vd v
         UNION ALL
         SELECT pg_temp.u('vcx:' || v.did || ':2'), v.did, v.status,
                CASE WHEN v.status = 'SUSPENDED' THEN ${at(`v.vto + 15 + pg_temp.h('vcs:' || v.did, 46)`, '10:00')} END,
                CASE WHEN v.status = 'SUSPENDED' THEN 'Propos menaçants tenus lors d’un appel : suspension le temps de l’enquête.'
                     ELSE 'Appel passé à un numéro non autorisé, en violation de la charte d’utilisation.' END,
                ${at('v.vto', '10:00')}, pg_temp.u('agent:' || v.e || ':direction:1')
           FROM nat_vd v WHERE v.status IN ('SUSPENDED', 'WITHDRAWN')`,
        `INSERT INTO video_call_charters (id, detainee_id, signed_on, recorded_at, recorded_by)
         SELECT pg_temp.u('vch:' || v.did), v.did, v.vfrom - pg_temp.h('vcg:' || v.did, 6), ${at('v.vfrom', '09:00')},
                pg_temp.u('agent:' || v.e || ':activites:1')
           FROM nat_vd v WHERE v.status <> 'REFUSED'`,
        `INSERT INTO detainee_phone_contacts (id, detainee_id, name, phone, relationship, minor, consent_given_by, consent_recorded_at, consent_recorded_by,
                                              created_at, created_by)
         SELECT pg_temp.u('vcc:' || v.e || ':' || v.d || ':' || j), v.did,
                CASE WHEN j < 3 THEN pg_temp.given_name('p:' || p.person) || ' ' || upper(pg_temp.family_name('p:' || p.person))
                     ELSE pg_temp.given_name('child:' || v.did) || ' ' || upper(pg_temp.family_name('d:' || v.e || ':' || v.d)) END,
                '+33' || (6 + j % 2) || lpad(((v.e * 2000 + v.d) * 4 + j)::text, 8, '0'),
                CASE WHEN j < 3 THEN (${RELATIONSHIPS})[1 + pg_temp.h('rel:' || v.e || ':' || v.d || ':' || j, 6)] ELSE 'Enfant' END,
                j = 3, CASE WHEN j = 3 THEN first.name || ', titulaire de l’autorité parentale' END,
                CASE WHEN j = 3 THEN ${at('v.vfrom - 1', '14:00')} END, CASE WHEN j = 3 THEN pg_temp.u('agent:' || v.e || ':activites:1') END,
                ${at('v.vfrom - 1', '14:00')}, pg_temp.u('agent:' || v.e || ':activites:1')
           FROM nat_vd v
          CROSS JOIN LATERAL (SELECT pg_temp.given_name('p:' || q) || ' ' || upper(pg_temp.family_name('p:' || q)) AS name
                                FROM (SELECT pg_temp.person_of(v.e, v.d, 0, ${people}) AS q) x) first
          CROSS JOIN LATERAL (SELECT j FROM generate_series(0, pg_temp.vc_contacts(v.e, v.d) - 1) j
                               UNION ALL SELECT 3 WHERE pg_temp.h('vcm:' || v.did, 5) = 0) jj
          CROSS JOIN LATERAL (SELECT pg_temp.person_of(v.e, v.d, jj.j, ${people}) AS person) p`,
      ],
    },
    {
      // Calls: in window w of 4 weeks, place (day, slot, device) number i of an establishment goes to its detainee
      // (i + w × places of a window + shift) mod detainees, who calls if they may that day; 9 places in 10 are taken,
      // fewer ahead. A detainee called in two windows in a row is so at a later place of the second: 28 days apart or
      // more, the note's quota (calendar.rules quotaProblem). Booked 3 days ahead or more (notice of 48 or 72 hours).
      label: 'video calls',
      rows: plan.videoCalls,
      sql: (from, to) => [
        NO_JIT,
        `INSERT INTO video_call_bookings (id, establishment_id, detainee_id, contact_id, device_id, slot, status, plan_code, cents_per_minute, connection_cents,
                                          blocked_cents, charged_cents, duration_seconds, booked_at, booked_by, cancelled_at, cancelled_by, cancel_reason)
         SELECT pg_temp.u('vcb:' || x.e || ':' || x.off || ':' || x.sk || ':' || x.n), x.eid, pg_temp.u('d:' || x.e || ':' || dd.d),
                pg_temp.u('vcc:' || x.e || ':' || dd.d || ':' || pg_temp.h('vcj:' || x.e || ':' || x.off || ':' || x.sk, pg_temp.vc_contacts(x.e, dd.d))),
                pg_temp.u('vd:' || x.e || ':' || x.n), tstzrange(x.starts, x.ends, '[)'), st.status, pl.code, pl.cpm, pl.conn, pl.blocked,
                CASE WHEN st.status = 'HELD' THEN least(ceil(st.seconds / 60.0)::int * pl.cpm + pl.conn, pl.blocked) END,
                CASE WHEN st.status = 'HELD' THEN st.seconds END,
                bk.at, pg_temp.u('agent:' || x.e || ':activites:1'),
                CASE WHEN st.status = 'CANCELLED' THEN bk.at + interval '6 hours' END,
                CASE WHEN st.status = 'CANCELLED' THEN pg_temp.u('agent:' || x.e || ':activites:1') END,
                CASE WHEN st.status = 'CANCELLED' THEN (ARRAY['À la demande de la personne détenue', 'Contact indisponible à cette date',
                                                              'Extraction judiciaire le même jour'])[1 + x.roll % 3] END
           FROM (SELECT e.idx AS e, e.id AS eid, e.size, f.devices, ${places} * f.devices AS places, nd.day, nd.off, s.k AS sk, n,
                        (nd.day + s.starts) AT TIME ZONE ${TZ} AS starts, (nd.day + s.ends) AT TIME ZONE ${TZ} AS ends,
                        ((nd.off % ${NATIONAL.videoWindowDays}) * ${NOTE_2020_DEFAULTS.slots.length} + s.k) * f.devices + n - 1 AS pos,
                        pg_temp.h('vcr:' || e.idx || ':' || nd.off || ':' || s.k || ':' || n, 1000) AS roll
                   FROM nat_est e JOIN nat_fam f ON f.est = e.idx CROSS JOIN nat_day nd CROSS JOIN nat_vslot s
                  CROSS JOIN LATERAL generate_series(1, f.devices) n
                  WHERE ${est(from, to)} AND f.devices > 0 AND NOT EXISTS (SELECT 1 FROM nat_holiday h WHERE h.day = nd.day)) x
          CROSS JOIN LATERAL (SELECT (x.pos + x.off / ${NATIONAL.videoWindowDays} * x.places + pg_temp.h('vcw:' || x.e, x.size)) % x.size AS d OFFSET 0) dd
          CROSS JOIN LATERAL (SELECT pg_temp.vc_status(x.e, dd.d) AS status, pg_temp.vc_from(x.e, dd.d) AS vfrom, pg_temp.vc_to(x.e, dd.d) AS vto OFFSET 0) a
          CROSS JOIN LATERAL (SELECT p.code, p.cpm, p.conn, ${blockedMinutes} * p.cpm + p.conn AS blocked
                                FROM nat_vplan p WHERE p.code = pg_temp.vc_plan(x.e, dd.d)) pl
          CROSS JOIN LATERAL (SELECT CASE WHEN x.day >= ${today} THEN CASE WHEN x.roll % 100 < 5 THEN 'CANCELLED' ELSE 'BOOKED' END
                                          WHEN x.roll % 100 < 85 THEN 'HELD' WHEN x.roll % 100 < 92 THEN 'NO_SHOW' ELSE 'CANCELLED' END AS status,
                                     ${shortest} + pg_temp.h('vcd:' || x.e || ':' || x.off || ':' || x.sk || ':' || x.n, ${60 * blockedMinutes - shortest + 1})
                                       AS seconds) st
          CROSS JOIN LATERAL (SELECT least(x.starts - make_interval(days => 3 + x.roll % 12), ${at(`${today} - 1`, '17:00')}) AS at) bk
          WHERE a.status IN ('ACTIVE', 'SUSPENDED', 'WITHDRAWN') AND x.day > a.vfrom AND (a.vto IS NULL OR x.day < a.vto)
            AND x.roll < ${Math.round(NATIONAL.videoFill * 1000)} * CASE WHEN x.day > ${today} THEN greatest(0.2, 1 - (x.day - ${today}) / 35.0) ELSE 1 END`,
        // The phone accounts: what the booked calls block, and a balance above it.
        `INSERT INTO phone_accounts (detainee_id, balance_cents, blocked_cents, plan_code, updated_at)
         SELECT pg_temp.u('d:' || e.idx || ':' || d), coalesce(b.blocked, 0) + 300 + pg_temp.h('vcb:' || e.idx || ':' || d, 4701), coalesce(b.blocked, 0),
                pg_temp.vc_plan(e.idx, d), ${at(`${today} - 1`, '18:00')}
           FROM nat_est e JOIN nat_fam f ON f.est = e.idx CROSS JOIN LATERAL generate_series(0, e.size - 1) d
           LEFT JOIN (SELECT detainee_id, sum(blocked_cents)::int AS blocked FROM video_call_bookings b JOIN nat_est e ON e.id = b.establishment_id
                       WHERE ${est(from, to)} AND b.status = 'BOOKED' GROUP BY detainee_id) b ON b.detainee_id = pg_temp.u('d:' || e.idx || ':' || d)
          WHERE ${est(from, to)} AND f.devices > 0 AND pg_temp.vc_status(e.idx, d) IN ('ACTIVE', 'SUSPENDED', 'WITHDRAWN')`,
      ],
    },
  ];
}
