/**
 * The benchmark's baseline: a bare `node:http` server with a `pg` pool, no framework, that does for
 * each request what P2V's database work was for the same request: it reads the session as the
 * session store does (signed cookie, one SELECT), checks the form's CSRF token, then runs the
 * statements P2V ran for that request (captured with SQL_CAPTURE_FILE, transactions included) on one
 * connection, the ids of this request and person put in place of those of the captured one, and
 * answers a small HTML page of the rows read, or the same redirect (bookings: its own code, written by
 * hand in baseline-booking.ts, their statements depending on what they find). What P2V adds beyond it (routing,
 * middleware, validation, the ORM, templates, logs) is what the ratio of the two measures.
 *
 * Started by scripts/bench/run.ts: `node baseline.js <captures.json>` with PORT, DATABASE_URL, SESSION_SECRET.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { Pool, type PoolClient } from 'pg';
import { auditHmac, auditKey, NEXT_ENTRY_SQL } from '../../src/common/audit.service';
import { bookBaseline } from './baseline-booking';
import type { CapturedRequest } from './types';

const captures = JSON.parse(readFileSync(process.argv[2], 'utf8')) as CapturedRequest[];
const secret = process.env.SESSION_SECRET ?? '';
const key = auditKey();
// The same pool size as the app's (src/database/data-source-options.ts).
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

/** The session id of a signed `p2v.sid` cookie (express-session's `s:<id>.<HMAC-SHA256>`), or null. */
function sessionId(cookieHeader: string | undefined): string | null {
  const raw = cookieHeader
    ?.split(';')
    .map((c) => c.trim())
    .find((c) => c.startsWith('p2v.sid='))
    ?.slice('p2v.sid='.length);
  if (!raw) return null;
  const value = decodeURIComponent(raw);
  if (!value.startsWith('s:')) return null;
  const dot = value.lastIndexOf('.');
  const id = value.slice(2, dot);
  const mac = createHmac('sha256', secret).update(id).digest('base64').replace(/=+$/, '');
  const given = Buffer.from(value.slice(dot + 1));
  const expected = Buffer.from(mac);
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : null;
}

/** The parts of a URL or form that may differ between two requests of a scenario. */
function parts(url: string, body: string): string[] {
  return [...url.split(/[/?&=]/), ...body.split(/[&=]/).map((p) => decodeURIComponent(p.replace(/\+/g, ' ')))];
}

function replacements(captured: CapturedRequest, url: string, body: string, userId: string): Map<string, string> {
  const map = new Map<string, string>([[captured.userId, userId]]);
  const before = parts(captured.url, captured.body);
  const after = parts(url, body);
  before.forEach((p, i) => {
    if (after[i] !== undefined && after[i] !== p && p.length >= 8) map.set(p, after[i]);
  });
  return map;
}

function substitute(value: unknown, map: Map<string, string>): unknown {
  if (typeof value === 'string') return map.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => substitute(v, map));
  return value;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A minimal page of the rows read. */
function htmlOf(title: string, rows: unknown[]): string {
  const cells = rows.map((r) => `<tr><td>${escape(JSON.stringify(r))}</td></tr>`).join('');
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${escape(title)}</title></head><body><table>${cells}</table></body></html>`;
}

/**
 * Runs a recorded request's statements again with this request's ids; returns the rows read. An audit
 * entry extends the chain as it is now: the head read again (the captured statement), the entry written
 * with that id, time and previous hash, signed (HMAC) as AuditService does.
 */
async function replay(client: PoolClient, captured: CapturedRequest, map: Map<string, string>): Promise<unknown[]> {
  const rows: unknown[] = [];
  try {
    let head: { id: string; occurredAt: string; prevHash: string; message: string } | undefined;
    for (const s of captured.statements) {
      const params = s.params.map((p) => substitute(p, map));
      if (head && s.sql.trimStart().startsWith('INSERT INTO audit_log')) {
        params.splice(9, 4, head.id, head.occurredAt, head.prevHash, auditHmac(key, head.message));
        head = undefined;
      }
      const result = await client.query<Record<string, unknown>>(s.sql, params);
      // AuditService.record's first statement: the chain's next id, time, head and canonical text.
      if (s.sql === NEXT_ENTRY_SQL) head = result.rows[0] as unknown as typeof head;
      else if (Array.isArray(result.rows)) rows.push(...result.rows);
    }
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
  return rows;
}

async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  const scenario = String(req.headers['x-bench-scenario'] ?? '');
  const sid = sessionId(req.headers.cookie);
  if (!sid) return void res.writeHead(401).end();
  const client = await pool.connect();
  try {
    // connect-pg-simple's own query.
    const found = await client.query<{ sess: { passport?: { user?: { id: string } }; csrfToken?: string } }>(
      'SELECT sess FROM "session" WHERE sid = $1 AND expire >= to_timestamp($2)',
      [sid, Date.now() / 1000],
    );
    const sess = found.rows[0]?.sess;
    const userId = sess?.passport?.user?.id;
    if (!userId) return void res.writeHead(401).end();
    if (req.method === 'POST') {
      const token = new URLSearchParams(body).get('_csrf');
      if (!token || token !== sess.csrfToken) return void res.writeHead(403).end();
    }
    // Bookings: written by hand (baseline-booking.ts), the statements depending on what they find.
    if (scenario === 'bookings') {
      const form = new URLSearchParams(body);
      const answer = await bookBaseline(client, key, userId, form);
      if (answer.status !== 409) return void res.writeHead(answer.status, answer.location ? { location: answer.location } : {}).end();
      // Refused: P2V shows the booking page again with the error; its SQL (recorded) runs here too.
      const page = captures.find((c) => c.scenario === scenario && c.method === 'GET');
      if (!page) return void res.writeHead(409).end();
      const url = `/visites/reserver?detenu=${form.get('detaineeId') ?? ''}&visiteurs=${form.get('permitIds') ?? ''}`;
      const rows = await replay(client, page, replacements(page, url, '', userId));
      return void res.writeHead(409, { 'content-type': 'text/html; charset=utf-8' }).end(htmlOf(scenario, rows));
    }
    // The same request of the same person, else the same request, else the scenario's with this request's ids.
    const mine = captures.filter((c) => c.scenario === scenario);
    const same = (c: CapturedRequest) => c.method === req.method && c.url === req.url;
    const captured = mine.find((c) => same(c) && c.userId === userId) ?? mine.find(same) ?? mine[0];
    if (!captured) return void res.writeHead(404).end();
    const map = replacements(captured, req.url ?? '', body, userId);
    const rows = await replay(client, captured, map);
    if (captured.location) {
      const location = parts(captured.location, '').reduce((loc, p) => (map.has(p) ? loc.replace(p, map.get(p)!) : loc), captured.location);
      return void res.writeHead(captured.status, { location }).end();
    }
    res.writeHead(captured.status, { 'content-type': 'text/html; charset=utf-8' }).end(htmlOf(scenario, rows));
  } finally {
    client.release();
  }
}

const server = createServer((req, res) => {
  serve(req, res).catch((e: unknown) => {
    process.stderr.write(`baseline: ${String(e)}\n`);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('baseline ready\n'));
process.on('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
