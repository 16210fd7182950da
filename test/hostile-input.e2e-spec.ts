import request from 'supertest';
import { appForTests } from './helpers/app';
import { query } from './helpers/db';
import { page } from './helpers/html';
import { type Agent, FAMILY, signIn, STAFF } from './helpers/sign-in';

/**
 * Hostile input everywhere (issue #14), generated from the app itself: each demo identity (a family,
 * each staff role) goes through the pages it can reach from its home page, following links; every
 * form found (one of each action and set of fields) is sent with each value of a corpus in every field
 * at once (the CSRF token kept), and every query parameter of the links found is given each value.
 * Whatever comes in: never a 5xx; a refusal is a French page; a form refused (4xx) stored nothing.
 */
const suite = appForTests();
jest.setTimeout(120_000);

const LONG = 'é'.repeat(10_000);
/** Stands for bytes that are not UTF-8 (sent percent-encoded as they are: C3 28 FF). */
const INVALID_UTF8 = '\u{F8FF}invalid-utf-8';
/** Sent in every field of every form: one value per request. */
const CORPUS: Record<string, string | string[]> = {
  empty: '',
  long: LONG,
  control: 'a\u0001\u0007\u001b[31m\u007fb\u0000nul',
  rtl: '\u202eedcba\u200f محمد \u202d',
  emoji: '👨‍👩‍👧‍👦🏳️‍🌈𝕏',
  injection: "'; DROP TABLE visits; --{{ 7*7 }}${7*7}<script>alert(1)</script>",
  huge: '-99999999999999999999999999999999',
  date: '2026-02-30',
  repeated: ['un', 'deux'],
  invalidUtf8: INVALID_UTF8,
};
/** Given to every query parameter of the links found. */
const QUERY_CORPUS = ['', LONG.slice(0, 2000), 'nul\u0000byte', "'; DROP TABLE visits; --", '2026-02-30', '-1', '%', '👨‍👩‍👧'];

/**
 * Tables whose rows a refused request may still write, on purpose: who was refused (audit), sessions,
 * and the counters that slow down guessing (rate limits, a family's failed permit-claim and écrou checks);
 * and those the background delivery of messages writes meanwhile.
 */
const IGNORED_TABLES = new Set([
  'session',
  'rate_limit_hits',
  'audit_log',
  'migrations',
  'permit_claim_failures',
  'permit_lookup_failures',
  // The outbox keeps delivering in the background: attempts and the demo inbox grow on their own.
  'notification_attempts',
  'demo_inbox',
]);

