/**
 * `npm run bench`: P2V's speed through its real HTTP stack on the national dataset, against a bare
 * `node:http` + `pg` baseline that runs the same SQL (scripts/bench/baseline.ts).
 *
 *   createdb p2v_national && DATABASE_URL=postgres://…/p2v_national npm run data:national
 *   createdb p2v_small && DATABASE_URL=postgres://…/p2v_small npm run data:national -- --scale=0.01
 *   BENCH_DATABASE_URL=postgres://…/p2v_national BENCH_SMALL_DATABASE_URL=postgres://…/p2v_small npm run bench
 *
 * For each database: the app is started once with SQL_CAPTURE_FILE to record the SQL of one request of
 * each scenario and person, then again without it (the one measured), beside the baseline. Each
 * scenario runs `--warmup` seconds, then `--duration` seconds on each server, driven by autocannon in a
 * process of its own (scripts/bench/load.ts); the app's memory is read from /proc while it runs.
 * Results: docs/benchmarks.md (table) and docs/benchmarks.json. Exits 1 when a goal is missed.
 * `--profile`: each scenario also on an instance of its own under a CPU profile, where its time goes
 * written to docs/benchmarks-profiles.md. `--only=a,b --merge`: those scenarios measured again, the
 * others' results of the last run kept. `--out=file.json`: the report written there only (docs/ and the
 * README untouched), for a measure on other datasets (ten years of history against three: docs/growth.md).
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { projectRoot } from '../../src/common/project-root';
import { freePort } from '../free-port';
import { type CpuCgroupFs, findCpuCgroup, limitCpu } from './cpu-quota';
import { explainCaptured, type SeqScan } from './explain';
import { productionNodeFlags } from './node-flags';
import { type CpuProfile, profilesMarkdown, type ProfileSummary, summarizeProfile } from './profile';
import { type BenchReport, GOALS, goalsMissed, markdownReport, markdownTable, type ScaleOut, type ScenarioResult } from './report';
import { scenarioSetups, type Scenario } from './scenarios';
import { type BenchRequest, fillRequest, type BenchSession, type CapturedRequest, type LoadResult, type LoadSpec } from './types';

const root = projectRoot();
const run = promisify(execFile);

function option(name: string, fallback: string): string {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
}

async function waitForHttp(url: string, proc: ChildProcess, what: string): Promise<void> {
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    if (proc.exitCode !== null) throw new Error(`${what} exited (${proc.exitCode})`);
    try {
      const r = await fetch(url);
      if (r.status < 500) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not start`);
}

interface Server {
  url: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

function stopper(proc: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((done) => {
      if (proc.exitCode !== null) return done();
      proc.once('exit', () => done());
      proc.kill('SIGTERM');
    });
}

interface AppOptions {
  /** Records each statement (SQL_CAPTURE_FILE). */
  captureFile?: string;
  /** The address users reach, when it is a proxy's. */
  appUrl?: string;
  /** A CPU budget in cores, as a container's limit (scripts/bench/cpu-quota.ts). */
  cpu?: { cgroup: CpuCgroupFs; cores: number };
}

/** The built app, as production runs it but for the test endpoints (sessions, clock) and the demo providers. */
async function startApp(databaseUrl: string, secret: string, { captureFile, appUrl, cpu }: AppOptions = {}): Promise<Server> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = spawn(process.execPath, [...productionNodeFlags(readFileSync(resolve(root, 'Dockerfile'), 'utf8')), 'dist/src/main.js'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      PORT: String(port),
      APP_URL: appUrl ?? url,
      DATABASE_URL: databaseUrl,
      SESSION_SECRET: secret,
      DEMO_IDP: 'true',
      DEMO_MESSAGING: 'true',
      SEED_DEMO_DATA: 'false',
      TEST_ENDPOINTS: 'true',
      LOG_LEVEL: 'info',
      // The background jobs wait: the clock set ahead would make weeks of reminders due at once, a burst
      // no real day has. The scenarios measure the requests.
      NOTIFICATIONS_POLL_MS: '3600000',
      WAITLIST_POLL_MS: '3600000',
      // The national view's months are computed by the dataset; the hourly job would land mid-run.
      OVERSIGHT_REFRESH_MS: '86400000',
      ...(captureFile ? { SQL_CAPTURE_FILE: captureFile } : {}),
    },
  });
  // Limited from its first instructions on: the start-up and the warm-up run under the same budget.
  const release = cpu ? limitCpu(cpu.cgroup, proc.pid!, cpu.cores) : () => undefined;
  const stop = stopper(proc);
  await waitForHttp(`${url}/health`, proc, 'P2V');
  return {
    url,
    proc,
    stop: async () => {
      await stop();
      release();
    },
  };
}

