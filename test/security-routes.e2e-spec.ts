import { randomUUID } from 'node:crypto';
import type { ListedRoute } from '../src/demo/test-routes';
import { insertAgent, insertEstablishment, insertFamily, type EstablishmentRow, type StaffRole } from './factories/people';
import { appForTests } from './helpers/app';
import { query } from './helpers/db';
import { page } from './helpers/html';
import { type Agent, signInAgent, signInFamily } from './helpers/sign-in';

/**
 * Every route the app answers, listed by the app itself (GET /__test__/routes: the Express router
 * joined to the controllers' @Public / @Roles), called as every kind of visitor; the expected answer
 * is derived from the route's declaration, so a new route is covered the day it is written.
 */
const suite = appForTests();

const STAFF: StaffRole[] = ['PERMITS_OFFICER', 'PARLOIR_AGENT', 'SPIP_COUNSELLOR', 'HEAD_OF_ESTABLISHMENT', 'ACTIVITIES_OFFICER', 'ADMIN'];
const UNSAFE = ['POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * What the app serves outside its controllers, which this test cannot judge from a declaration.
 * Anything else the app lists without a controller makes the test fail.
 */
const NOT_JUDGED: Record<string, string> = {
  'GET /__test__/routes': 'tests only (TEST_ENDPOINTS, refused in production at boot)',
  'POST /__test__/clock': 'tests only (TEST_ENDPOINTS, refused in production at boot)',
  'DELETE /__test__/clock': 'tests only (TEST_ENDPOINTS, refused in production at boot)',
  'POST /__test__/reset': 'tests only (TEST_ENDPOINTS, refused in production at boot)',
  'POST /__test__/cpu-profile': 'benchmarks only (TEST_ENDPOINTS, refused in production at boot): a CPU profile of the process',
  'DELETE /__test__/cpu-profile': 'benchmarks only (TEST_ENDPOINTS, refused in production at boot)',
  'POST /__test__/session': 'tests only (TEST_ENDPOINTS, refused in production at boot): a session without the OpenID exchange',
  'USE /demo-idp/*': 'the local OpenID provider (DEMO_IDP, demo and tests only)',
  'GET /demo-idp/interaction/:uid': 'the local OpenID provider (DEMO_IDP, demo and tests only)',
  'POST /demo-idp/interaction/:uid/login': 'the local OpenID provider (DEMO_IDP, demo and tests only)',
  'USE /demo-idp/interaction/*': 'rate limiter in front of the local OpenID provider',
  'POST /demo-sms/v3/transactionalSMS/sms': 'the captured SMS (DEMO_MESSAGING, demo and tests only)',
  'POST /api/visio/codes/verifier': 'machine API of the video service: its own key (test/video-calls-codes.e2e-spec.ts)',
  'USE /api/visio/*': 'rate limiter in front of the video service API',
  'USE /connexion/*': 'rate limiter in front of the FranceConnect sign-in (a declared route)',
  'USE /agents/connexion/*': 'rate limiter in front of the ProConnect sign-in (a declared route)',
  'USE /visio/code/*': 'rate limiter in front of the video call code check (a declared route)',
  'USE /demandes/*': 'rate limiter in front of the écrou check of a permit request (a declared route)',
  'USE /dsfr/*': 'static DSFR assets, public by nature',
  'USE /static/*': 'static files of public/, public by nature',
};

/**
 * A refusal of the handler, not of the guard, for a reason of the domain: the role opens the route,
 * a further condition the test cannot meet with a random identity decides.
 */
const DOMAIN_REFUSALS: Record<string, string> = {
  'ACTIVITIES_OFFICER POST /etablissements/:establishment/visio/sanctions':
    'a sanction on a number is decided by the head of establishment or a holder of their signature delegation (NOT_SIGNATORY)',
};

/** Ends the session it is called in (signing out, closing the family's account): checked on sessions of their own, after the others. */
const ENDS_SESSION = new Set(['POST /deconnexion', 'POST /mes-donnees/fermer-mon-compte']);

/** OVERSIGHT: an agent holding the national view only (no role at an establishment). */
type Who = 'anonymous' | 'family' | StaffRole | 'OVERSIGHT';
interface Identity {
  who: Who;
  http: Agent;
  /** None for the anonymous visitor. */
  csrf: string | null;
}
type Declared = ListedRoute & { access: NonNullable<ListedRoute['access']> };

const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

/** The route's URL: `:establishment` (and the public page's `:code`) is this establishment, any other parameter a random UUID. */
function urlOf(path: string, establishment: string): string {
  return path.replace(/:(\w+)/g, (_, name: string) => (name === 'establishment' || name === 'code' ? establishment : randomUUID()));
}

/** Runs the calls a few at a time (the app and the database are shared with other workers). */
async function inBatches<T>(jobs: (() => Promise<T>)[], size = 16): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < jobs.length; i += size) results.push(...(await Promise.all(jobs.slice(i, i + size).map((j) => j()))));
  return results;
}