interface FoundForm {
  page: string;
  action: string;
  multipart: boolean;
  fields: string[];
  csrf: string;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const shapeOf = (path: string) => path.replace(UUID, ':id').replace(/\d{4}-\d{2}-\d{2}/g, ':date');

/**
 * Not followed: signing out and closing the account (both end the session), the language selector's links (they change the
 * pages' language, test/i18n.e2e-spec.ts: the refusals are read in French here), the test and demo endpoints, files to download.
 */
const NOT_FOLLOWED = new RegExp(
  [
    '^/(deconnexion|langue|mes-donnees/fermer-mon-compte|__test__|demo-idp|demo-sms|dsfr|static)',
    '\\.(pdf|ics|csv|zip|png|jpe?g)(\\?|$)',
    '/(photo|fichier|document|lettre|telecharger|export)',
  ].join('|'),
);

/** Forms and links already sent the corpus, by shape (action or path with ids as :id, and field names): once for every identity. */
const attacked = new Set<string>();

/** Goes through the pages an identity reaches from `home` (same origin, GET links), at most `max`. */
async function crawl(agent: Agent, home: string, max: number) {
  const seen = new Set<string>();
  const shapes = new Set<string>();
  const queue = [home];
  const forms = new Map<string, FoundForm>();
  const links = new Map<string, string>();
  while (queue.length && seen.size < max) {
    const path = queue.shift()!;
    if (seen.has(path)) continue;
    seen.add(path);
    const res = await agent.get(path);
    expect({ path, status: res.status }).toEqual({ path, status: res.status < 500 ? res.status : 'not a 5xx' });
    if (res.status !== 200 || !String(res.headers['content-type']).includes('text/html')) continue;
    const html = page(res);
    for (const a of html.$('a[href]').toArray()) {
      const href = html.$(a).attr('href') ?? '';
      if (!href.startsWith('/') || href.startsWith('//') || NOT_FOLLOWED.test(href)) continue;
      const target = href.split('#')[0];
      if (target.includes('?') && !attacked.has(`GET ${shapeOf(target)}`)) {
        attacked.add(`GET ${shapeOf(target)}`);
        links.set(shapeOf(target), target);
      }
      // One page of each shape is enough to find its forms and links.
      if (!shapes.has(shapeOf(target))) {
        shapes.add(shapeOf(target));
        queue.push(target);
      }
    }
    for (const f of html.$('form').toArray()) {
      const method = (html.$(f).attr('method') ?? 'get').toLowerCase();
      const action = html.$(f).attr('action') ?? path;
      if (!action.startsWith('/') || NOT_FOLLOWED.test(action)) continue;
      const names = html
        .$(f)
        .find('input[name], select[name], textarea[name]')
        .toArray()
        .map((e) => html.$(e).attr('name')!)
        .filter((n) => n !== '_csrf');
      const fields = [...new Set(names)].sort();
      // A search or filter form (GET): its fields are query parameters.
      if (method !== 'post') {
        const shape = `GET ${shapeOf(action)}?${fields.join('&')}`;
        if (fields.length && !attacked.has(shape)) {
          attacked.add(shape);
          links.set(shape, `${action.split('?')[0]}?${fields.map((f) => `${f}=`).join('&')}`);
        }
        continue;
      }
      const key = `${shapeOf(action)} ${fields.join(',')}`;
      if (forms.has(key) || attacked.has(`POST ${key}`)) continue;
      attacked.add(`POST ${key}`);
      const csrf = html.$(f).find('input[name="_csrf"]').attr('value') ?? '';
      forms.set(key, { page: path, action, multipart: html.$(f).attr('enctype') === 'multipart/form-data', fields, csrf });
    }
  }
  return { pages: seen.size, forms: [...forms.values()], links: [...links.values()] };
}

/** Row counts of every table the app writes to (one statement). */
async function rowCounts(): Promise<Record<string, number>> {
  const tables = await query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
  const counted = tables.filter((t) => !IGNORED_TABLES.has(t.name));
  const [row] = await query<Record<string, number>>(
    `SELECT ${counted.map((t) => `(SELECT count(*)::int FROM "${t.name}") AS "${t.name}"`).join(', ')}`,
  );
  return row;
}

function send(agent: Agent, form: FoundForm, value: string | string[]) {
  if (value === INVALID_UTF8) {
    const body = [`_csrf=${encodeURIComponent(form.csrf)}`, ...form.fields.map((n) => `${encodeURIComponent(n)}=%C3%28%FF`)].join('&');
    return agent.post(form.action).type('form').send(body);
  }
  if (form.multipart) {
    let req = agent.post(form.action).field('_csrf', form.csrf);
    for (const name of form.fields) for (const v of Array.isArray(value) ? value : [value]) req = req.field(name, v);
    return req;
  }
  const body = new URLSearchParams({ _csrf: form.csrf });
  for (const name of form.fields) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  return agent.post(form.action).type('form').send(body.toString());
}

/** A refusal as a person reads it: a French page, or the JSON of a JSON client. */
function expectFrench(res: request.Response, what: string) {
  if (!String(res.headers['content-type']).includes('text/html')) return;
  expect({ what, lang: page(res).$('html').attr('lang') }).toEqual({ what, lang: 'fr' });
}

const WHO: { label: string; sub: string; home: string }[] = [
  { label: 'family', sub: FAMILY.camille, home: '/mon-espace' },
  { label: 'administrator', sub: STAFF.admin, home: '/agents' },
  { label: 'permits officer', sub: STAFF.permitsNord, home: '/agents' },
  { label: 'visiting room', sub: STAFF.parloirNord, home: '/agents' },
  { label: 'SPIP counsellor', sub: STAFF.spipNord, home: '/agents' },
  { label: 'head of establishment', sub: STAFF.headNord, home: '/agents' },
  { label: 'activities officer', sub: STAFF.activitiesNord, home: '/agents' },
];

/**
 * A form refused with 400 gives back what was typed: every text field or text area of the page that
 * was sent holds the value sent (file and hidden fields aside).
 */
function expectValuesKept(res: request.Response, form: FoundForm, value: string, what: string) {
  if (res.status !== 400 || !String(res.headers['content-type']).includes('text/html')) return;
  const html = page(res);
  const again = html.$(`form[action="${form.action}"]`).first();
  for (const name of form.fields) {
    const fields = again.find(`input[name="${name}"]:not([type]), input[name="${name}"][type="text"], textarea[name="${name}"]`);
    for (const f of fields.toArray()) {
      const kept = f.tagName === 'textarea' ? html.$(f).text() : (html.$(f).attr('value') ?? '');
      expect({ what, name, kept }).toEqual({ what, name, kept: value });
    }
  }
}

const totals = { pages: 0, forms: 0, queries: 0, refused: 0 };

describe('hostile input in every form field and query parameter, generated from the pages', () => {
  // Each identity on the demo data as new: another's forms sent with any value may have changed it.
  beforeEach(async () => {
    await suite.app.http().post('/__test__/reset').expect(200);
  });

  it.each(WHO)('as the $label: never a 5xx, a French refusal, nothing half stored', async ({ sub, home }) => {
    const { agent } = await signIn(suite.app.url, sub);
    const found = await crawl(agent, home, 40);
    expect(found.pages).toBeGreaterThan(5);
    totals.pages += found.pages;
    totals.forms += found.forms.length;
    totals.queries += found.links.length;
    for (const form of found.forms) {
      const before = await rowCounts();
      const statuses: number[] = [];
      for (const [name, value] of Object.entries(CORPUS)) {
        const res = await send(agent, form, value);
        const what = `${form.action} (${form.fields.join(', ')}) ← ${name}`;
        expect({ what, status: res.status }).toEqual({ what, status: res.status < 500 ? res.status : 'not a 5xx' });
        if (res.status >= 400) expectFrench(res, what);
        if (name === 'emoji' || name === 'rtl') expectValuesKept(res, form, value as string, what);
        statuses.push(res.status);
      }
      // Sent as JSON where a form is expected: refused as such (415), never read.
      const json = await agent
        .post(form.action)
        .set('content-type', 'application/json')
        .send(JSON.stringify({ _csrf: form.csrf }));
      expect({ action: form.action, status: json.status }).toEqual({ action: form.action, status: 415 });
      if (statuses.every((s) => s >= 400)) {
        totals.refused++;
        expect({ action: form.action, counts: await rowCounts() }).toEqual({ action: form.action, counts: before });
      }
    }
    for (const link of found.links) {
      const [path, search] = link.split('?');
      const params = [...new URLSearchParams(search).keys()];
      for (const value of QUERY_CORPUS) {
        const q = new URLSearchParams();
        for (const p of params) q.append(p, value);
        const res = await agent.get(`${path}?${q.toString()}`);
        const what = `${path}?${params.join('&')} ← ${JSON.stringify(value.slice(0, 20))}`;
        expect({ what, status: res.status }).toEqual({ what, status: res.status < 500 ? res.status : 'not a 5xx' });
        if (res.status >= 400) expectFrench(res, what);
      }
    }
  });

  it('went through the pages of them all: forms of every kind sent, refusals that stored nothing, query parameters', () => {
    // On the demo data: some 170 pages, 60 kinds of forms (45 refused whatever was sent), 30 query
    // parameters. A crawl that stopped early, or pages that lost their forms, would leave the corpus unsent.
    expect(totals.pages).toBeGreaterThan(120);
    expect(totals.forms).toBeGreaterThan(45);
    expect(totals.refused).toBeGreaterThan(30);
    expect(totals.queries).toBeGreaterThan(20);
  });
});
