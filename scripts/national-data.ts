/**
 * `npm run data:national [-- --scale=0.01] [--years=3] [--seed=p2v] [--today=YYYY-MM-DD] [--jobs=2]`: fills an empty database
 * (DATABASE_URL, migrated here) with a France-sized dataset for the benchmarks (docs/benchmarks.md):
 * 190 establishments, 80,000 detainees, 250,000 visitors with 300,000 permits, 3 years of visits and
 * 4 weeks of bookings, the permit requests behind them, staff, the notifications of the last two
 * months, and UVF / PF cases and stays and video calls (scripts/national/family-visits-video.ts);
 * each establishment in an interregional direction, agents of the DAP (dap1-3@justice.fr) and of each
 * direction (disp.<code>@justice.fr) with their views, and the national view's 36 months computed.
 * Every value (ids included) follows from the seed, the scale and the day: two runs give the same
 * rows. Rows are written by INSERT … SELECT in PostgreSQL, one establishment group at a time, with
 * the constraints and indexes of the schema in place (nothing is switched off).
 */
import 'reflect-metadata';
import { availableParallelism } from 'node:os';
import type { QueryRunner } from 'typeorm';
import { familyVisitsAndVideo } from './national/family-visits-video';
import { refreshEstablishments } from '../src/oversight/oversight-refresh';
import type { Direction } from '../src/oversight/oversight.rules';
import { NATIONAL, nationalPlan, REFERENCE_ALPHABET } from './national/plan';
import { formatSeconds, Progress } from './national/progress';
import { withDataSource } from './cli-data-source';

interface Options {
  scale: number;
  /** Years of history (3 by default; 10 to measure the growth over years, docs/growth.md). */
  years: number;
  /** Connections writing at once (one per core by default). */
  jobs: number;
  seed: string;
  today: string;
}

function options(argv: string[]): Options {
  const arg = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const scale = Number(arg('scale') ?? process.env.NATIONAL_SCALE ?? '1');
  const seed = arg('seed') ?? 'p2v';
  const today = arg('today') ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new Error(`--today must be a date AAAA-MM-JJ: ${today}`);
  if (!/^[\w-]{1,40}$/.test(seed)) throw new Error(`--seed: letters, digits, - and _ only: ${seed}`);
  const years = Number(arg('years') ?? NATIONAL.historyYears);
  nationalPlan(scale, years); // checks the scale and the years
  const jobs = Number(arg('jobs') ?? Math.max(1, availableParallelism()));
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 16) throw new Error(`--jobs must be from 1 to 16: ${jobs}`);
  return { scale, years, jobs, seed, today };
}

// Names of every origin: the pages and letters must hold them all (Ł, ş, ễ, Arabic script).
const FAMILY_NAMES = [
  'Martin',
  'Bernard',
  'Dubois',
  'Thomas',
  'Robert',
  'Richard',
  'Petit',
  'Durand',
  'Leroy',
  'Moreau',
  'Simon',
  'Laurent',
  'Lefèvre',
  'Michel',
  'García',
  'Fernández',
  'Benali',
  'Haddad',
  'Nguyễn',
  'Trần',
  'Kowalski',
  'Wiśniewska',
  'Łukaszewicz',
  'Yılmaz',
  'Şahin',
  'Öztürk',
  'Diallo',
  'Traoré',
  'Mendy',
  'Da Silva',
  'Ferreira',
  'Popescu',
  'Ionescu',
  'O’Brien',
  'Müller',
  'Rossi',
  'بن علي',
  'حداد',
  'Ben Saïd',
  'Lê-Bảo',
];
const GIVEN_NAMES = [
  'Camille',
  'Léa',
  'Emma',
  'Louise',
  'Jade',
  'Inès',
  'Lucas',
  'Hugo',
  'Nathan',
  'Mohamed',
  'Yasmine',
  'Fatima',
  'Amadou',
  'Aïcha',
  'Łucja',
  'Łukasz',
  'Ayşe',
  'Mehmet',
  'Đặng',
  'Thị Hương',
  'José',
  'María',
  'João',
  'Ioana',
  'Zoé',
  'Chloé',
  'Noah',
  'Adam',
  'Rayan',
  'Sofia',
  'Kévin',
  'Océane',
  'مريم',
  'يوسف',
  'Seydou',
  'Khadija',
];
const CITIES = [
  'Fleury-Mérogis',
  'Fresnes',
  'Marseille',
  'Lyon-Corbas',
  'Lille-Sequedin',
  'Toulouse-Seysses',
  'Bordeaux-Gradignan',
  'Nantes',
  'Rennes',
  'Strasbourg',
  'Metz',
  'Nancy',
  'Dijon',
  'Rouen',
  'Caen',
  'Le Havre',
  'Orléans',
  'Tours',
  'Poitiers',
  'Limoges',
  'Clermont-Ferrand',
  'Grenoble',
  'Nice',
  'Toulon',
  'Montpellier',
  'Nîmes',
  'Perpignan',
  'Pau',
  'Bayonne',
  'Brest',
  'Lorient',
  'Angers',
  'Le Mans',
  'Amiens',
  'Reims',
  'Besançon',
  'Mulhouse',
  'Colmar',
  'Valence',
  'Avignon',
  'Ajaccio',
  'Baie-Mahault',
  'Ducos',
  'Rémire-Montjoly',
  'Saint-Denis de La Réunion',
  'Majicavo',
  'Réau',
  'Meaux',
  'Osny',
  'Nanterre',
  'Villepinte',
  'Bois-d’Arcy',
  'Poissy',
  'Melun',
  'Châteauroux',
  'Saint-Martin-de-Ré',
  'Arles',
  'Uzerche',
];
const DIRECTIONS = [
  'Bordeaux',
  'Dijon',
  'Lille',
  'Lyon',
  'Marseille',
  'Paris',
  'Rennes',
  'Strasbourg',
  'Toulouse',
  'Mission des outre-mer',
];
/** The same directions' codes (establishments.direction, the national view), in the same order. */
const DIRECTION_CODES: Direction[] = [
  'BORDEAUX',
  'DIJON',
  'LILLE',
  'LYON',
  'MARSEILLE',
  'PARIS',
  'RENNES',
  'STRASBOURG',
  'TOULOUSE',
  'OUTRE_MER',
];
const STAFF: [role: string, count: number, label: string][] = [
  ['HEAD_OF_ESTABLISHMENT', 1, 'direction'],
  ['PERMITS_OFFICER', 2, 'greffe'],
  ['PARLOIR_AGENT', 3, 'parloir'],
  ['SPIP_COUNSELLOR', 1, 'spip'],
  ['ACTIVITIES_OFFICER', 1, 'activites'],
  ['ADMIN', 1, 'admin'],
];

