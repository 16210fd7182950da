import { existsSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import request from 'supertest';
import { insertDetainee, insertEstablishment, insertFamily } from './factories/people';
import { insertPermitRequest } from './factories/permits';
import { insertBookingSetup } from './factories/visits';
import { startTestApp, type TestApp } from './helpers/app';
import { freshDatabase, query, serverUrl } from './helpers/db';
import { photoPng } from './helpers/files';
import { page } from './helpers/html';
import { filesIn } from './helpers/permits';
import { waitFor } from './helpers/processes';
import { type Agent, signInFamily } from './helpers/sign-in';
import { tcpProxy, type TcpProxy } from './helpers/tcp-proxy';

/**
 * Faults of the running system (issue #14), each on an app of its own: the database out of reach in
 * the middle of a booking load, the sign-in providers out of reach, the app stopped (SIGTERM) or
 * killed (SIGKILL) while it writes.
 * On the PostgreSQL server only: the relay that cuts the database, and the kill, need an app and a
 * database of the test's own (the embedded database's smoke pass proves other things).
 */
const onServer = Boolean(serverUrl());
const describeOnServer = onServer ? describe : describe.skip;
jest.setTimeout(90_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The booking form of a signed-in family, with its first slot chosen: what the browser would send. */
async function bookingFields(agent: Agent): Promise<Record<string, string | string[]>> {
  const form = page(await agent.get('/visites/reserver').expect(200));
  const [slot] = form.options('slot');
  return { ...form.formFields('/visites/reserver'), slot };
}

/**
 * A family's browser sending its booking until it reads the confirmation, as a person would after
 * « Service momentanément indisponible »: the same form again. Returns the confirmation's address and
 * every status read on the way (a cut connection counts as 0).
 */
async function bookUntilConfirmed(agent: Agent, fields: Record<string, string | string[]>) {
  const seen: number[] = [];
  for (let attempt = 0; attempt < 80; attempt++) {
    const res = await agent
      .post('/visites/reserver')
      .type('form')
      .send(fields)
      .then(
        (r) => r,
        () => null,
      );
    seen.push(res?.status ?? 0);
    if (res?.status === 303) return { location: String(res.headers.location), seen };
    if (res && res.status !== 503) throw new Error(`Booking answered ${res.status}: ${page(res).mainText().slice(0, 400)}`);
    await sleep(150);
  }
  throw new Error(`No confirmation after 80 tries: ${seen.join(', ')}`);
}

describeOnServer('PostgreSQL out of reach in the middle of a booking load', () => {
  let app: TestApp | undefined;
  let proxy: TcpProxy | undefined;
  afterAll(async () => {
    await app?.stop();
    await proxy?.close();
  });

  it('answers 503 in French while it is down, recovers by itself, and every booking a family saw confirmed exists once', async () => {
    const db = new URL(await freshDatabase());
    proxy = await tcpProxy({ host: db.hostname, port: Number(db.port || 5432) });
    const relayed = new URL(db.toString());
    relayed.hostname = '127.0.0.1';
    relayed.port = String(proxy.port);
    const running = await startTestApp({ DATABASE_URL: relayed.toString() }, { reset: false });
    app = running;

    const families = await Promise.all(
      Array.from({ length: 16 }, async (_, i) => {
        const setup = await insertBookingSetup({ family: { givenName: `Łucja ${i}`, familyName: 'Nguyễn-Şahin' } });
        const agent = await signInFamily(running.url, setup.family);
        return { setup, agent, fields: await bookingFields(agent) };
      }),
    );

    // The families send their bookings 40 ms apart; the database goes away after the first ones and
    // comes back 2 s later: some bookings land before, some during (503, or a cut connection), some after.
    const bookings = families.map(async (f, i) => {
      await sleep(i * 40);
      return bookUntilConfirmed(f.agent, f.fields);
    });
    await sleep(200);
    await proxy.down();
    const health = await request(running.url).get('/health');
    expect(health.status).toBe(503);
    expect(health.body).toEqual({ status: 'error', database: { status: 'down' } });
    const mine = await families[0].agent.get('/mes-rendez-vous').set('accept', 'text/html');
    expect(mine.status).toBe(503);
    expect(page(mine).heading()).toBe('Service momentanément indisponible');
    expect(mine.headers['retry-after']).toBe('5');
    await sleep(2000);
    await proxy.up();

    const confirmed = await Promise.all(bookings);
    // The outage was seen: at least one family read a 503 or lost its connection, then was confirmed.
    expect(confirmed.some((c) => c.seen.some((s) => s !== 303))).toBe(true);
    await waitFor('health back', async () => ((await request(running.url).get('/health')).status === 200 ? true : undefined), 20000);

    // Every confirmation a family read is a visit in the database, one per family, none twice.
    const visits = await query<{ family: string; reference: string }>(
      `SELECT family_account_id AS family, reference FROM visits WHERE family_account_id = ANY($1::uuid[])`,
      [families.map((f) => f.setup.family.id)],
    );
    expect(visits).toHaveLength(families.length);
    expect(new Set(visits.map((v) => v.family)).size).toBe(families.length);
    for (const [i, c] of confirmed.entries()) {
      const reference = /reservee=([A-Z0-9]{8})$/.exec(c.location)?.[1];
      expect(visits.find((v) => v.family === families[i].setup.family.id)?.reference).toBe(reference);
    }
    // The same process served throughout (no crash, no restart), and serves pages again.
    expect(running.proc?.child.exitCode).toBeNull();
    expect((await families[0].agent.get('/mes-rendez-vous')).status).toBe(200);
  });
});

describeOnServer('the app stopped or killed while it writes', () => {
  const docs = { dir: mkdtempSync(join(tmpdir(), 'p2v-faults-docs-')), key: randomBytes(32) };
  // The sign-in providers point at a port where nothing listens (the tests' sessions need none).
  const nowhere = `http://127.0.0.1:9/oidc`;
  const env = {
    DOCUMENTS_DIR: docs.dir,
    DOCUMENTS_KEY: docs.key.toString('base64'),
    DEMO_IDP: 'false',
    FC_ISSUER: nowhere,
    FC_CLIENT_ID: 'p2v',
    FC_CLIENT_SECRET: 'secret-secret-secret',
    PC_ISSUER: nowhere,
    PC_CLIENT_ID: 'p2v',
    PC_CLIENT_SECRET: 'secret-secret-secret',
  };
  let app: TestApp | undefined;
  afterAll(async () => {
    await app?.stop();
    rmSync(docs.dir, { recursive: true, force: true });
  });

  /** `n` families at the photo step (5) of a draft permit request, signed in, with the step's form read. */
  async function photoSteps(url: string, n: number) {
    const establishment = await insertEstablishment();
    const detainee = await insertDetainee(establishment.id, { firstName: 'محمد', lastName: 'Haddad' });
    return Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const family = await insertFamily({ givenName: `Ştefan ${i}`, familyName: 'Đặng' });
        const draft = await insertPermitRequest({
          familyAccountId: family.id,
          establishmentId: establishment.id,
          detaineeId: detainee.id,
          status: 'DRAFT',
          step: 5,
        });
        const agent = await signInFamily(url, family);
        const csrf = page(await agent.get(`/demandes/${draft.id}/etape/5`).expect(200)).csrf();
        return { id: draft.id, family, agent, csrf };
      }),
    );
  }

  it('the sign-in providers out of reach: a French 503 page naming the provider, no session, no crash', async () => {
    await freshDatabase();
    app = await startTestApp(env, { reset: false });
    for (const [path, provider] of [
      ['/connexion', 'FranceConnect'],
      ['/agents/connexion', 'ProConnect'],
      ['/connexion/callback?code=x&state=y', 'FranceConnect'],
    ]) {
      const res = await request(app.url).get(path).set('accept', 'text/html');
      expect({ path, status: res.status }).toEqual({ path, status: 503 });
      expect(page(res).heading()).toBe('Service momentanément indisponible');
      expect(page(res).mainText()).toContain(`Service concerné : ${provider}.`);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    expect((await request(app.url).get('/health')).status).toBe(200);
  });

  it('SIGTERM: the requests already received are answered, then the app exits cleanly', async () => {
    if (!app) {
      await freshDatabase();
      app = await startTestApp(env, { reset: false });
    }
    const steps = await photoSteps(app.url, 8);
    const photo = await photoPng(1200);
    const sent = steps.map((s) =>
      s.agent
        .post(`/demandes/${s.id}/etape/5`)
        .field('_csrf', s.csrf)
        .attach('fichier', photo, 'photo.png')
        .then(
          (r) => r.status,
          (e: Error) => `${e.message}`,
        ),
    );
    // Once the app has begun to receive them, it is asked to stop.
    await sleep(150);
    app.proc!.child.kill('SIGTERM');
    const statuses = await Promise.all(sent);
    expect(statuses).toEqual(steps.map(() => 303));
    expect(await app.proc!.exited).toBe(0);
    // Each answered upload is whole: its photo recorded, its file on disk, the request at the next step.
    const rows = await query<{ id: string; step: number; key: string | null }>(
      `SELECT r.id, r.step, d.storage_key AS key FROM permit_requests r
         LEFT JOIN permit_documents d ON d.request_id = r.id AND d.kind = 'PHOTO' AND d.deleted_at IS NULL
        WHERE r.id = ANY($1::uuid[])`,
      [steps.map((s) => s.id)],
    );
    expect(rows.every((r) => r.key !== null && r.step === 6)).toBe(true);
    const files = new Set(filesIn(docs.dir).map((f) => basename(f)));
    expect(rows.every((r) => files.has(r.key!))).toBe(true);
    app = undefined;
  });

  it('SIGKILL: after the restart no upload is half written, and the files of the lost ones are swept', async () => {
    await freshDatabase();
    rmSync(docs.dir, { recursive: true, force: true });
    app = await startTestApp(env, { reset: false });
    const steps = await photoSteps(app.url, 16);
    const photo = await photoPng(1200);
    // The app is killed once three uploads have been answered, the others on their way.
    let answered = 0;
    let threeAnswered: () => void = () => undefined;
    const three = new Promise<void>((resolve) => (threeAnswered = resolve));
    const sent = steps.map((s, i) =>
      sleep(i * 30).then(() =>
        s.agent
          .post(`/demandes/${s.id}/etape/5`)
          .field('_csrf', s.csrf)
          .attach('fichier', photo, 'photo.png')
          .then(
            (r) => {
              if (r.status === 303 && ++answered === 3) threeAnswered();
              return r.status;
            },
            () => 0,
          ),
      ),
    );
    await three;
    app.proc!.child.kill('SIGKILL');
    const statuses = await Promise.all(sent);
    await app.proc!.exited;
    expect(statuses.filter((st) => st === 303).length).toBeGreaterThanOrEqual(3);
    expect(statuses.filter((st) => st !== 303).length).toBeGreaterThan(0);

    // What the database holds: an upload is there whole (photo recorded and request moved on) or not at all.
    const rows = await query<{ id: string; step: number; key: string | null }>(
      `SELECT r.id, r.step, d.storage_key AS key FROM permit_requests r
         LEFT JOIN permit_documents d ON d.request_id = r.id AND d.kind = 'PHOTO' AND d.deleted_at IS NULL
        WHERE r.id = ANY($1::uuid[])`,
      [steps.map((s) => s.id)],
    );
    expect(rows).toHaveLength(steps.length);
    for (const r of rows) expect(r.key === null ? r.step === 5 : r.step === 6).toBe(true);
    // Every upload a family saw accepted (303) is recorded; every recorded photo has its file.
    for (const [i, s] of steps.entries()) if (statuses[i] === 303) expect(rows.find((r) => r.id === s.id)?.key).not.toBeNull();
    const recorded = new Set(rows.filter((r) => r.key).map((r) => r.key!));
    const onDisk = filesIn(docs.dir);
    for (const key of recorded) expect(onDisk.some((f) => basename(f) === key)).toBe(true);

    // Files written before the kill but never recorded are orphans. The restarted app's sweep deletes
    // them once they are old enough (no transaction can still be writing them): aged here by two hours.
    const live = new Set(
      (await query<{ key: string }>(`SELECT storage_key AS key FROM permit_documents WHERE deleted_at IS NULL`)).map((r) => r.key),
    );
    const orphans = onDisk.filter((f) => !live.has(basename(f)));
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    for (const f of orphans) utimesSync(f, twoHoursAgo, twoHoursAgo);
    app = await startTestApp(env, { reset: false });
    await waitFor('orphans swept', async () => (orphans.every((f) => !existsSync(f)) ? true : undefined), 20000).catch((e: Error) => {
      throw new Error(`${e.message}: ${orphans.filter((f) => existsSync(f)).join(', ')} of ${orphans.length}, recorded ${recorded.size}`);
    });
    expect(filesIn(docs.dir).every((f) => live.has(basename(f)))).toBe(true);
    for (const key of recorded) expect(filesIn(docs.dir).some((f) => basename(f) === key)).toBe(true);
    // The families whose upload was lost send it again on the restarted app and go on.
    const restarted = app;
    for (const [i, s] of steps.entries()) {
      if (rows.find((r) => r.id === s.id)?.key) continue;
      const agent = await signInFamily(restarted.url, s.family);
      const csrf = page(await agent.get(`/demandes/${s.id}/etape/5`).expect(200)).csrf();
      await agent.post(`/demandes/${s.id}/etape/5`).field('_csrf', csrf).attach('fichier', photo, `photo-${i}.png`).expect(303);
    }
    expect(
      await query(`SELECT count(*)::int AS n FROM permit_requests WHERE id = ANY($1::uuid[]) AND step = 6`, [steps.map((s) => s.id)]),
    ).toEqual([{ n: steps.length }]);
  });
});