/**
 * A session's CSRF token, read from the first page with a form among the GET routes (without other
 * parameters) the route list grants it at establishment A. An anonymous visitor has none: no public
 * page shows a form without a video call under way.
 */
async function withCsrf(who: Who, http: Agent): Promise<Identity> {
  if (who === 'anonymous') return { who, http, csrf: null };
  const pages = routes.filter(
    (r): r is Declared => r.method === 'GET' && r.access !== null && !/:(?!establishment\b)/.test(r.path) && !ENDS_SESSION.has(key(r)),
  );
  for (const route of pages.filter((r) => 'roles' in r.access && expected(r, who, a) === 'allowed')) {
    const res = await http.get(urlOf(route.path, a.code));
    const token = page(res).$('input[name="_csrf"]').first().attr('value');
    if (res.status === 200 && token) return { who, http, csrf: token };
  }
  throw new Error(`No page with a form for ${who}`);
}

let routes: ListedRoute[];
let a: EstablishmentRow;
let b: EstablishmentRow;

async function signInAs(who: Who): Promise<Identity> {
  if (who === 'anonymous') return withCsrf(who, suite.app.http());
  if (who === 'family') {
    const family = await insertFamily({ givenName: 'Łucja', familyName: 'Nguyễn-Şahin' });
    return withCsrf(who, await signInFamily(suite.app.url, family));
  }
  if (who === 'OVERSIGHT') {
    const analyst = await insertAgent([], { givenName: 'Ştefan', usualName: 'محمد Haddad' });
    await query(`INSERT INTO oversight_assignments (agent_id, scope) VALUES ($1, 'NATIONAL')`, [analyst.id]);
    return withCsrf(who, await signInAgent(suite.app.url, analyst));
  }
  const agent = await insertAgent([{ establishmentId: a.id, role: who }], { givenName: 'Ştefan', usualName: 'محمد Haddad' });
  return withCsrf(who, await signInAgent(suite.app.url, agent));
}

const WHO: Who[] = ['anonymous', 'family', ...STAFF, 'OVERSIGHT'];
let identities: Identity[];

beforeAll(async () => {
  routes = (await suite.app.http().get('/__test__/routes').expect(200)).body as ListedRoute[];
  a = await insertEstablishment({ name: 'Centre pénitentiaire de Łódź-Nord' });
  b = await insertEstablishment({ name: 'Maison d’arrêt de Şanlıurfa' });
  identities = await Promise.all(WHO.map(signInAs));
}, 30_000);

/**
 * The answer a route owes `who` at `establishment`, from its declaration. The CSRF token is checked
 * first: an anonymous visitor, who has none, is refused any state-changing request (403).
 */
function expected(route: Declared, who: Who, establishment: EstablishmentRow): 'allowed' | 401 | 403 {
  const access = route.access;
  if (who === 'anonymous' && UNSAFE.includes(route.method)) return 403;
  if ('public' in access) return 'allowed';
  if (who === 'anonymous') return 401;
  if (who === 'family') return access.roles.includes('FAMILY') ? 'allowed' : 403;
  if (!access.roles.includes(who)) return 403;
  if (who === 'OVERSIGHT') return 'allowed'; // every establishment's figures: no establishment in the URL
  return route.path.includes(':establishment') && establishment.id !== a.id ? 403 : 'allowed';
}

/**
 * Never a 5xx; a refusal is the guard's own (its JSON answer, not a handler's page); an admitted
 * identity is neither refused nor asked to sign in, unless the domain refuses it (DOMAIN_REFUSALS).
 */
function judge(res: { status: number; body: unknown }, want: 'allowed' | 401 | 403, who: string): boolean {
  if (res.status >= 500) return false;
  if (want !== 'allowed') return res.status === want && (res.body as { statusCode?: number }).statusCode === want;
  return ![401, 403].includes(res.status) || (res.status === 403 && who in DOMAIN_REFUSALS);
}

async function call(id: Identity, route: Declared, url: string, opts: { csrf: boolean }) {
  const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  // Refusals answered in JSON (same status, same guard): no error page to render thousands of times.
  const req = id.http[method](url).redirects(0).set('Accept', 'application/json');
  const res = UNSAFE.includes(route.method) ? await req.type('form').send(opts.csrf && id.csrf ? { _csrf: id.csrf } : {}) : await req;
  return res;
}

