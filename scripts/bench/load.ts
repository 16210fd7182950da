/**
 * One load run of `npm run bench`, in a process of its own (the server measured keeps its cores):
 * autocannon sends the scenario's requests for `duration` seconds over `connections` connections, each
 * connection signed in as one of the sessions given (round robin), the requests taken in turn from
 * the list. Prints one JSON line: throughput, latency percentiles (from every response's time),
 * status counts, errors.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fillRequest, type LoadResult, type LoadSpec, percentile } from './types';

interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (req: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest;
}
interface AutocannonInstance {
  on(event: 'response', cb: (client: unknown, status: number, bytes: number, time: number) => void): void;
  on(event: 'done', cb: (result: { requests: { total: number }; errors: number; timeouts: number; duration: number }) => void): void;
}
// autocannon ships no types of its own: what this file uses of it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (opts: Record<string, unknown>, cb?: (err: Error | null) => void) => AutocannonInstance;

function main(): void {
  const spec = JSON.parse(readFileSync(process.argv[2], 'utf8')) as LoadSpec;
  let nextSession = 0;
  let nextRequest = 0;
  let counter = 0;
  const runId = randomBytes(4).toString('hex');
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const template: AutocannonRequest = {
    setupRequest: (req, context) => {
      if (context.session === undefined) context.session = spec.sessions[nextSession++ % spec.sessions.length];
      const session = context.session as LoadSpec['sessions'][number];
      const r = spec.requests[nextRequest++ % spec.requests.length];
      const n = String(counter++);
      const fill = (s: string) => fillRequest(s, session, n, runId);
      const headers: Record<string, string> = { cookie: session.cookie, 'x-bench-scenario': spec.scenario };
      if (r.body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
      return { ...req, method: r.method, path: fill(r.path), headers, ...(r.body !== undefined ? { body: fill(r.body) } : {}) };
    },
  };
  const instance = autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.duration,
    requests: [template],
    timeout: 10,
  });
  instance.on('response', (_client, status, _bytes, time) => {
    latencies.push(time);
    statuses[String(status)] = (statuses[String(status)] ?? 0) + 1;
  });
  instance.on('done', (result) => {
    latencies.sort((a, b) => a - b);
    const unexpected = Object.entries(statuses)
      .filter(([status]) => !spec.expect.includes(Number(status)))
      .reduce((s, [, count]) => s + count, 0);
    const out: LoadResult = {
      requests: result.requests.total,
      seconds: result.duration,
      throughput: latencies.length / result.duration,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      statuses,
      errors: result.errors + result.timeouts + unexpected,
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  });
}

main();