const sqlText = (s: string) => `'${s.replace(/'/g, "''")}'`;
const sqlArray = (values: string[]) => `ARRAY[${values.map(sqlText).join(', ')}]::text[]`;

/**
 * SQL helpers of the run, in this connection only (pg_temp): a number in [0, n) and a uuid from a key
 * and the seed, an 8-character reference from a number (as scripts/national/plan.ts referenceOf), the
 * number of permits of a detainee, and the name lists. Each is one expression that PostgreSQL inlines
 * into the statement; those that write a number into text ('…' || e, a stable operator) are declared
 * STABLE, as PostgreSQL inlines an IMMUTABLE function only if its body is immutable (else it calls it,
 * many times slower).
 */
function helpers(seed: string): string[] {
  const s = sqlText(`${seed}:`);
  return [
    `CREATE FUNCTION pg_temp.h(k text, n int) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT (hashtext(${s} || k) & 2147483647) % n $$`,
    // A version-4 shaped uuid (the app's forms check the version and variant digits).
    `CREATE FUNCTION pg_temp.u(k text) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
       SELECT overlay(overlay(md5(${s} || k) placing '4' from 13) placing 'a' from 17)::uuid $$`,
    `CREATE FUNCTION pg_temp.ref(n bigint) RETURNS text LANGUAGE sql IMMUTABLE AS $$
       SELECT ${Array.from(
         { length: 8 },
         (_, i) => `substr(${sqlText(REFERENCE_ALPHABET)}, (((n * 6700417) % 1099511627776) >> ${5 * i} & 31)::int + 1, 1)`,
       ).join(' || ')} $$`,
    // 1 to 7 permits a detainee, 3.75 on average (300,000 for 80,000 detainees).
    `CREATE FUNCTION pg_temp.permits_of(e int, d int) RETURNS int LANGUAGE sql STABLE AS $$
       SELECT 1 + pg_temp.h('pc:' || e || ':' || d, 6) + CASE WHEN pg_temp.h('pc2:' || e || ':' || d, 4) = 0 THEN 1 ELSE 0 END $$`,
    `CREATE FUNCTION pg_temp.family_name(k text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
       SELECT (${sqlArray(FAMILY_NAMES)})[1 + pg_temp.h('fn:' || k, ${FAMILY_NAMES.length})] $$`,
    `CREATE FUNCTION pg_temp.given_name(k text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
       SELECT (${sqlArray(GIVEN_NAMES)})[1 + pg_temp.h('gn:' || k, ${GIVEN_NAMES.length})] $$`,
    // A permit's holder: one of the visitors (a visitor may hold permits for several detainees).
    `CREATE FUNCTION pg_temp.person_of(e int, d int, k int, people int) RETURNS int LANGUAGE sql STABLE AS $$
       SELECT pg_temp.h('person:' || e || ':' || d || ':' || k, people) $$`,
    // 70 % of visitors have an online account (FranceConnect); the others hold a paper permit.
    `CREATE FUNCTION pg_temp.account_of(p int) RETURNS uuid LANGUAGE sql STABLE AS $$
       SELECT CASE WHEN pg_temp.h('acc:' || p, 10) < 7 THEN pg_temp.u('f:' || p) END $$`,
    // A permit's status today: the first permit of a detainee is always active (the bookings use it).
    `CREATE FUNCTION pg_temp.permit_status(e int, d int, k int) RETURNS text LANGUAGE sql STABLE AS $$
       SELECT CASE WHEN k = 0 THEN 'ACTIVE' ELSE (ARRAY['SUSPENDED','WITHDRAWN','ON_HOLD','SUSPENDED','WITHDRAWN'])[
         CASE WHEN pg_temp.h('ps:' || e || ':' || d || ':' || k, 100) < 90 THEN NULL ELSE 1 + pg_temp.h('ps2:' || e || ':' || d || ':' || k, 5) END]
       END $$`,
  ];
}