async function startBaseline(databaseUrl: string, secret: string, capturesFile: string): Promise<Server> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = spawn(process.execPath, [join(__dirname, 'baseline.js'), capturesFile], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { PATH: process.env.PATH, PORT: String(port), DATABASE_URL: databaseUrl, SESSION_SECRET: secret },
  });
  await waitForHttp(url, proc, 'baseline');
  return { url, proc, stop: stopper(proc) };
}

/** The resident memory of a process (MB), read every 100 ms until `stop`; returns the peak. */
function memoryWatch(pid: number): () => number {
  let peak = 0;
  const read = () => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      peak = Math.max(peak, kb / 1024);
    } catch {
      /* gone */
    }
  };
  read();
  const timer = setInterval(read, 100);
  return () => {
    clearInterval(timer);
    read();
    return Math.round(peak);
  };
}

async function load(spec: LoadSpec): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'p2v-bench-'));
  const file = join(dir, 'spec.json');
  writeFileSync(file, JSON.stringify(spec));
  const { stdout } = await run(process.execPath, [join(__dirname, 'load.js'), file], { maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as LoadResult;
}

/** Signs people in through the test endpoint; the session's CSRF token read from a page with a form. */
async function signIn(db: Client, url: string, who: Record<string, string>, formPage?: string): Promise<BenchSession> {
  const r = await fetch(`${url}/__test__/session`, {
    method: 'POST',
    body: new URLSearchParams(who),
    redirect: 'manual',
  });
  if (r.status !== 303) throw new Error(`Sign-in refused (${r.status}): ${await r.text()}`);
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0];
  let csrf: string | undefined;
  if (formPage) {
    const page = await (await fetch(`${url}${formPage}`, { headers: { cookie } })).text();
    csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
    if (!csrf) throw new Error(`No form on ${formPage}`);
  }
  const sid = decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1))
    .replace(/^s:/, '')
    .replace(/\.[^.]*$/, '');
  const row = await db.query<{ id: string }>(`SELECT sess->'passport'->'user'->>'id' AS id FROM "session" WHERE sid = $1`, [sid]);
  if (!row.rows[0]?.id) throw new Error('Session not stored');
  return { cookie, csrf, userId: row.rows[0].id };
}

/**
 * One request of each scenario (each request of the list; for each session too where pages differ per
 * person) with its SQL recorded by the app (SQL_CAPTURE_FILE, keyed by X-Request-Id).
 */
async function capture(app: Server, captureFile: string, scenarios: Scenario[]): Promise<CapturedRequest[]> {
  const sent: (CapturedRequest & { requestId: string })[] = [];
  for (const s of scenarios) {
    process.stderr.write(`Recording the SQL of ${s.name}…\n`);
    const people = s.capturePerSession ? s.sessions : s.sessions.slice(0, 1);
    for (const [i, session] of people.entries()) {
      // A first page once, not recorded: what a session does once (a family's account remembering the
      // page's language) is not what its every request does, and the baseline replays what is recorded.
      const first = await fetch(`${app.url}/`, { headers: { cookie: session.cookie }, redirect: 'manual' });
      await first.arrayBuffer();
      if (first.status >= 400) throw new Error(`${s.name}: the first page answered ${first.status}`);
      // A hand-written baseline's SQL is only planned (EXPLAIN): one request is enough; the page a refusal
      // shows again is recorded too (the baseline replays it when it refuses).
      const refusal: BenchRequest[] = s.refusalPage ? [{ method: 'GET', path: s.refusalPage }] : [];
      for (const r of s.handWrittenBaseline ? [...s.requests.slice(0, 1), ...refusal] : s.requests) {
        const requestId = `bench-${s.name}-${sent.length}-${randomBytes(4).toString('hex')}`;
        const fill = (t: string) => fillRequest(t, session, `capture${i}`, 'bench');
        const body = r.body === undefined ? undefined : fill(r.body);
        const path = fill(r.path);
        const res = await fetch(`${app.url}${path}`, {
          method: r.method,
          headers: {
            cookie: session.cookie,
            'x-request-id': requestId,
            ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          },
          body,
          redirect: 'manual',
        });
        await res.arrayBuffer();
        const expected = r.path === s.refusalPage ? [200] : s.expect;
        if (!expected.includes(res.status)) throw new Error(`${s.name}: ${r.method} ${path} answered ${res.status}`);
        sent.push({
          requestId,
          scenario: s.name,
          userId: session.userId,
          method: r.method,
          url: path,
          body: body ?? '',
          status: res.status,
          location: res.headers.get('location'),
          statements: [],
        });
      }
    }
  }
  // The app writes each statement before it answers: the file is complete.
  const byId = new Map(sent.map((c) => [c.requestId, c]));
  for (const line of readFileSync(captureFile, 'utf8').split('\n')) {
    if (!line) continue;
    const st = JSON.parse(line) as { requestId: string; sql: string; params: unknown[] };
    byId.get(st.requestId)?.statements.push({ sql: st.sql, params: st.params });
  }
  return sent.map(({ requestId: _id, ...c }) => c);
}

