import type request from 'supertest';
import { insertFamily } from './factories/people';
import { appForTests } from './helpers/app';
import { queryOne } from './helpers/db';
import { page } from './helpers/html';
import { follow, signIn, signInFamily, signInFamilyThroughProvider, STAFF } from './helpers/sign-in';

const suite = appForTests();

/** The headers every answer carries, whatever its kind (page, error, file, PDF, JSON, the demo provider's). */
function expectSecurityHeaders(res: request.Response) {
  const csp = String(res.headers['content-security-policy'] ?? '');
  const directives = new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name, values]),
  );
  expect(directives.get('default-src')).toEqual(["'self'"]);
  expect(directives.get('script-src')).toEqual(["'self'"]);
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toContain('unsafe-eval');
  expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  expect(directives.get('object-src')).toEqual(["'none'"]);
  expect(res.headers['x-frame-options']).toBe('DENY');
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['referrer-policy']).toBe('no-referrer');
  expect(res.headers['x-powered-by']).toBeUndefined();
  expect(res.headers.server).toBeUndefined();
}

describe('security headers on every kind of answer', () => {
  it('on the public home page, a static file and a DSFR asset', async () => {
    const http = suite.app.http();
    const home = await http.get('/').expect(200);
    expect(home.headers['content-type']).toContain('text/html');
    expectSecurityHeaders(home);
    expect(home.headers['strict-transport-security']).toBeUndefined();
    expectSecurityHeaders(await http.get('/static/app.css').expect(200));
    expectSecurityHeaders(await http.get('/dsfr/dsfr.min.css').expect(200));
  });

  it('on a 404 page and a 401 page', async () => {
    const missing = await suite.app.http().get('/page-inexistante').expect(404);
    expect(page(missing).heading()).toBe('Page non trouvée');
    expectSecurityHeaders(missing);
    expectSecurityHeaders(await suite.app.http().get('/mon-espace').expect(401));
  });

  it('on a family page, its form re-rendered with errors (400) and the sign-out confirmation', async () => {
    const family = await insertFamily({ givenName: 'Łucja', familyName: 'Nguyễn-Şahin' });
    const http = await signInFamily(suite.app.url, family);
    expectSecurityHeaders(await http.get('/mon-espace').expect(200));
    const form = page(await http.get('/mon-espace/telephone').expect(200));
    const invalid = await http
      .post('/mon-espace/telephone')
      .type('form')
      .send({ ...form.formFields('/mon-espace/telephone'), phone: '0612' })
      .expect(400);
    expect(page(invalid).errors().length).toBeGreaterThan(0);
    expectSecurityHeaders(invalid);
    expectSecurityHeaders(await http.get('/deconnexion').expect(200));
  });

  it('on a staff page and a PDF download', async () => {
    const { agent } = await signIn(suite.app.url, STAFF.permitsNord);
    expectSecurityHeaders(await agent.get('/agents').expect(200));
    const permit = await queryOne<{ id: string }>(
      `SELECT p.id FROM permits p JOIN establishments e ON e.id = p.establishment_id WHERE e.code = 'CPNORD' ORDER BY p.id LIMIT 1`,
    );
    const pdf = await agent.get(`/etablissements/CPNORD/permis/${permit.id}/permis.pdf`).expect(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    expectSecurityHeaders(pdf);
  });

  it('on the demo OpenID provider’s sign-in and logout pages, with no inline script', async () => {
    const http = suite.app.http();
    const start = await http.get('/connexion').expect(302);
    const { res: login, visited } = await follow(http, start.headers.location);
    expect(visited[visited.length - 1]).toMatch(/^\/demo-idp\/interaction\//);
    expect(login.status).toBe(200);
    expectSecurityHeaders(login);
    expect(page(login).$('script:not([src])').length).toBe(0);

    const family = await insertFamily({ givenName: 'Ştefan', familyName: 'محمد' });
    const signedIn = await signInFamilyThroughProvider(suite.app.url, family);
    const confirm = page(await signedIn.get('/deconnexion').expect(200));
    const out = await signedIn.post('/deconnexion').type('form').send(confirm.formFields('/deconnexion')).expect(303);
    const end = new URL(out.headers.location);
    const logout = await signedIn.get(end.pathname + end.search).expect(200);
    expectSecurityHeaders(logout);
    expect(page(logout).$('script:not([src])').length).toBe(0);
    expect(page(logout).$('script[src]').attr('src')).toBe('/static/demo-idp-logout.js');
  });

  it('on the demo SMS endpoint (/demo-sms), which lists nothing', async () => {
    const http = suite.app.http();
    const refused = await http.post('/demo-sms/v3/transactionalSMS/sms').set('content-type', 'application/json').send('{}').expect(401);
    expectSecurityHeaders(refused);
    // Only the provider's "send" call exists: no page lists captured messages, whatever the establishment.
    const listing = await http.get('/demo-sms').expect(404);
    expectSecurityHeaders(listing);
    expectSecurityHeaders(await http.get('/demo-sms/v3/transactionalSMS/sms').expect(404));
  });
});

describe('nothing kept by the browser or a proxy but the static files', () => {
  it('answers pages, redirects and errors with Cache-Control: private, no-store and no ETag; the CSS and DSFR files keep their cache headers', async () => {
    const family = await insertFamily({ givenName: 'Łukasz', familyName: 'Nguyễn محمد' });
    const http = await signInFamily(suite.app.url, family);
    const mine = await http.get('/demandes').expect(200);
    expect(page(mine).heading()).toBe('Mes demandes de permis de visite');
    const home = await http.get('/mon-espace').expect(200);
    expect(home.text).toContain('Łukasz');
    const { agent } = await signIn(suite.app.url, STAFF.permitsNord);
    const answers = [
      mine,
      home,
      await agent.get('/agents').expect(200),
      await suite.app.http().get('/').expect(200),
      await suite.app.http().get('/mon-espace').expect(401),
      await suite.app.http().get('/connexion').expect(302),
      await http.get('/page-inexistante').expect(404),
      await http.get('/static/absent.css').expect(404),
    ];
    for (const res of answers) {
      expect(res.headers['cache-control']).toBe('private, no-store');
      expect(res.headers.etag).toBeUndefined();
    }
    for (const file of ['/static/app.css', '/dsfr/dsfr.min.css']) {
      const res = await suite.app.http().get(file).expect(200);
      expect(res.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
      expect(res.headers.etag).toBeDefined();
      expectSecurityHeaders(res);
    }
  });
});

// HSTS in production: src/auth/security-headers.spec.ts (the options builder; a production app cannot start with the demo provider).