/** The run's fixed tables: establishments and their rooms and slot templates (small), kept for the large steps. */
function setupSql(o: Options): string[] {
  const plan = nationalPlan(o.scale, o.years);
  const rows = plan.establishments
    .map((e) => `(${e.index}, ${sqlText(e.code)}, ${e.detainees}, ${e.cabins}, ${e.rooms}, ${e.cabinsPerRoom}, ${e.fill})`)
    .join(',\n');
  const start = `(date ${sqlText(o.today)} - interval '${plan.years} years')::date`;
  return [
    `CREATE TEMP TABLE nat_est (idx int PRIMARY KEY, code text, size int, cabins int, rooms int, per_room int, fill float8, id uuid)`,
    `INSERT INTO nat_est (idx, code, size, cabins, rooms, per_room, fill) VALUES ${rows}`,
    `UPDATE nat_est SET id = pg_temp.u('e:' || idx)`,
    `CREATE TEMP TABLE nat_room AS
       SELECT row_number() OVER (ORDER BY e.idx, r) AS gidx, e.idx AS est, r, pg_temp.u('room:' || e.idx || ':' || r) AS id, e.per_room
         FROM nat_est e CROSS JOIN LATERAL generate_series(1, e.rooms) r`,
    `CREATE TEMP TABLE nat_day AS
       SELECT d::date AS day, (d::date - ${start}) AS off, extract(isodow FROM d)::int AS dow
         FROM generate_series(${start}, date ${sqlText(o.today)} + ${NATIONAL.horizonDays - 1}, interval '1 day') d
        WHERE extract(isodow FROM d) <= ${NATIONAL.openDaysPerWeek}`,
    `CREATE TEMP TABLE nat_time (k int PRIMARY KEY, starts time, ends time)`,
    `INSERT INTO nat_time VALUES (0, '08:30', '09:30'), (1, '10:00', '11:00'), (2, '13:30', '14:30'), (3, '15:00', '16:00'), (4, '16:30', '17:30')`,
  ];
}

interface Step {
  label: string;
  /** The statements of one group of establishments [from, to]. */
  sql: (from: number, to: number) => string[];
  /** Rows to expect, for the progress line. */
  rows: number;
  /** One statement for all establishments (rows that several groups would share). */
  single?: boolean;
}