/**
 * A round-robin TCP proxy in front of several instances (as a load balancer): each connection to the
 * next one. It listens first: the instances are started with its address as their APP_URL (the one
 * address users reach), then put behind it with `serve`.
 */
function roundRobin(): Promise<{ url: string; serve(urls: string[]): void; close(): Promise<void> }> {
  let ports: number[] = [];
  let next = 0;
  const server = createServer((client) => {
    const upstream = connect(ports[next++ % ports.length], '127.0.0.1');
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () =>
      done({
        url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
        serve: (urls) => {
          ports = urls.map((u) => Number(new URL(u).port));
        },
        close: () => new Promise((closed) => server.close(() => closed())),
      }),
    ),
  );
}

/**
 * Waits until no other connection to the database is working: the requests still in flight when a load
 * run stops (their transactions may commit after it) must not overlap a scenario's reset.
 */
async function settled(db: Client): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const r = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND backend_type = 'client backend' AND state <> 'idle' AND pid <> pg_backend_pid()`,
    );
    if (r.rows[0].n === 0) return;
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** One load run of a scenario against `url`. */
const loadSpec = (s: Scenario, url: string, seconds: number): LoadSpec => ({
  scenario: s.name,
  url,
  connections: s.connections,
  duration: seconds,
  sessions: s.sessions,
  requests: s.requests,
  expect: s.expect,
});

const resetOf = (s: Scenario, db: Client) => async () => {
  if (!s.reset) return;
  await settled(db);
  await s.reset(db);
};

/**
 * Runs each scenario on P2V at `url` (its instances' own addresses for the clock, their processes for
 * the memory), then on the baseline when there is one.
 */
async function runScenarios(
  scenarios: Scenario[],
  p2v: { url: string; instances: Server[] },
  baseline: Server | null,
  db: Client,
  label: string,
): Promise<ScenarioResult[]> {
  const duration = Number(option('duration', '10'));
  const warmup = Number(option('warmup', '3'));
  const results: ScenarioResult[] = [];
  for (const s of scenarios) {
    for (const instance of p2v.instances) await s.before?.(instance.url, new URL(p2v.url).host);
    const spec = (url: string, seconds: number) => loadSpec(s, url, seconds);
    await resetOf(s, db)();
    await load(spec(p2v.url, warmup));
    const peaks = p2v.instances.map((i) => memoryWatch(i.proc.pid!));
    const measured = await load(spec(p2v.url, duration));
    const memoryMb = Math.max(...peaks.map((peak) => peak()));
    let base: LoadResult | null = null;
    if (baseline) {
      await resetOf(s, db)();
      await load(spec(baseline.url, warmup));
      base = await load(spec(baseline.url, duration));
    }
    await settled(db);
    const checks = (await s.after?.(db)) ?? {};
    results.push({
      scenario: s.name,
      title: s.title,
      connections: s.connections,
      database: label,
      p2v: measured,
      baseline: base,
      memoryMb,
      checks,
    });
    process.stderr.write(
      `${label} ${s.name}: ${measured.throughput.toFixed(0)} req/s p95 ${measured.p95} ms` +
        (base ? ` | baseline ${base.throughput.toFixed(0)} req/s p95 ${base.p95} ms` : '') +
        ` | errors ${measured.errors} | ${memoryMb} MB\n`,
    );
  }
  return results;
}

/**
 * Each scenario on a P2V instance of its own: warm-up, then the measured run under a CPU profile taken
 * in the process (test endpoint /__test__/cpu-profile, start-up left out), reduced to where the time goes.
 */
async function profileScenarios(
  databaseUrl: string,
  secret: string,
  scenarios: Scenario[],
  db: Client,
): Promise<NonNullable<BenchReport['profiles']>> {
  const duration = Number(option('duration', '10'));
  const warmup = Number(option('warmup', '3'));
  const summaries: { scenario: string; title: string; summary: ProfileSummary }[] = [];
  for (const s of scenarios) {
    const app = await startApp(databaseUrl, secret);
    let profile: CpuProfile;
    try {
      await s.before?.(app.url);
      const spec = (seconds: number) => loadSpec(s, app.url, seconds);
      await resetOf(s, db)();
      await load(spec(warmup));
      if ((await fetch(`${app.url}/__test__/cpu-profile`, { method: 'POST' })).status !== 200) throw new Error('Profile not started');
      await load(spec(duration));
      profile = (await (await fetch(`${app.url}/__test__/cpu-profile`, { method: 'DELETE' })).json()) as CpuProfile;
    } finally {
      await app.stop();
    }
    const summary = summarizeProfile(profile);
    summaries.push({ scenario: s.name, title: s.title, summary });
    process.stderr.write(`profile ${s.name}: ${summary.owners.map((o) => `${o.owner} ${o.share.toFixed(0)} %`).join(', ')}\n`);
  }
  return summaries;
}

async function measure(
  databaseUrl: string,
  label: string,
  opts: { baseline: boolean; scaleOut: boolean; profile?: boolean },
): Promise<{ results: ScenarioResult[]; seqScans: SeqScan[]; scaleOut?: ScaleOut; profiles: NonNullable<BenchReport['profiles']> }> {
  const only = option('only', '');
  const secret = randomBytes(32).toString('hex');
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const dir = mkdtempSync(join(tmpdir(), 'p2v-bench-'));
  const captureFile = join(dir, 'capture.jsonl');
  writeFileSync(captureFile, '');
  try {
    process.stderr.write(`${label}: starting P2V (migrations), signing people in…\n`);
    const capturing = await startApp(databaseUrl, secret, { captureFile });
    let scenarios: Scenario[];
    let captures: CapturedRequest[];
    try {
      const signInHere = (url: string, who: Record<string, string>, formPage?: string) => signIn(db, url, who, formPage);
      scenarios = (await scenarioSetups(db, capturing.url, signInHere)).filter((s) => !only || only.split(',').includes(s.name));
      captures = await capture(capturing, captureFile, scenarios);
    } finally {
      await capturing.stop();
    }
    process.stderr.write('Planning the recorded SQL (EXPLAIN)…\n');
    const seqScans = await explainCaptured(db, captures);
    const capturesFile = join(dir, 'captures.json');
    writeFileSync(capturesFile, JSON.stringify(captures));
    process.stderr.write(`SQL recorded: ${capturesFile}\n`);
    const app = await startApp(databaseUrl, secret);
    const baseline = opts.baseline ? await startBaseline(databaseUrl, secret, capturesFile) : null;
    let results: ScenarioResult[];
    try {
      results = await runScenarios(scenarios, { url: app.url, instances: [app] }, baseline, db, label);
    } finally {
      await app.stop();
      await baseline?.stop();
    }
    // --profile: each scenario again on an instance of its own under a CPU profile (docs/benchmarks-profiles.md).
    const profiles = opts.profile ? await profileScenarios(databaseUrl, secret, scenarios, db) : [];
    // One instance, then two on the one database, behind a round-robin proxy (the same sessions, whichever
    // answers), each with the same CPU budget when the machine allows it.
    let scaleOut: ScaleOut | undefined;
    if (opts.scaleOut) {
      const cores = Number(option('instance-cpu', '0.4'));
      const cgroup = cores > 0 ? findCpuCgroup() : null;
      if (cores > 0 && !cgroup) process.stderr.write('No writable CPU cgroup (root is needed): the instances run without a CPU budget.\n');
      const cpu = cgroup ? { cgroup, cores } : undefined;
      const behindProxy = async (count: number): Promise<ScenarioResult[]> => {
        const proxy = await roundRobin();
        const instances: Server[] = [];
        try {
          for (let i = 0; i < count; i++) instances.push(await startApp(databaseUrl, secret, { appUrl: proxy.url, cpu }));
          proxy.serve(instances.map((i) => i.url));
          return await runScenarios(scenarios, { url: proxy.url, instances }, null, db, `${label} ×${count}`);
        } finally {
          await proxy.close();
          for (const i of instances) await i.stop();
        }
      };
      // Without a budget, one instance is the measured run above.
      const one = cpu ? await behindProxy(1) : results;
      scaleOut = { cpuPerInstance: cpu ? cores : null, one, two: await behindProxy(2) };
    }
    return { results, seqScans, scaleOut, profiles };
  } finally {
    await db.end();
  }
}

async function main(): Promise<number> {
  const national = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!national) throw new Error('BENCH_DATABASE_URL (or DATABASE_URL): a database filled by npm run data:national');
  const small = process.env.BENCH_SMALL_DATABASE_URL;
  const { results, seqScans, scaleOut, profiles } = await measure(national, 'national', {
    baseline: true,
    scaleOut: option('instances', '2') === '2',
    profile: process.argv.includes('--profile'),
  });
  const smallResults = small ? (await measure(small, 'small', { baseline: false, scaleOut: false })).results : [];
  let report: BenchReport = {
    at: new Date().toISOString(),
    goals: GOALS,
    machine: await machine(),
    results,
    smallResults,
    seqScans,
    scaleOut,
    profiles,
  };
  // --only=… --merge: the other scenarios' results of the last full run are kept (the same machine, the same dataset).
  if (process.argv.includes('--merge'))
    report = mergeReports(JSON.parse(readFileSync(resolve(root, 'docs/benchmarks.json'), 'utf8')) as BenchReport, report);
  // --out=file.json: a measure beside the published one (another dataset: ten years against three,
  // docs/growth.md), written there alone; docs/ and the README keep the national run's figures.
  const out = option('out', '');
  if (out) {
    writeFileSync(resolve(out), `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`${markdownTable(report)}\n`);
  } else publish(report);
  const missed = goalsMissed(report);
  for (const m of missed) process.stderr.write(`Goal missed: ${m}\n`);
  process.stderr.write(
    out ? `Written: ${out} (docs/ and the README unchanged)\n` : "Written: docs/benchmarks.md, docs/benchmarks.json, the README's table\n",
  );
  return missed.length ? 1 : 0;
}