describe('every route of the app, as every kind of visitor', () => {
  it('lists routes from the code, every controller route with @Public or @Roles', () => {
    expect(routes.filter((r) => r.nest).length).toBeGreaterThan(200);
    expect(routes.filter((r) => r.nest && r.access === null).map(key)).toEqual([]);
  });

  it('serves the pages the law requires to everyone, by GET only', () => {
    const legal = ['/accessibilite', '/cookies', '/donnees-personnelles', '/mentions-legales', '/plan-du-site']; // as the app lists them: by path
    expect(routes.filter((r) => legal.includes(r.path)).map((r) => ({ route: key(r), access: r.access }))).toEqual(
      legal.map((path) => ({ route: `GET ${path}`, access: { public: true } })),
    );
  });

  it('fails on any route served outside the controllers that is not explicitly set aside', () => {
    const outside = routes.filter((r) => !r.nest).map(key);
    expect(outside.filter((k) => !(k in NOT_JUDGED))).toEqual([]);
    // The list of exceptions holds nothing the app no longer serves.
    expect(Object.keys(NOT_JUDGED).filter((k) => !outside.includes(k))).toEqual([]);
  });

  it('answers each identity as the route declares: 401 anonymous, 403 role or establishment not granted, never a 500', async () => {
    const declared = routes.filter((r): r is Declared => r.nest && r.access !== null && !ENDS_SESSION.has(key(r)));
    const jobs: (() => Promise<string | null>)[] = [];
    const check = (id: Identity, route: Declared, place: EstablishmentRow) => {
      const want = expected(route, id.who, place);
      const url = urlOf(route.path, place.code);
      jobs.push(async () => {
        const res = await call(id, route, url, { csrf: true });
        return judge(res, want, `${id.who} ${key(route)}`) ? null : `${id.who} ${route.method} ${url}: ${res.status}, expected ${want}`;
      });
    };
    // Every identity the route admits, at its establishment; one of them (in turn) at establishment B;
    // the anonymous visitor and the family always; one staff role the route does not admit, in turn
    // (the guard refuses every such role by the same test: one per route keeps the file fast).
    declared.forEach((route, i) => {
      const admitted = identities.filter((id) => expected(route, id.who, a) === 'allowed');
      const refusedStaff = identities.filter((id) => STAFF.includes(id.who as StaffRole) && !admitted.includes(id));
      for (const id of admitted) check(id, route, a);
      const staffAdmitted = admitted.filter((id) => STAFF.includes(id.who as StaffRole));
      if (route.path.includes(':establishment') && staffAdmitted.length) check(staffAdmitted[i % staffAdmitted.length], route, b);
      for (const id of identities.filter((x) => ['anonymous', 'family', 'OVERSIGHT'].includes(x.who) && !admitted.includes(x)))
        check(id, route, a);
      if (refusedStaff.length) check(refusedStaff[i % refusedStaff.length], route, a);
    });
    // Signing out (or closing the account) ends the session: each identity on a session of its own, signed in for that route.
    const endings = routes.filter((r): r is Declared => r.access !== null && ENDS_SESSION.has(key(r)));
    for (const route of endings) {
      const fresh = await Promise.all(WHO.map(signInAs));
      for (const id of fresh) {
        const want = expected(route, id.who, a);
        jobs.push(async () => {
          const res = await call(id, route, urlOf(route.path, a.code), { csrf: true });
          return judge(res, want, `${id.who} ${key(route)}`)
            ? null
            : `${id.who} ${route.method} ${route.path}: ${res.status}, expected ${want}`;
        });
      }
    }
    const failures = (await inBatches(jobs)).filter((f): f is string => f !== null);
    expect(failures).toEqual([]);
    expect(jobs.length).toBeGreaterThan(routes.length * 3);
  }, 60_000);

  it('refuses every state-changing request without its CSRF token (403), to every identity the route admits', async () => {
    const unsafe = routes.filter((r): r is Declared => r.nest && r.access !== null && UNSAFE.includes(r.method));
    expect(unsafe.length).toBeGreaterThan(50);
    const jobs: (() => Promise<string | null>)[] = [];
    for (const route of unsafe) {
      for (const id of identities.filter((i) => expected(route, i.who, a) === 'allowed')) {
        const url = urlOf(route.path, a.code);
        jobs.push(async () => {
          const res = await call(id, route, url, { csrf: false });
          const ok = res.status === 403 && (res.body as { error?: string }).error === 'CSRF_REFUSED';
          return ok ? null : `${id.who} ${route.method} ${url}: ${res.status}, expected 403 (CSRF)`;
        });
      }
    }
    const failures = (await inBatches(jobs)).filter((f): f is string => f !== null);
    expect(failures).toEqual([]);
  });
});
