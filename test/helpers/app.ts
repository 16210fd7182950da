import request from 'supertest';
import { freePort, spawnNode, Spawned, waitFor } from './processes';
import { freshDatabase, testDatabaseUrl } from './db';

export interface TestApp {
  url: string;
  proc: Spawned;
  http(): ReturnType<typeof request.agent>;
  /** Sets the app's clock (TEST_CLOCK): running from `at`, or stopped there with `frozen`. */
  setClock(at: Date | string, opts?: { frozen?: boolean }): Promise<void>;
  /** Back to the system clock. */
  resetClock(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the real, built application (node dist/src/main.js) on a free port, against a fresh test
 * database (migrated, demo data: see freshDatabase), with the local OpenID provider.
 */
export async function startTestApp(env: NodeJS.ProcessEnv = {}, opts: { reset?: boolean } = {}): Promise<TestApp> {
  if (opts.reset !== false && env.DATABASE_URL === undefined) await freshDatabase();
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
    DEMO_MESSAGING: 'true',
    NOTIFICATIONS_POLL_MS: '200',
    // A query outside its transaction fails at once, on any database (docs/architecture.md).
    TX_GUARD: 'true',
    TEST_CLOCK: 'true',
    ...env,
  };
  for (const [k, v] of Object.entries(fullEnv)) if (v === undefined) delete fullEnv[k];
  const proc = spawnNode('dist/src/main.js', [], fullEnv);
  const url = `http://localhost:${port}`;
  await waitFor(
    'app start',
    async () => ((await request(url).get('/health')).status === 200 ? true : undefined),
    APP_START_TIMEOUT - 5000,
    proc,
  );
  return {
    url,
    proc,
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
      await proc.stop();
      // With P2V_TEST_LOGS=1 the app's own logs are printed, to see why a test failed.
      if (process.env.P2V_TEST_LOGS) process.stderr.write(proc.output());
    },
  };
}

/**
 * Starting an app (a Node process, Nest, the first sign-in's discovery) takes 2-3 s, more on a busy
 * machine: its hook gets longer than a test (20 s), and startTestApp itself gives up after 60 s.
 */
export const APP_START_TIMEOUT = 60_000;

/** A test file's app (fresh database, demo data), started before its tests and stopped after them. */
export function appForTests(env: NodeJS.ProcessEnv = {}): { app: TestApp } {
  const suite = {} as { app: TestApp };
  beforeAll(async () => {
    suite.app = await startTestApp(env);
  }, APP_START_TIMEOUT);
  afterAll(async () => {
    await suite.app?.stop();
  });
  return suite;
}
