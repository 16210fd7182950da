import { Writable } from 'node:stream';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { accessLog } from './access-log';

interface Line {
  level: number;
  msg: string;
  req: { id: string; method: string; path: string };
  res: { statusCode: number };
  responseTime: number;
}

/** An app behind the access log, and the lines it wrote (JSON, one per answer). */
function appWithLog() {
  const lines: Line[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(
        ...chunk
          .toString()
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as Line),
      );
      done();
    },
  });
  const app = express();
  app.use(accessLog(pino({ base: null }, sink)));
  app.get('/health', (_req, res) => void res.send('ok'));
  app.get('/demandes', (req, res) => void res.send(`id ${req.requestId}`));
  app.get('/panne', (_req, res) => void res.status(500).send('panne'));
  app.get('/lent', () => undefined);
  return { app, lines };
}

describe('the access log', () => {
  it('gives each request an id (the proxy’s X-Request-Id when well formed), sends it back, and logs one line per answer', async () => {
    const { app, lines } = appWithLog();
    const own = await request(app).get('/demandes').set('Cookie', 'p2v.sid=secret').expect(200);
    const id = own.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(own.text).toBe(`id ${id}`);
    const given = await request(app).get('/demandes').set('X-Request-Id', 'lb-1234567890').expect(200);
    expect(given.headers['x-request-id']).toBe('lb-1234567890');
    // Not an id: a new one instead (a header is never written back as it came).
    const refused = await request(app).get('/demandes').set('X-Request-Id', 'a b<script>').expect(200);
    expect(refused.headers['x-request-id']).not.toBe('a b<script>');
    expect(lines.map((l) => [l.msg, l.req.id, l.req.method, l.req.path, l.res.statusCode])).toEqual([
      ['request completed', id, 'GET', '/demandes', 200],
      ['request completed', 'lb-1234567890', 'GET', '/demandes', 200],
      ['request completed', refused.headers['x-request-id'], 'GET', '/demandes', 200],
    ]);
    expect(lines.every((l) => l.level === 30 && Number.isInteger(l.responseTime) && l.responseTime >= 0)).toBe(true);
    expect(JSON.stringify(lines)).not.toContain('secret');
  });

  it('leaves out the query string and /health; logs a server error as an error and a client that leaves as aborted', async () => {
    const { app, lines } = appWithLog();
    await request(app).get('/demandes?nom=%C5%81ukasz&ecrou=123456').expect(200);
    await request(app).get('/health').expect(200);
    await request(app).get('/panne').expect(500);
    await expect(request(app).get('/lent').timeout(200)).rejects.toThrow();
    const until = Date.now() + 5000;
    while (lines.length < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(lines.map((l) => [l.msg, l.level, l.req.path, l.res.statusCode])).toEqual([
      ['request completed', 30, '/demandes', 200],
      ['request errored', 50, '/panne', 500],
      ['request aborted', 30, '/lent', 200],
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/ukasz|123456/);
  });
});
