import { query } from './helpers/db';
import { appForTests } from './helpers/app';
import { FAMILY, follow, pathOf, signIn, STAFF } from './helpers/sign-in';

const suite = appForTests();

function sessionCookie(setCookie: string[] | string | undefined): string | undefined {
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return list.find((c) => c.startsWith('p2v.sid='));
}

describe('family sign-in with FranceConnect (local provider)', () => {
  it('sends the parameters FranceConnect requires', async () => {
    const res = await suite.app.http().get('/connexion').expect(302);
    const url = new URL(res.headers.location);
    expect(url.origin + url.pathname).toBe(`${suite.app.url}/demo-idp/auth`);
    const p = url.searchParams;
    expect(p.get('response_type')).toBe('code');
    expect(p.get('scope')).toBe('openid given_name family_name birthdate email');
    expect(p.get('acr_values')).toBe('eidas1');
    expect(p.get('redirect_uri')).toBe(`${suite.app.url}/connexion/callback`);
    expect(p.get('client_id')).toBe('p2v-franceconnect-demo');
    expect(p.get('state')!.length).toBeGreaterThanOrEqual(32);
    expect(p.get('nonce')!.length).toBeGreaterThanOrEqual(32);
    expect(p.get('code_challenge_method')).toBe('S256');
    const cookie = sessionCookie(res.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it('signs in, regenerates the session id, shows the FranceConnect identity read-only', async () => {
    const agent = suite.app.http();
    const start = await agent.get('/connexion').expect(302);
    const before = sessionCookie(start.headers['set-cookie'])!.split(';')[0];
    const { res: loginPage } = await follow(agent, start.headers.location);
    expect(loginPage.status).toBe(200);
    expect(loginPage.text).toContain('FranceConnect — fournisseur d’identité de démonstration');
    const action = /action="(\/demo-idp\/interaction\/[^"]+\/login)"/.exec(loginPage.text)![1];
    let res = await agent.post(action).type('form').send({ sub: FAMILY.camille });
    let after: string | undefined;
    const visited: string[] = [];
    while ([302, 303].includes(res.status)) {
      visited.push(pathOf(res.headers.location));
      res = await agent.get(pathOf(res.headers.location));
      after = sessionCookie(res.headers['set-cookie'])?.split(';')[0] ?? after;
    }
    expect(visited.some((v) => v.startsWith('/connexion/callback?code='))).toBe(true);
    expect(visited[visited.length - 1]).toBe('/mon-espace');
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Camille');
    expect(res.text).toContain('14 mars 1985');
    expect(res.text).toContain('camille.martin@example.fr');
    expect(res.text).toContain('ne peuvent pas être modifiées ici');
    expect(res.text).not.toMatch(/<input[^>]+name="(given|family)/);
  });

  it('creates the account at first sign-in, and audits it', async () => {
    const { landing } = await signIn(suite.app.url, FAMILY.lea);
    expect(landing.status).toBe(200);
    expect(landing.text).toContain('Léa');
    const rows = await query(
      `SELECT a.action FROM audit_log a JOIN family_accounts f ON f.id::text = a.entity_id WHERE f.fc_subject = $1 ORDER BY a.id`,
      [FAMILY.lea],
    );
    expect(rows.map((r) => r.action)).toEqual(['FAMILY_ACCOUNT_CREATED', 'FAMILY_SIGNED_IN']);
  });

  it('refuses an identity below eidas1 and opens no session', async () => {
    const { agent, landing } = await signIn(suite.app.url, FAMILY.weak);
    expect(landing.status).toBe(401);
    expect(landing.text).toContain('niveau de sécurité');
    await agent.get('/mon-espace').expect(401);
    expect(await query(`SELECT 1 FROM family_accounts WHERE fc_subject = $1`, [FAMILY.weak])).toHaveLength(0);
  });

  it('refuses a callback whose state does not match', async () => {
    const agent = suite.app.http();
    const start = await agent.get('/connexion').expect(302);
    const { res: loginPage } = await follow(agent, start.headers.location);
    const action = /action="(\/demo-idp\/interaction\/[^"]+\/login)"/.exec(loginPage.text)![1];
    let res = await agent.post(action).type('form').send({ sub: FAMILY.camille });
    while ([302, 303].includes(res.status) && !res.headers.location.includes('/connexion/callback'))
      res = await agent.get(pathOf(res.headers.location));
    const callback = new URL(res.headers.location);
    callback.searchParams.set('state', 'x'.repeat(43));
    const refused = await agent.get(callback.pathname + callback.search);
    expect(refused.status).toBe(401);
    expect(refused.text).toContain('La connexion n’a pas abouti');
    await agent.get('/mon-espace').expect(401);
  });

  it('signs out of P2V and of the provider (end_session with id_token_hint and state)', async () => {
    const { agent } = await signIn(suite.app.url, FAMILY.karim);
    await agent.get('/mon-espace').expect(200);
    const out = await agent.get('/deconnexion').expect(303);
    const end = new URL(out.headers.location);
    expect(end.pathname).toBe('/demo-idp/session/end');
    expect(end.searchParams.get('id_token_hint')).toMatch(/^ey/);
    expect(end.searchParams.get('post_logout_redirect_uri')).toBe(`${suite.app.url}/deconnexion/fin`);
    const state = end.searchParams.get('state')!;
    expect(state.length).toBeGreaterThanOrEqual(32);
    await agent.get('/mon-espace').expect(401);

    // The provider's page posts its logout form by itself; do what the browser does.
    const page = await agent.get(end.pathname + end.search).expect(200);
    const action = /action="([^"]+)"/.exec(page.text)![1];
    const fields = Object.fromEntries(
      [...page.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    const posted = await agent.post(pathOf(action)).type('form').send(fields);
    expect([302, 303]).toContain(posted.status);
    const { res: final, visited } = await follow(agent, posted.headers.location);
    expect(visited[visited.length - 1]).toBe(`/deconnexion/fin?state=${state}`);
    expect(final.text).toContain('votre session auprès du fournisseur d’identité sont fermées');
  });
});

