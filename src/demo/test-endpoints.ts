import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector';
import { dirname, join } from 'node:path';
import express, { Router } from 'express';
import { DataSource, type EntityManager } from 'typeorm';
import type { AppointmentsService } from '../appointments/appointments.service';
import type { Clock } from '../common/clock';
import type { DocumentStore } from '../common/document-store';
import { execute, select } from '../common/sql';
import { seedDemoData } from './seed';
import type { ListedRoute } from './test-routes';

/**
 * Tests only (TEST_ENDPOINTS, refused in production), mounted by main.ts outside the app's routes,
 * session and CSRF:
 * - `POST /__test__/clock` with `at=<ISO instant>[&frozen=true]` sets the app's clock, `DELETE` puts
 *   it back on the system time; both answer with the clock's time;
 * - `POST /__test__/reset` empties every table and the documents folder, and loads the demo data again,
 *   as in a new database (seeded once a day, then copied back from a snapshot): the test files of one
 *   Jest worker share one app this way instead of starting one each;
 * - `GET /__test__/routes` lists every route of the app with its access declaration (JSON, see test-routes.ts);
 * - `POST /__test__/cpu-profile` starts a CPU profile of this process (node:inspector), `DELETE` stops it
 *   and answers the profile (JSON, as `node --cpu-prof` writes it): the benchmark's profiles, start-up left out.
 */
export function testEndpoints(deps: {
  clock: Clock;
  dataSource: DataSource;
  appointments: AppointmentsService;
  photos: DocumentStore;
  documentsDir: string;
  routes: () => ListedRoute[];
}): Router {
  const { clock, dataSource, appointments, photos, documentsDir } = deps;
  const router = Router();
  router.get('/routes', (_req, res) => void res.json(deps.routes()));
  router.post('/clock', express.urlencoded({ extended: false, limit: '1kb' }), (req, res) => {
    const body = req.body as { at?: unknown; frozen?: unknown };
    const at = typeof body.at === 'string' ? new Date(body.at) : null;
    if (!at || Number.isNaN(at.getTime())) return void res.status(400).type('text/plain').send('at: an ISO 8601 instant is required');
    clock.set(at, { frozen: body.frozen === 'true' });
    res.type('text/plain').send(clock.now().toISOString());
  });
  router.delete('/clock', (_req, res) => {
    clock.reset();
    res.type('text/plain').send(clock.now().toISOString());
  });
  let profiler: Session | null = null;
  router.post('/cpu-profile', (_req, res, next) => {
    if (profiler) return void res.status(409).type('text/plain').send('a profile is running');
    const session = new Session();
    session.connect();
    profiler = session;
    session.post('Profiler.enable', () =>
      session.post('Profiler.start', (e) => (e ? next(e) : void res.type('text/plain').send('profiling'))),
    );
  });
  router.delete('/cpu-profile', (_req, res, next) => {
    const session = profiler;
    if (!session) return void res.status(409).type('text/plain').send('no profile is running');
    profiler = null;
    session.post('Profiler.stop', (e, result) => {
      session.disconnect();
      if (e) return next(e);
      res.json(result.profile);
    });
  });
  let snapshot: Snapshot | null = null;
  router.post('/reset', (_req, res, next) => {
    clock.reset();
    const now = clock.now();
    const today = now.toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' });
    emptyFolder(documentsDir)
      .then(async () => {
        if (snapshot?.day === today) return restoreSnapshot(dataSource, snapshot, documentsDir);
        // Taken in the seed's transaction: the background jobs (the outbox sending the demo's
        // confirmations) cannot have changed it yet.
        const taken: { snapshot?: Snapshot } = {};
        await resetData(dataSource, appointments, photos, now, async (m) => {
          taken.snapshot = await takeSnapshot(m, documentsDir, today);
        });
        snapshot = taken.snapshot ?? null;
      })
      .then(() => res.type('text/plain').send('reset'))
      .catch(next);
  });
  return router;
}

/**
 * The demo data as the first reset of the day wrote it: its rows, copied into a schema of their own
 * (`p2v_reset`, which no test reads: they read `public`), the sequences' values and the documents'
 * files. The next resets copy them back (a DELETE and an INSERT … SELECT per table, in one statement
 * list) instead of seeding again through the services: several times faster, and the same rows. Taken
 * again on another day, as the demo's dates are relative to its day.
 */
interface Snapshot {
  day: string;
  /** The statements that put the data back (run in one transaction). */
  restore: string;
  files: { path: string; content: Buffer }[];
}

