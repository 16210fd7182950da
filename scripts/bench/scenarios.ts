/**
 * The scenarios of `npm run bench`, on a database filled by `npm run data:national`: establishment
 * N001 is the largest (1,090 detainees, 30 cabins) at every scale; its busiest day ahead is the day
 * measured, the app's clock set to it (test endpoint) so that its visitors can be checked in.
 */
import { request } from 'node:http';
import type { Client } from 'pg';
import { publicHoliday } from '../../src/common/public-holidays';
import type { BenchRequest, BenchSession } from './types';

export interface Scenario {
  name: string;
  title: string;
  connections: number;
  sessions: BenchSession[];
  requests: BenchRequest[];
  /** The statuses of a served request. */
  expect: number[];
  /** Captures the SQL of every request for every session (pages that differ per person), else of the first request only. */
  capturePerSession: boolean;
  /**
   * Its SQL depends on the data it finds (a full slot, the week's quota): recorded once, to be planned
   * (EXPLAIN), never replayed; the baseline answers it with code written by hand (baseline-booking.ts).
   */
  handWrittenBaseline?: boolean;
  /**
   * The page a refusal shows again (the booking page of the session's detainee and visitors), recorded
   * too: the baseline runs its SQL when it refuses, as P2V renders it with the error.
   */
  refusalPage?: string;
  /** Before a run, on each instance about to be measured (`host`: the address users reach it by). */
  before?: (url: string, host?: string) => Promise<void>;
  /** Before each run (P2V's and the baseline's): puts back the data a run changes, so that both start from the same state. */
  reset?: (db: Client) => Promise<void>;
  /** After the runs: facts checked in the database (e.g. no overbooking). */
  after?: (db: Client) => Promise<Record<string, number>>;
}

export type SignIn = (url: string, who: Record<string, string>, formPage?: string) => Promise<BenchSession>;

const CODE = 'N001';

async function one<T>(db: Client, sql: string, params: unknown[] = []): Promise<T> {
  const r = await db.query(sql, params);
  if (!r.rows[0]) throw new Error(`The national dataset is missing here (npm run data:national): ${sql}`);
  return r.rows[0] as T;
}

function agent(email: string): Record<string, string> {
  return { provider: 'proconnect', sub: `pc-bench-${email}`, email, given_name: 'Agent', usual_name: 'Banc d’essai' };
}

/** A family of the dataset, signed in as FranceConnect would (its account's subject and identity). */
function family(f: { sub: string; given: string; family: string; birthdate: string; email: string }): Record<string, string> {
  return {
    provider: 'franceconnect',
    sub: f.sub,
    given_name: f.given,
    family_name: f.family,
    birthdate: f.birthdate,
    email: f.email,
    acr: 'eidas1',
  };
}