function steps(o: Options): Step[] {
  const plan = nationalPlan(o.scale, o.years);
  const people = plan.people;
  const today = sqlText(o.today);
  const est = (from: number, to: number) => `e.idx BETWEEN ${from} AND ${to}`;
  const slotsPerEst = (plan.years * 365 + NATIONAL.horizonDays) * (NATIONAL.openDaysPerWeek / 7) * NATIONAL.slotsPerDay;
  const totalRooms = plan.establishments.reduce((s, e) => s + e.rooms, 0);
  // A visit's place in the slot (room r, place k): the detainee is the (place + shift)-th of the
  // establishment, so that the visits of one time never share a detainee (places ≤ 30 < detainees).
  const visitRows = (from: number, to: number) => `
    SELECT s.id AS slot_id, s.starts_at, s.ends_at, e.idx AS e, e.size, r.gidx, r.r, place AS k, nd.off, t.k AS tk,
           ((r.r - 1) * e.per_room + place + pg_temp.h('shift:' || e.idx || ':' || nd.off || ':' || t.k, e.size)) % e.size AS d,
           pg_temp.h('st:' || s.id || ':' || place, 100) AS roll
      FROM nat_est e
      JOIN nat_room r ON r.est = e.idx
      JOIN visit_slots s ON s.room_id = r.id
      JOIN nat_day nd ON nd.day = (s.starts_at AT TIME ZONE 'Europe/Paris')::date
      JOIN nat_time t ON t.starts = (s.starts_at AT TIME ZONE 'Europe/Paris')::time
      CROSS JOIN LATERAL generate_series(0, s.capacity - 1) place
     WHERE ${est(from, to)}
       AND place < least(s.capacity, round(s.capacity * e.fill * (0.5 + pg_temp.h('n:' || s.id, 100) / 100.0)
                 * CASE WHEN nd.dow = 6 THEN 1.5 ELSE 1 END
                 * CASE WHEN nd.day > date ${today} THEN greatest(0.2, 1 - (nd.day - date ${today}) / 35.0) ELSE 1 END))`;
  return [
    {
      label: 'establishments',
      rows: plan.establishments.length,
      sql: (from, to) => [
        `INSERT INTO establishments (id, code, name, kind, address, phone, email, interregional_direction, direction)
         SELECT e.id, e.code,
                (CASE WHEN e.idx = 1 THEN 'Centre pénitentiaire'
                      ELSE (ARRAY['Maison d’arrêt','Maison d’arrêt','Centre pénitentiaire','Centre de détention','Maison centrale',
                                  'Établissement pour mineurs'])[1 + pg_temp.h('k:' || e.idx, 6)] END)
                  || ' de ' || (${sqlArray(CITIES)})[1 + (e.idx - 1) % ${CITIES.length}]
                  || CASE WHEN e.idx > ${CITIES.length} THEN ' ' || (1 + (e.idx - 1) / ${CITIES.length}) ELSE '' END,
                CASE WHEN e.idx = 1 THEN 'CENTRE_PENITENTIAIRE'
                     ELSE (ARRAY['MAISON_ARRET','MAISON_ARRET','CENTRE_PENITENTIAIRE','CENTRE_DETENTION','MAISON_CENTRALE',
                                 'ETABLISSEMENT_MINEURS'])[1 + pg_temp.h('k:' || e.idx, 6)] END,
                e.idx || ' avenue de la République, ' || lpad(((e.idx * 37) % 95 + 1)::text, 2, '0') || '000 '
                  || (${sqlArray(CITIES)})[1 + (e.idx - 1) % ${CITIES.length}],
                '+331' || lpad((e.idx * 7919)::text, 8, '0'), lower(e.code) || '@justice.fr',
                'Direction interrégionale des services pénitentiaires de ' || (${sqlArray(DIRECTIONS)})[1 + (e.idx - 1) % ${DIRECTIONS.length}],
                (${sqlArray(DIRECTION_CODES)})[1 + (e.idx - 1) % ${DIRECTION_CODES.length}]
           FROM nat_est e WHERE ${est(from, to)}`,
        `INSERT INTO visit_settings (establishment_id) SELECT e.id FROM nat_est e WHERE ${est(from, to)}`,
        `INSERT INTO visiting_rooms (id, establishment_id, name, kind, cabins)
         SELECT r.id, e.id, 'Parloir ' || r.r, 'ORDINARY', r.per_room FROM nat_room r JOIN nat_est e ON e.idx = r.est WHERE ${est(from, to)}`,
        `INSERT INTO slot_templates (id, room_id, day_of_week, start_time, end_time, capacity, valid_from)
         SELECT pg_temp.u('tpl:' || r.gidx || ':' || dow || ':' || t.k), r.id, dow, t.starts, t.ends, r.per_room,
                date ${today} - interval '${plan.years + 1} years'
           FROM nat_room r JOIN nat_est e ON e.idx = r.est CROSS JOIN generate_series(1, ${NATIONAL.openDaysPerWeek}) dow CROSS JOIN nat_time t
          WHERE ${est(from, to)}`,
      ],
    },
    {
      label: 'staff',
      rows: plan.establishments.length * STAFF.reduce((s, [, n]) => s + n, 0),
      sql: (from, to) =>
        STAFF.flatMap(([role, count, label]) => [
          `INSERT INTO agents (id, email, first_name, last_name)
           SELECT pg_temp.u('agent:' || e.idx || ':${label}:' || n), '${label}' || n || '.' || lower(e.code) || '@justice.fr',
                  pg_temp.given_name('agent:' || e.idx || ':${label}:' || n), pg_temp.family_name('agent:' || e.idx || ':${label}:' || n)
             FROM nat_est e CROSS JOIN generate_series(1, ${count}) n WHERE ${est(from, to)}`,
          `INSERT INTO role_assignments (agent_id, establishment_id, role)
           SELECT pg_temp.u('agent:' || e.idx || ':${label}:' || n), e.id, '${role}'
             FROM nat_est e CROSS JOIN generate_series(1, ${count}) n WHERE ${est(from, to)}`,
        ]),
    },
    {
      // The DAP's national view (dap1-3@justice.fr) and each direction's (disp.<code>@justice.fr).
      label: 'oversight',
      rows: 3 + DIRECTION_CODES.length,
      single: true,
      sql: () => [
        `INSERT INTO agents (id, email, first_name, last_name)
         SELECT pg_temp.u('dap:' || n), 'dap' || n || '@justice.fr', pg_temp.given_name('dap:' || n), pg_temp.family_name('dap:' || n)
           FROM generate_series(1, 3) n`,
        `INSERT INTO oversight_assignments (agent_id, scope) SELECT pg_temp.u('dap:' || n), 'NATIONAL' FROM generate_series(1, 3) n`,
        `INSERT INTO agents (id, email, first_name, last_name)
         SELECT pg_temp.u('disp:' || d), 'disp.' || lower(d) || '@justice.fr', pg_temp.given_name('disp:' || d), pg_temp.family_name('disp:' || d)
           FROM unnest(${sqlArray(DIRECTION_CODES)}) d`,
        `INSERT INTO oversight_assignments (agent_id, scope, direction)
         SELECT pg_temp.u('disp:' || d), 'INTERREGIONAL', d FROM unnest(${sqlArray(DIRECTION_CODES)}) d`,
      ],
    },
    {
      label: 'detainees',
      rows: plan.detainees,
      sql: (from, to) => [
        `INSERT INTO detainees (id, establishment_id, ecrou_number, last_name, first_name, birth_date, legal_status, housing)
         SELECT pg_temp.u('d:' || e.idx || ':' || d), e.id, e.code || lpad(d::text, 5, '0'),
                upper(pg_temp.family_name('d:' || e.idx || ':' || d)), pg_temp.given_name('d:' || e.idx || ':' || d),
                date '1960-01-01' + pg_temp.h('db:' || e.idx || ':' || d, 16000),
                CASE WHEN pg_temp.h('ls:' || e.idx || ':' || d, 100) < 30 THEN 'PREVENU' ELSE 'CONDAMNE' END,
                'Bâtiment ' || chr(65 + d % 4) || ', cellule ' || (100 + d % 300)
           FROM nat_est e CROSS JOIN LATERAL generate_series(0, e.size - 1) d WHERE ${est(from, to)}`,
      ],
    },
    {
      // The accounts of the permits' holders who have one (70 %), and their e-mail address as a recipient
      // of messages (the row a first message creates). One statement: a holder may visit in several groups.
      label: 'family accounts',
      rows: Math.round(plan.visitors * 0.7),
      single: true,
      sql: () => [
        `CREATE TEMP TABLE nat_holder ON COMMIT DROP AS
           SELECT DISTINCT pg_temp.person_of(e.idx, d, k, ${people}) AS p
             FROM nat_est e CROSS JOIN LATERAL generate_series(0, e.size - 1) d CROSS JOIN LATERAL generate_series(0, pg_temp.permits_of(e.idx, d) - 1) k`,
        `INSERT INTO family_accounts (id, fc_subject, given_name, family_name, birthdate, email, mobile_phone, created_at, last_sign_in_at)
         SELECT pg_temp.account_of(p), 'nat-fc-' || p, pg_temp.given_name('p:' || p), pg_temp.family_name('p:' || p),
                date '1950-01-01' + pg_temp.h('pb:' || p, 20000), 'visiteur' || p || '@exemple.fr',
                CASE WHEN pg_temp.h('pm:' || p, 10) < 6 THEN '+336' || lpad(p::text, 8, '0') END,
                date ${today} - pg_temp.h('pc:' || p, 1500), date ${today} - pg_temp.h('pl:' || p, 200)
           FROM nat_holder WHERE pg_temp.account_of(p) IS NOT NULL ORDER BY p`,
        `INSERT INTO notification_recipients (id, channel, address, optout_token, created_at)
         SELECT pg_temp.u('nr:' || pg_temp.account_of(p)), 'EMAIL', 'visiteur' || p || '@exemple.fr',
                substr(md5('optout:' || pg_temp.account_of(p)), 1, 24), date ${today} - pg_temp.h('pc:' || p, 1500)
           FROM nat_holder WHERE pg_temp.account_of(p) IS NOT NULL ORDER BY p`,
      ],
    },
    {
      // The online permits' requests (granted), then requests still open or decided otherwise.
      label: 'permit requests',
      rows: Math.round(plan.detainees * 3.75 * 0.7 * 0.6 + plan.detainees / 12),
      sql: (from, to) => [
        `INSERT INTO permit_requests (id, reference, family_account_id, establishment_id, detainee_id, step, documents_understood, for_self,
                                      visitor_given_name, visitor_family_name, visitor_birthdate, relationship, id_document_type, status,
                                      submitted_at, complete_at, decided_at, decided_by, decided_as, created_at, updated_at)
         SELECT pg_temp.u('r:' || x.e || ':' || x.d || ':' || x.k), 'PV-' || pg_temp.ref(1099511627775 - (x.e::bigint * 1000000 + x.d) * 8 - x.k),
                pg_temp.account_of(x.p), x.eid, pg_temp.u('d:' || x.e || ':' || x.d), 9, true, true,
                pg_temp.given_name('p:' || x.p), pg_temp.family_name('p:' || x.p), date '1950-01-01' + pg_temp.h('pb:' || x.p, 20000),
                (ARRAY['SPOUSE','ASCENDANT','DESCENDANT','SIBLING','FRIEND','PACS_PARTNER'])[1 + pg_temp.h('rel:' || x.e || ':' || x.d || ':' || x.k, 6)],
                'CNI', 'GRANTED', x.vf - 40, x.vf - 30, x.vf, pg_temp.u('agent:' || x.e || ':direction:1'), 'Le chef d’établissement', x.vf - 41, x.vf
           FROM (SELECT e.idx AS e, e.id AS eid, d, k, pg_temp.person_of(e.idx, d, k, ${people}) AS p,
                        date ${today} - 30 - pg_temp.h('vf:' || e.idx || ':' || d || ':' || k, 1500) AS vf
                   FROM nat_est e CROSS JOIN LATERAL generate_series(0, e.size - 1) d CROSS JOIN LATERAL generate_series(0, pg_temp.permits_of(e.idx, d) - 1) k
                  WHERE ${est(from, to)}) x
          WHERE pg_temp.account_of(x.p) IS NOT NULL AND pg_temp.h('online:' || x.e || ':' || x.d || ':' || x.k, 10) < 6`,
        // One detainee in 12 has a request in progress or decided otherwise: submitted in the last 4 months.
        `INSERT INTO permit_requests (id, reference, family_account_id, establishment_id, detainee_id, step, documents_understood, for_self,
                                      visitor_given_name, visitor_family_name, visitor_birthdate, relationship, id_document_type, status,
                                      submitted_at, complete_at, documents_due, decided_at, decided_by, decided_as, decision_motivation, refusal_ground,
                                      withdrawn_at, created_at, updated_at)
         SELECT pg_temp.u('ro:' || x.e || ':' || x.d), 'PV-' || pg_temp.ref(1099511627775 - (x.e::bigint * 1000000 + x.d) * 8 - 7),
                pg_temp.u('f:' || x.p), x.eid, pg_temp.u('d:' || x.e || ':' || x.d), 9, true, true,
                pg_temp.given_name('p:' || x.p), pg_temp.family_name('p:' || x.p), date '1950-01-01' + pg_temp.h('pb:' || x.p, 20000),
                'FRIEND', 'PASSEPORT', x.status, x.sub,
                CASE WHEN x.status NOT IN ('SUBMITTED', 'INCOMPLETE') THEN x.sub + interval '2 days' END,
                CASE WHEN x.status = 'INCOMPLETE' THEN (x.sub + interval '15 days')::date END,
                CASE WHEN x.status IN ('REFUSED', 'IMPLICITLY_REJECTED') THEN x.sub + interval '50 days' END,
                CASE WHEN x.status = 'REFUSED' THEN pg_temp.u('agent:' || x.e || ':direction:1') END,
                CASE WHEN x.status = 'REFUSED' THEN 'Le chef d’établissement' END,
                CASE WHEN x.status = 'REFUSED' THEN 'Le maintien du bon ordre et de la sécurité de l’établissement s’oppose à ces visites.' END,
                CASE WHEN x.status = 'REFUSED' THEN 'GOOD_ORDER' END,
                CASE WHEN x.status = 'WITHDRAWN' THEN x.sub + interval '5 days' END,
                x.sub - interval '1 day', x.sub + interval '2 days'
           FROM (SELECT e.idx AS e, e.id AS eid, d, p,
                        (ARRAY['SUBMITTED','SUBMITTED','INCOMPLETE','READY','READY','READY','REFUSED','IMPLICITLY_REJECTED','WITHDRAWN',
                               'READY'])[1 + pg_temp.h('ros:' || e.idx || ':' || d, 10)] AS status,
                        (date ${today} - pg_temp.h('rod:' || e.idx || ':' || d, 120))::timestamptz + interval '10 hours' AS sub
                   FROM nat_est e CROSS JOIN LATERAL generate_series(0, e.size - 1) d
                   CROSS JOIN LATERAL (SELECT pg_temp.person_of(e.idx, d, 0, ${people}) AS p) pp
                  WHERE ${est(from, to)} AND pg_temp.h('ro:' || e.idx || ':' || d, 12) = 0 AND pg_temp.account_of(pp.p) IS NOT NULL) x`,
      ],
    },
    {
      label: 'permits',
      rows: Math.round(plan.detainees * 3.75),
      sql: (from, to) => [
        `INSERT INTO permits (id, request_id, establishment_id, detainee_id, family_account_id, visitor_given_name, visitor_family_name,
                              visitor_birthdate, relationship, valid_from, status, status_reason, origin, created_at, updated_at)
         SELECT pg_temp.u('p:' || x.e || ':' || x.d || ':' || x.k), r.id, x.eid, pg_temp.u('d:' || x.e || ':' || x.d), pg_temp.account_of(x.p),
                pg_temp.given_name('p:' || x.p), pg_temp.family_name('p:' || x.p), date '1950-01-01' + pg_temp.h('pb:' || x.p, 20000),
                (ARRAY['SPOUSE','ASCENDANT','DESCENDANT','SIBLING','FRIEND','PACS_PARTNER'])[1 + pg_temp.h('rel:' || x.e || ':' || x.d || ':' || x.k, 6)],
                x.vf, x.status,
                CASE x.status WHEN 'ACTIVE' THEN NULL WHEN 'ON_HOLD' THEN 'Vérification en cours' ELSE 'Mesure prise après un incident au parloir' END,
                CASE WHEN r.id IS NOT NULL THEN 'ONLINE' ELSE 'PAPER' END, x.vf, x.vf
           FROM (SELECT e.idx AS e, e.id AS eid, d, k, pg_temp.person_of(e.idx, d, k, ${people}) AS p,
                        date ${today} - 30 - pg_temp.h('vf:' || e.idx || ':' || d || ':' || k, 1500) AS vf,
                        coalesce(pg_temp.permit_status(e.idx, d, k), 'ACTIVE') AS status
                   FROM nat_est e CROSS JOIN LATERAL generate_series(0, e.size - 1) d CROSS JOIN LATERAL generate_series(0, pg_temp.permits_of(e.idx, d) - 1) k
                  WHERE ${est(from, to)}) x
           LEFT JOIN permit_requests r ON r.id = pg_temp.u('r:' || x.e || ':' || x.d || ':' || x.k)`,
      ],
    },
    {
      label: 'visiting slots',
      rows: Math.round(totalRooms * slotsPerEst),
      sql: (from, to) => [
        `INSERT INTO visit_slots (id, room_id, template_id, starts_at, ends_at, capacity)
         SELECT pg_temp.u('s:' || r.gidx || ':' || nd.off || ':' || t.k), r.id, pg_temp.u('tpl:' || r.gidx || ':' || nd.dow || ':' || t.k),
                (nd.day + t.starts) AT TIME ZONE 'Europe/Paris', (nd.day + t.ends) AT TIME ZONE 'Europe/Paris', r.per_room
           FROM nat_est e JOIN nat_room r ON r.est = e.idx CROSS JOIN nat_day nd CROSS JOIN nat_time t WHERE ${est(from, to)}`,
      ],
    },
    {
      // Past visits: done, absent, cancelled or refused at the door; from today on: booked (some cancelled).
      label: 'visits',
      rows: plan.visits,
      sql: (from, to) => [
        `CREATE TEMP TABLE nat_v ON COMMIT DROP AS ${visitRows(from, to)}`,
        `INSERT INTO visits (id, establishment_id, slot_id, detainee_id, family_account_id, reference, status, channel, during, created_at,
                             cancelled_at, first_check_at, last_check_at, ended_at)
         SELECT pg_temp.u('v:' || v.slot_id || ':' || v.k), ee.id, v.slot_id, pg_temp.u('d:' || v.e || ':' || v.d), acc.id,
                pg_temp.ref((v.gidx << 24) | (v.off << 8) | (v.tk << 5) | v.k), st.status,
                CASE WHEN acc.id IS NOT NULL THEN 'ONLINE' WHEN v.roll % 2 = 0 THEN 'PHONE' ELSE 'IN_PERSON' END,
                tstzrange(v.starts_at, v.ends_at, '[)'), v.starts_at - interval '1 day' * (2 + v.roll % 20),
                CASE WHEN st.status = 'CANCELLED' THEN v.starts_at - interval '1 day' END,
                CASE WHEN st.status IN ('DONE', 'REFUSED', 'NO_SHOW') THEN v.starts_at - interval '12 minutes' END,
                CASE WHEN st.status IN ('DONE', 'REFUSED', 'NO_SHOW') THEN v.starts_at - interval '5 minutes' END,
                CASE WHEN st.status = 'DONE' THEN v.ends_at END
           FROM nat_v v
           JOIN nat_est ee ON ee.idx = v.e
           CROSS JOIN LATERAL (SELECT CASE WHEN v.starts_at >= date ${today} THEN CASE WHEN v.roll < 5 THEN 'CANCELLED' ELSE 'BOOKED' END
                                           WHEN v.roll < 85 THEN 'DONE' WHEN v.roll < 92 THEN 'NO_SHOW'
                                           WHEN v.roll < 97 THEN 'CANCELLED' ELSE 'REFUSED' END AS status) st
           CROSS JOIN LATERAL (SELECT pg_temp.account_of(pg_temp.person_of(v.e, v.d, 0, ${people})) AS id) acc`,
        // Visitors: the detainee's first permit, and a second one visit in three.
        `INSERT INTO visit_visitors (id, visit_id, permit_id, during, active, check_status, refusal_reason, checked_at)
         SELECT pg_temp.u('vv:' || vis.id || ':' || j), vis.id, pg_temp.u('p:' || v.e || ':' || v.d || ':' || j), vis.during, vis.status <> 'CANCELLED',
                CASE vis.status WHEN 'DONE' THEN 'ARRIVED' WHEN 'NO_SHOW' THEN 'ABSENT' WHEN 'REFUSED' THEN 'REFUSED' END,
                CASE WHEN vis.status = 'REFUSED' THEN 'NO_ID' END,
                CASE WHEN vis.status IN ('DONE', 'NO_SHOW', 'REFUSED') THEN vis.first_check_at END
           FROM nat_v v
           JOIN visits vis ON vis.id = pg_temp.u('v:' || v.slot_id || ':' || v.k)
           CROSS JOIN LATERAL generate_series(0, CASE WHEN v.roll % 3 = 0 AND pg_temp.permits_of(v.e, v.d) > 1
                                                        AND (vis.status <> 'BOOKED' OR pg_temp.permit_status(v.e, v.d, 1) IS NULL) THEN 1 ELSE 0 END) j`,
        `UPDATE visit_slots s SET booked = c.n
           FROM (SELECT slot_id, count(*) AS n FROM visits v JOIN nat_est e ON e.id = v.establishment_id
                  WHERE ${est(from, to)} AND v.status <> 'CANCELLED' GROUP BY slot_id) c
          WHERE s.id = c.slot_id`,
      ],
    },
    {
      // The messages of the last two months and of the bookings ahead: confirmation and reminder by e-mail.
      label: 'notifications',
      rows: Math.round((plan.visits / (plan.years * 365 + NATIONAL.horizonDays)) * (60 + NATIONAL.horizonDays) * 0.7 * 2),
      sql: (from, to) => [
        `INSERT INTO notifications (id, recipient_id, channel, template, category, data, subject, body_text, entity_type, entity_id, establishment_id,
                                    send_after, status, attempts, next_attempt_at, sent_at, created_at, updated_at)
         SELECT pg_temp.u('n:' || v.id || ':' || m.kind), pg_temp.u('nr:' || v.family_account_id), 'EMAIL', m.template, m.category,
                jsonb_build_object('reference', v.reference), m.subject, m.subject || ' Référence ' || v.reference || '.', 'visit', v.id, e.id,
                m.at, CASE WHEN m.at <= now() THEN 'SENT' ELSE 'PENDING' END, CASE WHEN m.at <= now() THEN 1 ELSE 0 END, m.at,
                CASE WHEN m.at <= now() THEN m.at END, v.created_at, v.created_at
           FROM visits v JOIN nat_est e ON e.id = v.establishment_id
           CROSS JOIN LATERAL (VALUES ('booked', 'appointment-booked', 'TRANSACTIONAL', 'Votre visite est réservée.', v.created_at),
                                      ('reminder', 'appointment-reminder', 'REMINDER', 'Rappel : votre visite approche.', lower(v.during) - interval '2 days'))
                m(kind, template, category, subject, at)
          WHERE ${est(from, to)} AND lower(v.during) >= date ${today} - 60 AND v.family_account_id IS NOT NULL AND v.status <> 'CANCELLED'`,
      ],
    },
  ];
}