async function takeSnapshot(m: EntityManager, documentsDir: string, day: string): Promise<Snapshot> {
  const tables = await select<{ name: string; columns: string }>(
    m,
    `SELECT quote_ident(c.table_name) AS name, string_agg(quote_ident(c.column_name), ', ' ORDER BY c.ordinal_position) AS columns
       FROM information_schema.columns c JOIN pg_tables t ON t.schemaname = c.table_schema AND t.tablename = c.table_name
      WHERE c.table_schema = 'public' AND c.table_name <> 'migrations' AND c.is_generated = 'NEVER'
      GROUP BY c.table_name ORDER BY 1`,
  );
  const sequences = await select<{ name: string; value: string | null; called: boolean }>(
    m,
    `SELECT format('%I.%I', schemaname, sequencename) AS name, last_value::text AS value, last_value IS NOT NULL AS called
       FROM pg_sequences WHERE schemaname = 'public' AND sequencename <> 'migrations_id_seq'`,
  );
  await m.query(
    [
      `DROP SCHEMA IF EXISTS p2v_reset CASCADE`,
      `CREATE SCHEMA p2v_reset`,
      ...tables.map((t) => `CREATE TABLE p2v_reset.${t.name} AS SELECT ${t.columns} FROM public.${t.name}`),
    ].join(';\n'),
  );
  const restore = [
    `SET LOCAL session_replication_role = replica`,
    ...tables.map((t) => `DELETE FROM public.${t.name}`),
    ...tables.map(
      (t) => `INSERT INTO public.${t.name} (${t.columns}) OVERRIDING SYSTEM VALUE SELECT ${t.columns} FROM p2v_reset.${t.name}`,
    ),
    ...sequences.map((q) => `SELECT setval('${q.name}', ${q.value ?? 1}, ${q.called})`),
  ].join(';\n');
  return { day, restore, files: await readFolder(documentsDir) };
}

async function restoreSnapshot(dataSource: DataSource, snapshot: Snapshot, documentsDir: string): Promise<void> {
  await Promise.all(
    snapshot.files.map(async (f) => {
      await mkdir(dirname(join(documentsDir, f.path)), { recursive: true });
      await writeFile(join(documentsDir, f.path), f.content);
    }),
  );
  await retriedOnConflict(() => dataSource.transaction((m) => m.query(snapshot.restore)));
}

/** Every file under a folder, with its path relative to it. */
async function readFolder(dir: string, prefix = ''): Promise<{ path: string; content: Buffer }[]> {
  const entries = await readdir(join(dir, prefix), { withFileTypes: true }).catch(() => []);
  const out: { path: string; content: Buffer }[] = [];
  for (const e of entries) {
    const path = join(prefix, e.name);
    if (e.isDirectory()) out.push(...(await readFolder(dir, path)));
    else if (e.isFile()) out.push({ path, content: await readFile(join(dir, path)) });
  }
  return out;
}

/** What a folder holds, deleted (the folder itself stays; a missing one is fine). */
async function emptyFolder(dir: string): Promise<void> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(entries.map((e) => rm(join(dir, e), { recursive: true, force: true })));
}

/** Every table but the migrations' emptied (the audit log's triggers aside, for this one statement), then the demo data. */
async function resetData(
  dataSource: DataSource,
  appointments: AppointmentsService,
  photos: DocumentStore,
  now: Date,
  beforeCommit?: (m: EntityManager) => Promise<void>,
): Promise<void> {
  await retriedOnConflict(async () => {
    await truncateAll(dataSource);
    await seedDemoData(dataSource, { onlyIfEmpty: false, appointments, now, photos, beforeCommit });
  });
}

/**
 * The app's background jobs (outbox, waiting list, video codes) keep running: emptying every table, the
 * demo data or its copy put back can deadlock with one of their transactions (PostgreSQL then aborts
 * one): the whole step is tried again, 5 times at most.
 */
async function retriedOnConflict(step: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await step();
      return;
    } catch (e) {
      const code = (e as { driverError?: { code?: string }; code?: string }).driverError?.code ?? (e as { code?: string }).code;
      if (attempt >= 5 || !['40P01', '40001', '55P03'].includes(code ?? '')) throw e;
    }
  }
}

/**
 * Every row of every table but the migrations' deleted, and their sequences started again, as
 * TRUNCATE … RESTART IDENTITY would, but a DELETE per table: on tables of a few rows it is several
 * times faster than TRUNCATE, which creates new files for every table and index (the tests reset
 * the data before each test file).
 */
async function truncateAll(dataSource: DataSource): Promise<void> {
  await dataSource.transaction(async (m) => {
    const tables = await select<{ name: string }>(
      m,
      `SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations' ORDER BY 1`,
    );
    await execute(m, `SET LOCAL session_replication_role = replica`);
    for (const t of tables) await execute(m, `DELETE FROM ${t.name}`);
    await execute(
      m,
      `SELECT setval(format('%I.%I', sequence_schema, sequence_name), 1, false) FROM information_schema.sequences
        WHERE sequence_schema = 'public' AND sequence_name <> 'migrations_id_seq'`,
    );
  });
}
