import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { appForTests, APP_START_TIMEOUT, startTestApp, type TestApp } from './helpers/app';
import { page } from './helpers/html';

/** The same app at 127.0.0.1 instead of localhost: another host name of the same server. */
const otherHost = (url: string) => url.replace('//localhost:', '//127.0.0.1:');

describe('one address, APP_URL, in the demo and the tests (APP_URL http://localhost:<port>)', () => {
  const suite = appForTests();

  it('sends a GET on 127.0.0.1 to the same path and query on APP_URL (a temporary redirect outside production)', async () => {
    const res = await request(otherHost(suite.app.url)).get('/demandes?page=2&q=%C5%81ucja').expect(302);
    expect(res.headers.location).toBe(`${suite.app.url}/demandes?page=2&q=%C5%81ucja`);
    const head = await request(otherHost(suite.app.url)).head('/').expect(302);
    expect(head.headers.location).toBe(`${suite.app.url}/`);
    await request(suite.app.url).get('/').expect(200);
  });

  it('answers /health on any host name, for the load balancer', async () => {
    const res = await request(otherHost(suite.app.url)).get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok' });
  });

  it('refuses a form sent to another host name with a French page that links to APP_URL', async () => {
    const res = await request(otherHost(suite.app.url)).post('/demandes').type('form').send({ _csrf: 'x' }).expect(421);
    const refused = page(res);
    expect(refused.heading()).toBe('Cette adresse n’est pas celle de P2V');
    expect(refused.testId('app-address').attr('href')).toBe(`${suite.app.url}/`);
  });
});

describe('one address, APP_URL, in production', () => {
  const docs = mkdtempSync(join(tmpdir(), 'p2v-docs-'));
  let app: TestApp | undefined;
  const start = (trustProxy: boolean) =>
    startTestApp({
      NODE_ENV: 'production',
      APP_URL: 'https://p2v.example.fr',
      TRUST_PROXY: String(trustProxy),
      DEMO_IDP: undefined,
      TEST_ENDPOINTS: undefined,
      DEMO_MESSAGING: 'false',
      SEED_DEMO_DATA: 'false',
      NOTIFICATIONS_WORKER: 'false',
      SESSION_SECRET: randomBytes(32).toString('hex'),
      DOCUMENTS_DIR: docs,
      DOCUMENTS_KEY: randomBytes(32).toString('base64'),
      AUDIT_KEY: randomBytes(32).toString('base64'),
      VIDEO_CALL_CODE_SECRET: randomBytes(32).toString('hex'),
      VIDEO_SERVICE_API_KEY: randomBytes(32).toString('hex'),
      FC_ISSUER: 'https://fc.example.invalid',
      FC_CLIENT_ID: 'p2v',
      FC_CLIENT_SECRET: 'secret',
      PC_ISSUER: 'https://pc.example.invalid',
      PC_CLIENT_ID: 'p2v',
      PC_CLIENT_SECRET: 'secret',
      SMTP_HOST: '127.0.0.1',
      SMS_API_URL: 'https://sms.example.invalid',
      SMS_API_KEY: 'key',
    });
  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });
  afterAll(() => rmSync(docs, { recursive: true, force: true }));

  it(
    'behind a trusted load balancer, redirects (301) another host or plain http to APP_URL with path and query, and serves APP_URL',
    async () => {
      app = await start(true);
      const http = () => request(app!.url);
      const direct = await http().get('/connexion?retour=%2Fdemandes').expect(301);
      expect(direct.headers.location).toBe('https://p2v.example.fr/connexion?retour=%2Fdemandes');
      const forwarded = await http()
        .get('/agents/connexion')
        .set('X-Forwarded-Host', 'lb-interne.example')
        .set('X-Forwarded-Proto', 'https')
        .expect(301);
      expect(forwarded.headers.location).toBe('https://p2v.example.fr/agents/connexion');
      const plain = await http().get('/demandes').set('X-Forwarded-Host', 'p2v.example.fr').set('X-Forwarded-Proto', 'http').expect(301);
      expect(plain.headers.location).toBe('https://p2v.example.fr/demandes');
      const home = await http().get('/').set('X-Forwarded-Host', 'p2v.example.fr').set('X-Forwarded-Proto', 'https').expect(200);
      expect(page(home).heading()).toBe('Visiter un proche détenu');
      // A form on another address is refused before the CSRF check or any handler.
      const form = await http().post('/deconnexion').type('form').send({}).expect(421);
      expect(page(form).testId('app-address').attr('href')).toBe('https://p2v.example.fr/');
      // The load balancer's health check, on the instance's own address.
      await http().get('/health').expect(200);
    },
    APP_START_TIMEOUT,
  );

  it(
    'without TRUST_PROXY, X-Forwarded-Host is not believed: only the Host header counts',
    async () => {
      app = await start(false);
      const http = () => request(app!.url);
      const spoofed = await http().get('/').set('X-Forwarded-Host', 'p2v.example.fr').set('X-Forwarded-Proto', 'https').expect(301);
      expect(spoofed.headers.location).toBe('https://p2v.example.fr/');
      const home = await http().get('/').set('Host', 'p2v.example.fr').expect(200);
      expect(page(home).heading()).toBe('Visiter un proche détenu');
      await http().get('/health').set('Host', '10.0.3.7:3000').expect(200);
    },
    APP_START_TIMEOUT,
  );
});