/** docs/benchmarks.md and .json (and the profiles, when taken), and the README's « Performance » table. */
function publish(report: BenchReport): void {
  if (report.profiles?.length) writeFileSync(resolve(root, 'docs/benchmarks-profiles.md'), profilesMarkdown(report.profiles));
  writeFileSync(resolve(root, 'docs/benchmarks.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(resolve(root, 'docs/benchmarks.md'), markdownReport(report));
  const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
  const table = `<!-- bench:table -->\n${markdownTable(report)}\n<!-- /bench:table -->`;
  writeFileSync(resolve(root, 'README.md'), readme.replace(/<!-- bench:table -->[\s\S]*?<!-- \/bench:table -->/, table));
}

/** The previous report with the scenarios measured now replaced (and added). */
function mergeReports(previous: BenchReport, now: BenchReport): BenchReport {
  const names = new Set(now.results.map((r) => r.scenario));
  const keep = <T extends { scenario: string }>(old: T[] | undefined, fresh: T[] | undefined) => {
    const merged = [...(old ?? []).filter((r) => !names.has(r.scenario)), ...(fresh ?? [])];
    const order = [...(old ?? []).map((r) => r.scenario), ...(fresh ?? []).map((r) => r.scenario)];
    return merged.sort((a, b) => order.indexOf(a.scenario) - order.indexOf(b.scenario));
  };
  // A report from before the CPU budget held only a list of two-instance runs: not comparable, dropped.
  const earlier = Array.isArray(previous.scaleOut) ? undefined : previous.scaleOut;
  return {
    ...now,
    results: keep(previous.results, now.results),
    smallResults: keep(previous.smallResults, now.smallResults),
    seqScans: keep(previous.seqScans, now.seqScans),
    scaleOut:
      now.scaleOut && earlier && earlier.cpuPerInstance === now.scaleOut.cpuPerInstance
        ? { ...now.scaleOut, one: keep(earlier.one, now.scaleOut.one), two: keep(earlier.two, now.scaleOut.two) }
        : (now.scaleOut ?? earlier),
    profiles: keep(previous.profiles, now.profiles),
  };
}

async function machine(): Promise<string> {
  const { cpus, totalmem } = await import('node:os');
  return `${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