export async function scenarioSetups(db: Client, url: string, signIn: SignIn): Promise<Scenario[]> {
  const est = await one<{ id: string }>(db, `SELECT id FROM establishments WHERE code = $1`, [CODE]);
  const { day } = await one<{ day: string }>(
    db,
    `SELECT to_char((lower(during) AT TIME ZONE 'Europe/Paris')::date, 'YYYY-MM-DD') AS day, count(*) AS n
       FROM visits WHERE establishment_id = $1 AND status = 'BOOKED' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`,
    [est.id],
  );
  // The app's clock on that day at 08:00 in Paris (winter or summer time), running.
  const at = await one<{ at: string }>(db, `SELECT (($1::date + time '08:00') AT TIME ZONE 'Europe/Paris')::text AS at`, [day]);
  // Each instance's clock, on its own address but named as the one address users reach (`host`: APP_URL's).
  const setClock = async (server: string, host?: string) => {
    const u = new URL(server);
    const body = new URLSearchParams({ at: new Date(at.at).toISOString(), frozen: 'false' }).toString();
    const status = await new Promise<number>((done, fail) => {
      const headers = {
        host: host ?? u.host,
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': Buffer.byteLength(body),
      };
      const req = request({ host: u.hostname, port: u.port, path: '/__test__/clock', method: 'POST', headers }, (res) => {
        res.resume();
        done(res.statusCode ?? 0);
      });
      req.on('error', fail);
      req.end(body);
    });
    if (status !== 200) throw new Error(`Clock not set (${status})`);
  };
  await setClock(url);

  const parloir = (n: number) => `parloir${(n % 3) + 1}.${CODE.toLowerCase()}@justice.fr`;
  const visitors = (
    await db.query<{ visit: string; visitor: string }>(
      `SELECT v.id AS visit, vv.id AS visitor FROM visits v JOIN visit_visitors vv ON vv.visit_id = v.id JOIN permits p ON p.id = vv.permit_id
        WHERE v.establishment_id = $1 AND v.status = 'BOOKED' AND p.status = 'ACTIVE'
          AND (lower(v.during) AT TIME ZONE 'Europe/Paris')::date = $2::date ORDER BY lower(v.during), v.reference, vv.id`,
      [est.id, day],
    )
  ).rows;
  if (visitors.length === 0) throw new Error(`No visitor to check in on ${day}`);
  const visitPage = `/etablissements/${CODE}/parloir/visites/${visitors[0].visit}`;

  const families = (
    await db.query<{ sub: string; given: string; family: string; birthdate: string; email: string }>(
      `SELECT a.fc_subject AS sub, a.given_name AS given, a.family_name AS family, to_char(a.birthdate, 'YYYY-MM-DD') AS birthdate, a.email
         FROM family_accounts a JOIN visits v ON v.family_account_id = a.id
        WHERE v.establishment_id = $1 GROUP BY a.id ORDER BY count(*) DESC, a.fc_subject LIMIT 10`,
      [est.id],
    )
  ).rows;
  const familySessions: BenchSession[] = [];
  for (const f of families) familySessions.push(await signIn(url, family(f)));
  const sessionsOf = async (count: number, email: (i: number) => string, formPage?: string) => {
    const out: BenchSession[] = [];
    for (let i = 0; i < count; i++) out.push(await signIn(url, agent(email(i)), formPage));
    return out;
  };

  // Bookings: 100 families, each visiting a prévenu (3 visits a week) with the detainee's first permit,
  // over every slot from two days after the clock's day to the end of the horizon; one request in five
  // wants the same slot (the first Saturday morning).
  const bookers = (
    await db.query<{ sub: string; given: string; family: string; birthdate: string; email: string; detainee: string; permit: string }>(
      `SELECT DISTINCT ON (a.id) a.fc_subject AS sub, a.given_name AS given, a.family_name AS family, to_char(a.birthdate, 'YYYY-MM-DD') AS birthdate,
              a.email, p.detainee_id AS detainee, p.id AS permit
         FROM permits p JOIN family_accounts a ON a.id = p.family_account_id JOIN detainees d ON d.id = p.detainee_id
        WHERE p.establishment_id = $1 AND p.status = 'ACTIVE' AND d.legal_status = 'PREVENU' AND p.visitor_birthdate < date '2000-01-01'
        ORDER BY a.id, p.id LIMIT 100`,
      [est.id],
    )
  ).rows;
  const bookerSessions: BenchSession[] = [];
  for (const f of bookers) {
    const session = await signIn(url, family(f), `/visites/reserver?detenu=${f.detainee}&visiteurs=${f.permit}`);
    bookerSessions.push({ ...session, vars: { detainee: f.detainee, permit: f.permit } });
  }
  // The slots a family is offered: public holidays are closed (the establishment is not open on them).
  const choices = (
    await db.query<{ choice: string; dow: number; day: string }>(
      `SELECT t.id || '|' || to_char(d, 'YYYY-MM-DD') AS choice, extract(isodow FROM d)::int AS dow, to_char(d, 'YYYY-MM-DD') AS day
         FROM slot_templates t JOIN visiting_rooms r ON r.id = t.room_id
        CROSS JOIN generate_series($2::date + 2, $2::date + 27, interval '1 day') d
        WHERE r.establishment_id = $1 AND t.day_of_week = extract(isodow FROM d) ORDER BY d, t.start_time, r.name`,
      [est.id, day],
    )
  ).rows.filter((c) => publicHoliday(c.day, 'METROPOLE') === null);
  const hot = choices.find((c) => c.dow === 6)?.choice ?? choices[0].choice;
  const bookingBody = (choice: string) =>
    `_csrf={csrf}&detaineeId={detainee}&permitIds={permit}&slot=${encodeURIComponent(choice)}&key={run}-{n}`;
  const bookingRequests: BenchRequest[] = choices.flatMap((c, i) => [
    { method: 'POST' as const, path: '/visites/reserver', body: bookingBody(c.choice) },
    ...(i % 4 === 0 ? [{ method: 'POST' as const, path: '/visites/reserver', body: bookingBody(hot) }] : []),
  ]);
  const roomIds = `SELECT id FROM visiting_rooms WHERE establishment_id = '${est.id}'`;
  const { since } = await one<{ since: Date }>(db, `SELECT now() AS since`);

  return [
    {
      name: 'day-list',
      title: `Liste du parloir du jour le plus chargé (${day}), 10 agents`,
      connections: 10,
      sessions: await sessionsOf(10, parloir),
      requests: [{ method: 'GET', path: `/etablissements/${CODE}/parloir?jour=${day}` }],
      expect: [200],
      capturePerSession: false,
      before: setClock,
    },
    {
      name: 'check-in',
      title: `Arrivée d’un visiteur pointée, 50 agents (${visitors.length} visiteurs du jour)`,
      connections: 50,
      sessions: await sessionsOf(50, parloir, visitPage),
      requests: visitors.map((v) => ({
        method: 'POST' as const,
        path: `/etablissements/${CODE}/parloir/visites/${v.visit}/visiteurs/${v.visitor}`,
        body: '_csrf={csrf}&status=ARRIVED',
      })),
      expect: [303],
      capturePerSession: false,
      before: setClock,
    },
    {
      name: 'bookings',
      title: `Réservations en ligne, 100 familles sur ${choices.length} créneaux, dont un créneau que toutes veulent`,
      connections: 100,
      sessions: bookerSessions,
      requests: bookingRequests,
      // Booked (303), or refused as a family would be told: full, quota of the week, already booked then (409).
      expect: [303, 409],
      capturePerSession: false,
      handWrittenBaseline: true,
      refusalPage: '/visites/reserver?detenu={detainee}&visiteurs={permit}',
      before: setClock,
      // The bookings of the runs undone (visits, their visitors and messages, their convocations cancelled;
      // the slots' counters counted again), so that P2V and the baseline each start from the dataset's slots.
      // Appointments are cancelled, not deleted: each delete would check visits.appointment_id, unindexed.
      reset: async (db) => {
        await db.query(
          `WITH v AS (SELECT id, appointment_id FROM visits
                       WHERE establishment_id = $1 AND channel = 'ONLINE' AND idempotency_key IS NOT NULL AND created_at >= $2),
                vv AS (DELETE FROM visit_visitors WHERE visit_id IN (SELECT id FROM v)),
                dv AS (DELETE FROM visits WHERE id IN (SELECT id FROM v)),
                n AS (DELETE FROM notifications WHERE entity_type = 'appointment' AND entity_id IN (SELECT appointment_id FROM v))
           UPDATE appointments SET status = 'CANCELLED', cancelled_at = now() WHERE id IN (SELECT appointment_id FROM v)`,
          [est.id, since],
        );
        await db.query(
          `WITH c AS (SELECT s.id, count(v.id)::int AS n FROM visit_slots s
                        LEFT JOIN visits v ON v.slot_id = s.id AND v.status <> 'CANCELLED'
                       WHERE s.room_id IN (${roomIds}) AND s.starts_at > $1 GROUP BY s.id)
           UPDATE visit_slots s SET booked = c.n FROM c WHERE c.id = s.id AND s.booked <> c.n`,
          [since],
        );
      },
      after: async (check) => {
        const r = await check.query<{ overbooked: number; drift: number }>(
          `SELECT count(*) FILTER (WHERE s.booked + s.held > s.capacity OR coalesce(c.n, 0) > s.capacity)::int AS overbooked,
                  count(*) FILTER (WHERE s.booked <> coalesce(c.n, 0))::int AS drift
             FROM visit_slots s
             LEFT JOIN (SELECT slot_id, count(*)::int AS n FROM visits WHERE establishment_id = $1 AND status <> 'CANCELLED' GROUP BY slot_id) c
               ON c.slot_id = s.id
            WHERE s.room_id IN (${roomIds})`,
          [est.id],
        );
        return { overbookedSlots: r.rows[0].overbooked, slotCounterDrift: r.rows[0].drift };
      },
    },
    {
      name: 'family-visits',
      title: '« Mes visites et rendez-vous » d’une famille, 10 familles',
      connections: 10,
      sessions: familySessions,
      requests: [{ method: 'GET', path: '/mes-rendez-vous' }],
      expect: [200],
      capturePerSession: true,
      before: setClock,
    },
    {
      name: 'family-requests',
      title: '« Mes demandes de permis » d’une famille, 10 familles',
      connections: 10,
      sessions: familySessions,
      requests: [{ method: 'GET', path: '/demandes' }],
      expect: [200],
      capturePerSession: true,
      before: setClock,
    },
    {
      name: 'permits-queue',
      title: 'File des demandes de permis (filtrée, page 2, recherche), 10 agents du greffe',
      connections: 10,
      sessions: await sessionsOf(10, (i) => `greffe${(i % 2) + 1}.${CODE.toLowerCase()}@justice.fr`),
      requests: [
        { method: 'GET', path: `/etablissements/${CODE}/permis/demandes?filtre=READY` },
        { method: 'GET', path: `/etablissements/${CODE}/permis/demandes?page=2` },
        { method: 'GET', path: `/etablissements/${CODE}/permis/demandes?q=mar` },
      ],
      expect: [200],
      capturePerSession: false,
      before: setClock,
    },
    {
      name: 'national-view',
      title:
        'Pilotage national : chiffres de 12 mois par établissement (tri, page 2, une direction) et d’un établissement, 10 agents de la DAP',
      connections: 10,
      sessions: await sessionsOf(10, (i) => `dap${(i % 3) + 1}@justice.fr`),
      requests: [
        { method: 'GET', path: '/pilotage' },
        { method: 'GET', path: '/pilotage?tri=rejets&page=2' },
        { method: 'GET', path: '/pilotage?direction=PARIS' },
        { method: 'GET', path: `/pilotage/etablissements/${CODE}` },
      ],
      expect: [200],
      capturePerSession: false,
      before: setClock,
    },
    {
      name: 'head-deadlines',
      title: 'Tableau de bord du chef d’établissement : demandes par échéance des 2 mois, 10 sessions',
      connections: 10,
      sessions: await sessionsOf(10, () => `direction1.${CODE.toLowerCase()}@justice.fr`),
      requests: [{ method: 'GET', path: `/etablissements/${CODE}/permis/tableau-de-bord` }],
      expect: [200],
      capturePerSession: false,
      before: setClock,
    },
  ];
}
