import request from 'supertest';
import { insertDetainee, insertEstablishment, insertFamily, type DetaineeRow, type EstablishmentRow } from './factories/people';
import { startTestApp, type TestApp } from './helpers/app';
import { query } from './helpers/db';
import { page } from './helpers/html';
import { newRequest, postStep } from './helpers/permits';
import { awayFromWindowEnd } from './helpers/rate-limit-window';
import { signInFamily } from './helpers/sign-in';

/**
 * The rate limits are counted in PostgreSQL (src/common/rate-limit-store.ts): two instances of the
 * app on one database, as behind the production load balancer, count the same client's requests
 * together. The pair of instances starts with a limit of 3 per minute on sign-in, the video service and
 * the écrou check (the tests' families start signed in without the sign-in pages: helpers/sign-in.ts).
 */
const API_KEY = 'development-only-video-service-api-key-0000';
const LIMITED = { SIGNIN_RATE_LIMIT: '3', VIDEO_SERVICE_RATE_LIMIT: '3', ECROU_RATE_LIMIT: '3' };

let a: TestApp;
let b: TestApp;

beforeAll(async () => {
  a = await startTestApp(LIMITED);
  b = await startTestApp(LIMITED, { reset: false });
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
});

beforeEach(async () => {
  await query(`DELETE FROM rate_limit_hits`);
});

/** The counts in the database: key (limiter, limit, address) and hits of the current windows. */
async function counts(limiter: string): Promise<number[]> {
  const rows = await query<{ hits: number }>(`SELECT hits FROM rate_limit_hits WHERE key LIKE $1 ORDER BY window_start`, [`${limiter}:%`]);
  return rows.map((r) => r.hits);
}

describe('rate limits shared by every instance', () => {
  it('counts sign-in requests on both instances together: the 4th, on either, gets the French 429 page', async () => {
    await awayFromWindowEnd();
    await request(a.url).get('/connexion').expect(302);
    await request(b.url).get('/connexion').expect(302);
    await request(a.url).get('/agents/connexion').expect(302);
    const refused = await request(b.url).get('/connexion').expect(429);
    expect(page(refused).heading()).toBe('Trop de tentatives');
    expect(page(refused).mainText()).toContain('Patientez une minute puis réessayez.');
    expect(refused.headers['ratelimit-policy']).toBe('3;w=60');
    await request(a.url).get('/agents/connexion').expect(429);
    // The contact's video-call code page shares the sign-in limit.
    await request(a.url).get('/visio/code').expect(429);
    expect(await counts('signin')).toEqual([6]);
  }, 30_000);

  it('ignores X-Forwarded-For without TRUST_PROXY: a forged address on each request is still the same client', async () => {
    await awayFromWindowEnd();
    for (const [app, forged] of [
      [a, '203.0.113.1'],
      [b, '203.0.113.2'],
      [a, '198.51.100.3'],
    ] as const) {
      await request(app.url).get('/connexion').set('X-Forwarded-For', forged).expect(302);
    }
    await request(b.url).get('/connexion').set('X-Forwarded-For', '198.51.100.4').expect(429);
    const keys = await query<{ key: string }>(`SELECT key FROM rate_limit_hits`);
    expect(keys.map((k) => k.key)).toEqual([expect.stringMatching(/^signin:3:(::ffff:)?127\.0\.0\.1$/)]);
  }, 30_000);

  it('counts the video service’s code checks on both instances together: the 4th gets RATE_LIMITED', async () => {
    await awayFromWindowEnd();
    const check = (app: TestApp) =>
      request(app.url).post('/api/visio/codes/verifier').set('Authorization', `Bearer ${API_KEY}`).send({ appel: 'x', code: '123456' });
    for (const app of [a, b, a]) expect((await check(app).expect(200)).body).toEqual({ ok: false, reason: 'REFUSED' });
    expect((await check(b).expect(429)).body).toEqual({ ok: false, reason: 'RATE_LIMITED' });
    expect(await counts('video-service')).toEqual([4]);
  }, 30_000);
});

describe('the écrou check of a permit request, shared by every instance', () => {
  let c: TestApp;
  let d: TestApp;
  let establishment: EstablishmentRow;
  let detainee: DetaineeRow;

  beforeAll(async () => {
    [c, d] = [a, b];
    establishment = await insertEstablishment({ name: 'Centre pénitentiaire de Târgu-Ocna' });
    detainee = await insertDetainee(establishment.id, { lastName: 'Lefèvre-Nguyễn', firstName: 'Şükrü', legalStatus: 'CONDAMNE' });
  });

  it('slows a family trying écrou numbers on both instances: the 4th check waits, even with the right number', async () => {
    const who = await insertFamily({ givenName: 'Łucja', familyName: 'Nguyễn-Şahin' });
    const onC = await signInFamily(c.url, who);
    const onD = await signInFamily(d.url, who);
    const id = await newRequest(onC);
    const guess = (ecrou: string) => ({ establishment: establishment.code, ecrou, lastName: detainee.lastName });
    await awayFromWindowEnd();

    expect((await postStep(onC, id, 1, guess('900001'))).status).toBe(400);
    expect((await postStep(onD, id, 1, guess('900002'))).status).toBe(400);
    expect((await postStep(onC, id, 1, guess('900003'))).status).toBe(400);
    const refused = await postStep(onD, id, 1, guess(detainee.ecrouNumber));
    expect(refused.status).toBe(429);
    expect(page(refused).heading()).toBe('Trop de tentatives');
    expect(page(refused).mainText()).toContain(
      'Vous avez vérifié trop de numéros d’écrou en peu de temps. Patientez une minute puis réessayez.',
    );
    // Refused before the check: the request is still at step 1, and the step's page is still shown (GET is not counted).
    expect((await query<{ step: number }>(`SELECT step FROM permit_requests WHERE id = $1`, [id]))[0].step).toBe(1);
    await onC.get(`/demandes/${id}/etape/1`).expect(200);
    expect(await counts('ecrou')).toEqual([4]);
    // The same step written otherwise (leading zero, capitals) is the same limit.
    const csrf = page(await onC.get(`/demandes/${id}/etape/1`).expect(200)).csrf();
    for (const path of [`/demandes/${id}/etape/01`, `/demandes/${id}/ETAPE/1`])
      expect(
        (
          await onC
            .post(path)
            .type('form')
            .send({ _csrf: csrf, ...guess(detainee.ecrouNumber) })
        ).status,
      ).toBe(429);
  }, 40_000);
});