describe('staff sign-in with ProConnect (local provider)', () => {
  it('sends the ProConnect scopes and lands a known agent on the dashboard', async () => {
    const res = await suite.app.http().get('/agents/connexion').expect(302);
    const p = new URL(res.headers.location).searchParams;
    expect(p.get('scope')).toBe('openid email given_name usual_name uid');
    expect(p.get('client_id')).toBe('p2v-proconnect-demo');
    expect(p.get('nonce')!.length).toBeGreaterThanOrEqual(32);
    const { landing, visited } = await signIn(suite.app.url, STAFF.permitsNord);
    expect(visited[visited.length - 1]).toBe('/agents');
    expect(landing.status).toBe(200);
    expect(landing.text).toContain('Centre pénitentiaire de Démonstration-Nord');
    expect(landing.text).toContain('Agent du greffe');
    const [agent] = await query(`SELECT oidc_subject, last_sign_in_at FROM agents WHERE email = 'thomas.girard@justice.gouv.fr'`);
    expect(agent.oidc_subject).toBe(STAFF.permitsNord);
    expect(agent.last_sign_in_at).not.toBeNull();
  });

  it('tells an agent without a role to ask their administrator, and opens no session', async () => {
    const { agent, landing } = await signIn(suite.app.url, STAFF.unknown);
    expect(landing.status).toBe(403);
    expect(landing.text).toContain('Demandez à l’administrateur P2V de votre établissement');
    await agent.get('/agents').expect(401);
  });

  it('the provider refuses an identity of the other kind (an agent on the family client)', async () => {
    const agent = suite.app.http();
    const start = await agent.get('/connexion').expect(302);
    const { res: loginPage } = await follow(agent, start.headers.location);
    expect(loginPage.text).not.toContain(STAFF.admin);
    const action = /action="(\/demo-idp\/interaction\/[^"]+\/login)"/.exec(loginPage.text)![1];
    await agent.post(action).type('form').send({ sub: STAFF.admin }).expect(400);
  });
});