/** Groups of establishments of about the same number of detainees, so that the progress line moves evenly. */
function groups(scale: number, parts: number): [number, number][] {
  const plan = nationalPlan(scale);
  const total = plan.detainees;
  const out: [number, number][] = [];
  let from = 1;
  let acc = 0;
  for (const e of plan.establishments) {
    acc += e.detainees;
    if (acc >= (total * (out.length + 1)) / parts || e.index === plan.establishments.length) {
      out.push([from, e.index]);
      from = e.index + 1;
    }
  }
  return out;
}

/**
 * Writes the steps in order; the establishment groups of a step are shared among `jobs` connections
 * (PostgreSQL works a statement on one core: two connections use two). Groups never write the same
 * rows, so they never wait for each other.
 */
async function run(runners: QueryRunner[], o: Options): Promise<void> {
  const plan = nationalPlan(o.scale, o.years);
  const started = Date.now();
  process.stderr.write(
    `National dataset, scale ${o.scale}, ${plan.years} years (seed ${o.seed}, day ${o.today}, ${runners.length} connections): ` +
      `${plan.establishments.length} establishments, ${plan.detainees.toLocaleString('en')} detainees, ` +
      `about ${plan.visitors.toLocaleString('en')} visitors and ${plan.visits.toLocaleString('en')} visits\n`,
  );
  // UVF / PF and video calls (scripts/national/family-visits-video.ts): their helpers and small tables, steps and counts.
  const more = familyVisitsAndVideo(o);
  for (const runner of runners) for (const sql of [...helpers(o.seed), ...setupSql(o), ...more.setup]) await runner.query(sql);
  const parts = groups(o.scale, Math.min(20, plan.establishments.length));
  for (const step of [...steps(o), ...more.steps]) {
    const stepParts: [number, number][] = step.single ? [[1, plan.establishments.length]] : parts;
    const progress = new Progress(step.label, stepParts.length);
    let next = 0;
    let done = 0;
    await Promise.all(
      runners.map(async (runner) => {
        while (next < stepParts.length) {
          const [from, to] = stepParts[next++];
          await inTransaction(runner, step.sql(from, to));
          progress.update(++done);
        }
      }),
    );
  }
  process.stderr.write('Statistics (ANALYZE)…\n');
  await runners[0].query('ANALYZE');
  // The national view's months (36), as the hourly job keeps them: one establishment at a time per connection.
  const establishments = (await runners[0].query(`SELECT id, time_zone AS "timeZone" FROM establishments ORDER BY code`)) as {
    id: string;
    timeZone: string;
  }[];
  const months = new Progress('national view months', establishments.length);
  let nextEstablishment = 0;
  let computed = 0;
  const now = new Date(`${o.today}T12:00:00Z`);
  await Promise.all(
    runners.map(async (runner) => {
      while (nextEstablishment < establishments.length) {
        await refreshEstablishments(runner.manager, [establishments[nextEstablishment++]], now, 'all');
        months.update(++computed);
      }
    }),
  );
  const counts = (await runners[0].query(
    `SELECT (SELECT count(*) FROM establishments)::int AS establishments, (SELECT count(*) FROM detainees)::int AS detainees,
            (SELECT count(*) FROM family_accounts)::int AS accounts, (SELECT count(*) FROM permits)::int AS permits,
            (SELECT count(DISTINCT (visitor_given_name, visitor_family_name, visitor_birthdate)) FROM permits)::int AS visitors,
            (SELECT count(*) FROM permit_requests)::int AS requests, (SELECT count(*) FROM visits)::int AS visits,
            (SELECT count(*) FROM visit_visitors)::int AS "visitVisitors", (SELECT count(*) FROM notifications)::int AS notifications, ${more.counts}`,
  )) as Record<string, number>[];
  process.stderr.write(`Done in ${formatSeconds((Date.now() - started) / 1000)}: ${JSON.stringify(counts[0])}\n`);
}

async function inTransaction(runner: QueryRunner, statements: string[]): Promise<void> {
  await runner.startTransaction();
  try {
    for (const sql of statements) {
      const t = Date.now();
      await runner.query(sql);
      if (process.env.NATIONAL_TIMING) process.stderr.write(`  ${Date.now() - t} ms: ${sql.trim().split('\n')[0].slice(0, 90)}\n`);
    }
    await runner.commitTransaction();
  } catch (e) {
    await runner.rollbackTransaction();
    throw e;
  }
}

withDataSource(async (ds) => {
  const o = options(process.argv.slice(2));
  await ds.runMigrations({ transaction: 'each' });
  const existing = await ds.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM establishments`);
  if (existing[0].n > 0) {
    console.error(
      'This database already has establishments: the national dataset goes into an empty database ' +
        '(e.g. createdb p2v_national, then DATABASE_URL=…/p2v_national).',
    );
    return 1;
  }
  const runners = Array.from({ length: o.jobs }, () => ds.createQueryRunner());
  try {
    for (const runner of runners) await runner.connect();
    await run(runners, o);
  } finally {
    for (const runner of runners) await runner.release();
  }
});
