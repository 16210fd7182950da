import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { appForTests, APP_START_TIMEOUT, startTestApp } from './helpers/app';
import { query } from './helpers/db';
import { page } from './helpers/html';
import { binary } from './helpers/permits';
import { signIn, STAFF } from './helpers/sign-in';

/**
 * What the visiting-room agent of the demo sees of today's visits: each visit's arrival check, the
 * photo of each visitor's permit (read as an image). Returns the photos' descriptions.
 */
async function todaysDemoPhotos(baseUrl: string): Promise<string[]> {
  const { agent } = await signIn(baseUrl, STAFF.parloirNord);
  const day = page(await agent.get('/etablissements/CPNORD/parloir').expect(200));
  const visits = day
    .testId('day-visit')
    .toArray()
    .map((e) => day.$(e).find('a').first().attr('href')!);
  expect(visits.length).toBeGreaterThanOrEqual(4);
  const photos: string[] = [];
  for (const href of visits) {
    const check = page(await agent.get(href).expect(200));
    expect(check.mainText()).not.toContain('Pas de photo dans P2V');
    const images = check.$('img[alt^="Photo du permis de "]').toArray();
    expect(images.length).toBe(check.testId('visitor').length);
    for (const img of images) {
      const res = await agent.get(check.$(img).attr('src')!).buffer(true).parse(binary).expect(200).expect('Content-Type', 'image/jpeg');
      expect(await sharp(res.body as Buffer).metadata()).toMatchObject({ format: 'jpeg', width: 300, height: 375 });
      photos.push(check.$(img).attr('alt')!);
    }
  }
  return photos;
}

/** Today's visits at the demo establishment (Paris time), and how many of their visitors have no permit photo. */
async function todaysVisitors() {
  return query<{ visits: number; visitors: number; withoutPhoto: number }>(
    `SELECT count(DISTINCT v.id)::int AS visits, count(vv.*)::int AS visitors,
            count(*) FILTER (WHERE p.photo_document_id IS NULL)::int AS "withoutPhoto"
       FROM visits v JOIN establishments e ON e.id = v.establishment_id
       JOIN visit_visitors vv ON vv.visit_id = v.id LEFT JOIN permits p ON p.id = vv.permit_id
      WHERE e.code = 'CPNORD' AND v.status <> 'CANCELLED'
        AND (lower(v.during) AT TIME ZONE 'Europe/Paris')::date = (now() AT TIME ZONE 'Europe/Paris')::date`,
  );
}

describe('the demo data: today at the visiting room', () => {
  const suite = appForTests();

  it('every visitor of today’s demo visits has a permit photo, which the agent sees on each visit’s arrival check', async () => {
    expect(await todaysVisitors()).toEqual([{ visits: 4, visitors: 6, withoutPhoto: 0 }]);
    const photos = await todaysDemoPhotos(suite.app.url);
    expect(photos).toHaveLength(6);
    expect(new Set(photos).size).toBe(6);
  });
});

/**
 * What the outbox changes on its own within a second of a reset (it sends the demo's confirmations):
 * the messages' states, their delivery attempts, the demo's inbox. Only the messages are counted.
 */
const SENDING = new Set(['notifications', 'notification_attempts', 'demo_inbox']);

/**
 * Every table of the app (migrations aside) as a count and a digest of its rows, and the sequences'
 * values; the messages counted only (SENDING).
 */
async function dataDigest(): Promise<Record<string, string>> {
  const tables = (
    await query<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations' ORDER BY 1`,
    )
  ).filter((t) => !SENDING.has(t.name));
  const [row] = await query<Record<string, string>>(
    `SELECT ${tables
      .map(
        (t) =>
          `(SELECT count(*) || ' ' || coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') FROM public."${t.name}" x) AS "${t.name}"`,
      )
      .join(', ')},
      (SELECT count(*)::text FROM notifications) AS "notifications",
      (SELECT string_agg(sequencename || '=' || coalesce(last_value::text, '-'), ' ' ORDER BY sequencename)
         FROM pg_sequences WHERE schemaname = 'public' AND sequencename NOT IN ('migrations_id_seq', 'demo_inbox_id_seq')) AS "sequences"`,
  );
  return row;
}

describe('the test reset (`POST /__test__/reset`, how the test files of a worker share one app)', () => {
  const suite = appForTests();

  it('puts back exactly the demo data, rows, sequences and documents, whatever a test file changed, again and again', async () => {
    await suite.app.http().post('/__test__/reset').expect(200);
    const demo = await dataDigest();
    expect(Number(demo.visits.split(' ')[0])).toBeGreaterThanOrEqual(4);
    // A test file's changes: rows added, changed and deleted, the sequences moved on (the reset empties the documents folder too).
    await query(`INSERT INTO establishments (code, name, kind) VALUES ('ZZRESET', 'Maison d’arrêt de Łódź', 'MAISON_ARRET')`);
    await query(`UPDATE family_accounts SET given_name = 'Ẓ' || given_name`);
    await query(`DELETE FROM visit_visitors WHERE visit_id IN (SELECT id FROM visits ORDER BY id LIMIT 3)`);
    await query(
      `SELECT nextval(sequencename::regclass) FROM pg_sequences WHERE schemaname = 'public' AND sequencename <> 'migrations_id_seq'`,
    );
    expect(await dataDigest()).not.toEqual(demo);
    await suite.app.http().post('/__test__/reset').expect(200);
    expect(await dataDigest()).toEqual(demo);
    expect(await todaysVisitors()).toEqual([{ visits: 4, visitors: 6, withoutPhoto: 0 }]);
    expect(await todaysDemoPhotos(suite.app.url)).toHaveLength(6);
  });
});

describe('the demo data on another documents folder', () => {
  const docs = mkdtempSync(join(tmpdir(), 'p2v-docs-'));
  afterAll(() => rmSync(docs, { recursive: true, force: true }));

  it(
    'an app started on a copy of the demo database, with a documents folder and key of its own, writes the photos there and shows them',
    async () => {
      const app = await startTestApp({ DOCUMENTS_DIR: docs, DOCUMENTS_KEY: randomBytes(32).toString('base64') });
      try {
        expect(await todaysVisitors()).toEqual([{ visits: 4, visitors: 6, withoutPhoto: 0 }]);
        expect(await todaysDemoPhotos(app.url)).toHaveLength(6);
      } finally {
        await app.stop();
      }
    },
    APP_START_TIMEOUT,
  );
});
