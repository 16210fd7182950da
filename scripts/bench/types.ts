/** What the benchmark's parts exchange (scripts/bench/run.ts, load.ts, baseline.ts). */

export interface BenchSession {
  cookie: string;
  /** The session's CSRF token, for the forms. */
  csrf?: string;
  /** The person signed in (agent or family account id). */
  userId: string;
  /** Values of this person put in the requests' `{name}` placeholders (a family's detainee and permit). */
  vars?: Record<string, string>;
}

export interface BenchRequest {
  method: 'GET' | 'POST';
  /** `{n}` is replaced by a counter, `{run}` by the run's id, `{csrf}` by the session's token, `{name}` by the session's vars. */
  path: string;
  body?: string;
}

export interface LoadSpec {
  scenario: string;
  url: string;
  connections: number;
  duration: number;
  sessions: BenchSession[];
  requests: BenchRequest[];
  /** The statuses of a served request (others count as errors). */
  expect: number[];
}

export interface LoadResult {
  requests: number;
  seconds: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  statuses: Record<string, number>;
  errors: number;
}

/** The SQL the app ran for one request of a scenario (SQL_CAPTURE_FILE), which the baseline runs again. */
export interface CapturedRequest {
  scenario: string;
  userId: string;
  method: string;
  url: string;
  body: string;
  status: number;
  location: string | null;
  statements: { sql: string; params: unknown[] }[];
}

/** A request's path or body for one session: its `{csrf}`, `{n}`, `{run}` and own `{name}` placeholders filled. */
export function fillRequest(template: string, session: BenchSession, n: string, run: string): string {
  return Object.entries(session.vars ?? {}).reduce(
    (t, [name, value]) => t.replaceAll(`{${name}}`, encodeURIComponent(value)),
    template
      .replaceAll('{csrf}', encodeURIComponent(session.csrf ?? ''))
      .replaceAll('{n}', n)
      .replaceAll('{run}', run),
  );
}

/** The p-th percentile (nearest rank) of samples sorted in ascending order; 0 when there are none. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((sorted.length * p) / 100) - 1))];
}
