import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { freePort, spawnNode, Spawned, waitFor } from './processes';
import { createDatabase, freshDatabase, runPrefix, serverUrl, TEMPLATE_DB, testDatabaseUrl } from './db';

export interface TestApp {
  url: string;
  /** The app's process; none for the worker's shared app (its files only reach it over HTTP). */
  proc?: Spawned;
  http(): ReturnType<typeof request.agent>;
  /** Sets the app's clock (TEST_ENDPOINTS): running from `at`, or stopped there with `frozen`. */
  setClock(at: Date | string, opts?: { frozen?: boolean }): Promise<void>;
  /** Back to the system clock. */
  resetClock(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the real, built application (node dist/src/main.js) on a free port, against a fresh test
 * database (migrated, demo data: see freshDatabase), with the local OpenID provider.
 */
export async function startTestApp(env: NodeJS.ProcessEnv = {}, opts: { reset?: boolean; detached?: boolean } = {}): Promise<TestApp> {
  // On the embedded database the file's database is emptied and the app below migrates and seeds it itself.
  if (opts.reset !== false && env.DATABASE_URL === undefined) await freshDatabase({ empty: !serverUrl() });
  const port = await freePort();
  const fullEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: 'test',
    PORT: String(port),
    DATABASE_URL: testDatabaseUrl(),
    DEMO_IDP: 'true',
    SEED_DEMO_DATA: 'true',
    LOG_LEVEL: 'warn',
    SIGNIN_RATE_LIMIT: '1000',
    ECROU_RATE_LIMIT: '1000',
    DEMO_MESSAGING: 'true',
    NOTIFICATIONS_POLL_MS: '200',
    // A query outside its transaction fails at once, on any database (docs/architecture.md).
    TX_GUARD: 'true',
    TEST_ENDPOINTS: 'true',
    ...env,
  };
  for (const [k, v] of Object.entries(fullEnv)) if (v === undefined) delete fullEnv[k];
  const proc = spawnNode('dist/src/main.js', [], fullEnv, { detached: opts.detached });
  const url = `http://localhost:${port}`;
  await waitFor(
    'app start',
    async () => ((await request(url).get('/health')).status === 200 ? true : undefined),
    APP_START_TIMEOUT - 5000,
    proc,
  );
  return { ...appAt(url), proc, stop: () => stopProcess(proc) };
}

async function stopProcess(proc: Spawned): Promise<void> {
  await proc.stop();
  // With P2V_TEST_LOGS=1 the app's own logs are printed, to see why a test failed.
  if (process.env.P2V_TEST_LOGS) process.stderr.write(proc.output());
}

/** The test-facing handle of an app listening at `url`. */
function appAt(url: string): TestApp {
  return {
    url,
    http: () => request.agent(url),
    async setClock(at, opts = {}) {
      const iso = typeof at === 'string' ? at : at.toISOString();
      await request(url)
        .post('/__test__/clock')
        .type('form')
        .send({ at: iso, frozen: String(Boolean(opts.frozen)) })
        .expect(200);
    },
    async resetClock() {
      await request(url).delete('/__test__/clock').expect(200);
    },
    async stop() {
      // The worker's shared app outlives its files: global-teardown stops it.
    },
  };
}

/**
 * The Jest worker's shared app, for test files that need no particular environment. Starting an app
 * costs 2-3 s of CPU; on a PostgreSQL server the files of one worker share one instead, on a
 * database of its own that `/__test__/reset` empties and fills with the demo data again before each
 * file (as a fresh copy of the template would be). Its address is kept in a file of the worker, as
 * Jest loads the test helpers anew for every file; global-teardown stops the apps listed there.
 */
export const SHARED_APPS_DIR = join(tmpdir(), 'p2v-test-apps');

/** The documents folder and key of an app (its encrypted store: photos, identity documents, letters). */
export interface DocumentsDir {
  dir: string;
  key: Buffer;
}

interface SharedAppFile {
  url: string;
  database: string;
  docsDir: string;
  docsKey: string;
}

/**
 * The worker's shared app, with its documents folder and key (emptied with the data by the reset,
 * the demo's photos written again).
 */
export async function sharedApp(): Promise<TestApp & { docs: DocumentsDir }> {
  const file = join(SHARED_APPS_DIR, `${runPrefix()}-w${process.env.JEST_WORKER_ID ?? '1'}.json`);
  const known = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SharedAppFile) : null;
  if (known) {
    // A shared app that no longer answers (stopped, crashed) is replaced; one that cannot reset is a failure.
    const reset = await request(known.url)
      .post('/__test__/reset')
      .timeout(30_000)
      .ok(() => true)
      .catch(() => null);
    if (reset && reset.status !== 200) throw new Error(`The worker's shared app could not reset its data: ${reset.status} ${reset.text}`);
    if (reset) {
      process.env.P2V_TEST_DB_URL = known.database;
      return { ...appAt(known.url), docs: { dir: known.docsDir, key: Buffer.from(known.docsKey, 'base64') } };
    }
  }
  const worker = `${runPrefix()}_shared_w${process.env.JEST_WORKER_ID ?? '1'}`;
  const database = await createDatabase(worker, TEMPLATE_DB);
  process.env.P2V_TEST_DB_URL = database;
  const docs = { dir: join(tmpdir(), `p2v-docs-${worker}`), key: randomBytes(32) };
  // Detached from this file: the process outlives it; its output goes to a log file, kept with P2V_TEST_LOGS=1.
  const app = await startTestApp(
    { SIGNIN_RATE_LIMIT: '100000', ECROU_RATE_LIMIT: '100000', DOCUMENTS_DIR: docs.dir, DOCUMENTS_KEY: docs.key.toString('base64') },
    { reset: false, detached: true },
  );
  mkdirSync(SHARED_APPS_DIR, { recursive: true });
  const shared: SharedAppFile & { pid?: number; log?: string } = {
    url: app.url,
    pid: app.proc!.child.pid,
    database,
    log: app.proc!.logFile,
    docsDir: docs.dir,
    docsKey: docs.key.toString('base64'),
  };
  writeFileSync(file, JSON.stringify(shared));
  return { ...appAt(app.url), docs };
}

/**
 * Starting an app (a Node process, Nest, the first sign-in's discovery) takes 2-3 s, more on a busy
 * machine: its hook gets longer than a test (20 s), and startTestApp itself gives up after 60 s.
 */
export const APP_START_TIMEOUT = 60_000;

/**
 * A test file's app on fresh demo data, ready before its tests and stopped after them: the worker's
 * shared app (reset) when the file needs no particular environment and the tests run on a
 * PostgreSQL server, an app of its own otherwise.
 */
export function testApp(env: NodeJS.ProcessEnv = {}): Promise<TestApp> {
  return Object.keys(env).length === 0 && serverUrl() ? sharedApp() : startTestApp(env);
}

/** A test file's app (fresh database, demo data), started before its tests and stopped after them. */
export function appForTests(env: NodeJS.ProcessEnv = {}): { app: TestApp } {
  const suite = {} as { app: TestApp };
  beforeAll(async () => {
    suite.app = await testApp(env);
  }, APP_START_TIMEOUT);
  afterAll(async () => {
    // Its clock back on the system time (a shared app serves the worker's next file), then stopped (an app of its own).
    await suite.app?.resetClock();
    await suite.app?.stop();
  });
  return suite;
}
