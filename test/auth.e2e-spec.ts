import { insertAgent, insertEstablishment, insertFamily, unique } from './factories/people';
import { appForTests } from './helpers/app';
import { query, queryOne } from './helpers/db';
import { page } from './helpers/html';
import { type Agent, FAMILY, follow, pathOf, signInFamilyThroughProvider, signInThroughProvider, STAFF } from './helpers/sign-in';

const suite = appForTests();

function sessionCookie(setCookie: string[] | string | undefined): string | undefined {
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return list.find((c) => c.startsWith('p2v.sid='));
}

/** The action of the demo provider's identity forms (they all post to the interaction's login). */
const loginAction = (loginPage: { text: string }) => page(loginPage).$('form[data-testid="custom-identity"]').attr('action')!;

/**
 * Signs in through the app and the demo provider as a person typed on its page ("Une autre
 * identité"), as a person would; returns the page landed on and the path walked.
 */
async function signInTyped(kind: 'family' | 'agent', fields: Record<string, string>) {
  const http = suite.app.http();
  const start = await http.get(kind === 'family' ? '/connexion' : '/agents/connexion').expect(302);
  const { res: loginPage } = await follow(http, start.headers.location);
  const posted = await http
    .post(loginAction(loginPage))
    .type('form')
    .send({ custom: '1', ...fields });
  const { res: landing, visited } = await follow(http, posted.headers.location);
  return { http, landing, visited };
}

function newFamily() {
  const email = `${unique('famille-').toLowerCase()}@example.fr`;
  return { given_name: 'Łucja', family_name: 'Nguyễn-Şahin', birthdate: '1991-07-23', email, acr: 'eidas1', subject: `fc-custom-${email}` };
}

async function newAgent(role: 'PERMITS_OFFICER' | 'ADMIN' = 'PERMITS_OFFICER') {
  const establishment = await insertEstablishment();
  const agent = await insertAgent([{ establishmentId: establishment.id, role }], { givenName: 'محمد', usualName: 'Ţepeş' });
  return { establishment, agent, fields: { given_name: agent.givenName, usual_name: agent.usualName, email: agent.email } };
}

/** A family account of its own (a name outside Latin-1), signed in with FranceConnect. */
async function signedInFamily(mobilePhone?: string) {
  const family = await insertFamily({ givenName: 'Łucja', familyName: 'Nguyễn-Şahin', mobilePhone });
  return { family, http: await signInFamilyThroughProvider(suite.app.url, family) };
}

const phoneOf = async (id: string) =>
  (await queryOne<{ mobilePhone: string | null }>(`SELECT mobile_phone AS "mobilePhone" FROM family_accounts WHERE id = $1`, [id]))
    .mobilePhone;

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
    expect(page(loginPage).heading()).toBe('FranceConnect — fournisseur d’identité de démonstration');
    let res = await agent.post(loginAction(loginPage)).type('form').send({ sub: FAMILY.camille });
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
    const home = page(res);
    expect(home.text('identity-given-name')).toBe('Camille');
    expect(home.text('identity-birthdate')).toBe('14 mars 1985');
    expect(home.text('identity-email')).toBe('camille.martin@example.fr');
    expect(home.mainText()).toContain('ne peuvent pas être modifiées ici');
    expect(home.$('input[name^="given"], input[name^="family"]').length).toBe(0);
  });

  it('creates the account at first sign-in, and audits it', async () => {
    const family = newFamily();
    const { landing, visited } = await signInTyped('family', family);
    expect(landing.status).toBe(200);
    expect(visited[visited.length - 1]).toBe('/mon-espace');
    expect(page(landing).text('greeting')).toBe('Bonjour Łucja Nguyễn-Şahin.');
    expect(page(landing).text('identity-family-name')).toBe('Nguyễn-Şahin');
    const rows = await query<{ action: string; actorType: string; actorLabel: string }>(
      `SELECT a.action, a.actor_type AS "actorType", a.actor_label AS "actorLabel"
         FROM audit_log a JOIN family_accounts f ON f.id::text = a.entity_id WHERE f.fc_subject = $1 ORDER BY a.id`,
      [family.subject],
    );
    expect(rows).toEqual([
      { action: 'FAMILY_ACCOUNT_CREATED', actorType: 'FAMILY', actorLabel: 'Łucja Nguyễn-Şahin' },
      { action: 'FAMILY_SIGNED_IN', actorType: 'FAMILY', actorLabel: 'Łucja Nguyễn-Şahin' },
    ]);
  });

  it('records the sign-in time on the app’s clock', async () => {
    const family = newFamily();
    await suite.app.setClock('2031-05-06T07:08:09.000Z', { frozen: true });
    try {
      expect((await signInTyped('family', family)).landing.status).toBe(200);
    } finally {
      await suite.app.resetClock();
    }
    const account = await queryOne<{ lastSignInAt: Date }>(
      `SELECT last_sign_in_at AS "lastSignInAt" FROM family_accounts WHERE fc_subject = $1`,
      [family.subject],
    );
    expect(account.lastSignInAt.toISOString()).toBe('2031-05-06T07:08:09.000Z');
  });

  it('refuses an identity below eidas1 and opens no session', async () => {
    const { agent, landing } = await signInThroughProvider(suite.app.url, FAMILY.weak);
    expect(landing.status).toBe(401);
    expect(page(landing).heading()).toBe('La connexion n’a pas abouti');
    expect(page(landing).mainText()).toContain('niveau de sécurité');
    await agent.get('/mon-espace').expect(401);
    expect(await query(`SELECT 1 FROM family_accounts WHERE fc_subject = $1`, [FAMILY.weak])).toHaveLength(0);
  });

  it('refuses a callback whose state does not match', async () => {
    const agent = suite.app.http();
    const start = await agent.get('/connexion').expect(302);
    const { res: loginPage } = await follow(agent, start.headers.location);
    let res = await agent.post(loginAction(loginPage)).type('form').send({ sub: FAMILY.camille });
    while ([302, 303].includes(res.status) && !res.headers.location.includes('/connexion/callback'))
      res = await agent.get(pathOf(res.headers.location));
    const callback = new URL(res.headers.location);
    callback.searchParams.set('state', 'x'.repeat(43));
    const refused = await agent.get(callback.pathname + callback.search);
    expect(refused.status).toBe(401);
    expect(page(refused).heading()).toBe('La connexion n’a pas abouti');
    await agent.get('/mon-espace').expect(401);
  });

  it('the provider answers an error (server_error): the French refusal page, no session, the refusal audited', async () => {
    const agent = suite.app.http();
    const start = await agent.get('/connexion').expect(302);
    const state = new URL(start.headers.location).searchParams.get('state')!;
    // As the provider sends it back (RFC 9207: with its issuer).
    const { issuer } = (await agent.get('/demo-idp/.well-known/openid-configuration').expect(200)).body as { issuer: string };
    const error = new URLSearchParams({ error: 'server_error', error_description: 'Service indisponible', state, iss: issuer });
    const refused = await agent.get(`/connexion/callback?${error.toString()}`);
    expect(refused.status).toBe(401);
    expect(page(refused).heading()).toBe('La connexion n’a pas abouti');
    expect(page(refused).link('Réessayer')).toBe('/connexion');
    await agent.get('/mon-espace').expect(401);
    const entry = await queryOne<{ after: { reason: string; error: string } }>(
      `SELECT after FROM audit_log WHERE action = 'SIGN_IN_REFUSED' ORDER BY id DESC LIMIT 1`,
    );
    expect(entry.after.reason).toBe('OIDC_CHECK_FAILED');
    expect(entry.after.error).toMatch(/server_error/);
  });

  it('signs out of P2V and of the provider (end_session with id_token_hint and state)', async () => {
    const { http: agent } = await signInTyped('family', newFamily());
    await agent.get('/mon-espace').expect(200);
    // The link shows a confirmation form; the sign-out itself is its POST, with the CSRF token.
    const confirm = page(await agent.get('/deconnexion').expect(200));
    expect(confirm.heading()).toBe('Se déconnecter');
    const out = await agent.post('/deconnexion').type('form').send(confirm.formFields('/deconnexion')).expect(303);
    const end = new URL(out.headers.location);
    expect(end.pathname).toBe('/demo-idp/session/end');
    expect(end.searchParams.get('id_token_hint')).toMatch(/^ey/);
    expect(end.searchParams.get('post_logout_redirect_uri')).toBe(`${suite.app.url}/deconnexion/fin`);
    const state = end.searchParams.get('state')!;
    expect(state.length).toBeGreaterThanOrEqual(32);
    await agent.get('/mon-espace').expect(401);

    // The provider's page posts its logout form by itself; do what the browser does.
    const providerPage = page(await agent.get(end.pathname + end.search).expect(200));
    const action = providerPage.$('form').first().attr('action')!;
    const posted = await agent.post(pathOf(action)).type('form').send(providerPage.formFields());
    expect([302, 303]).toContain(posted.status);
    const { res: final, visited } = await follow(agent, posted.headers.location);
    expect(visited[visited.length - 1]).toBe(`/deconnexion/fin?state=${state}`);
    expect(page(final).heading()).toBe('Vous êtes déconnecté');
    expect(page(final).mainText()).toContain('votre session auprès du fournisseur d’identité sont fermées');
  });
});

describe('staff sign-in with ProConnect (local provider)', () => {
  it('sends the ProConnect scopes and lands a known agent on the dashboard', async () => {
    const res = await suite.app.http().get('/agents/connexion').expect(302);
    const p = new URL(res.headers.location).searchParams;
    expect(p.get('scope')).toBe('openid email given_name usual_name uid');
    expect(p.get('client_id')).toBe('p2v-proconnect-demo');
    expect(p.get('nonce')!.length).toBeGreaterThanOrEqual(32);
    const { establishment, agent, fields } = await newAgent();
    const { landing, visited } = await signInTyped('agent', fields);
    expect(visited[visited.length - 1]).toBe('/agents');
    expect(landing.status).toBe(200);
    const dashboard = page(landing);
    expect(dashboard.text('greeting')).toBe('Bonjour محمد Ţepeş.');
    expect(dashboard.texts('establishment-name')).toEqual([establishment.name]);
    expect(dashboard.text('establishment-roles')).toBe('Vos rôles : Agent du greffe (permis de visite).');
    const row = await queryOne<{ oidcSubject: string; lastSignInAt: Date | null }>(
      `SELECT oidc_subject AS "oidcSubject", last_sign_in_at AS "lastSignInAt" FROM agents WHERE id = $1`,
      [agent.id],
    );
    expect(row.oidcSubject).toBe(`pc-custom-${agent.email}`);
    expect(row.lastSignInAt).not.toBeNull();
    const audit = await query<{ action: string; actorLabel: string }>(
      `SELECT action, actor_label AS "actorLabel" FROM audit_log WHERE actor_id = $1 ORDER BY id`,
      [agent.id],
    );
    expect(audit).toEqual([
      { action: 'AGENT_ACCOUNT_LINKED', actorLabel: 'محمد Ţepeş' },
      { action: 'AGENT_SIGNED_IN', actorLabel: 'محمد Ţepeş' },
    ]);
  });

  it('records the agent’s sign-in time on the app’s clock', async () => {
    const { agent, fields } = await newAgent();
    await suite.app.setClock('2031-05-06T07:08:09.000Z', { frozen: true });
    try {
      expect((await signInTyped('agent', fields)).landing.status).toBe(200);
    } finally {
      await suite.app.resetClock();
    }
    const row = await queryOne<{ lastSignInAt: Date }>(`SELECT last_sign_in_at AS "lastSignInAt" FROM agents WHERE id = $1`, [agent.id]);
    expect(row.lastSignInAt.toISOString()).toBe('2031-05-06T07:08:09.000Z');
  });

  it('tells an agent without a role to ask their administrator, and opens no session', async () => {
    const email = `${unique('inconnu-').toLowerCase()}@justice.gouv.fr`;
    const { http, landing } = await signInTyped('agent', { given_name: 'Ayşe', usual_name: 'Đặng', email });
    expect(landing.status).toBe(403);
    expect(page(landing).heading()).toBe('Votre accès à P2V n’est pas encore ouvert');
    expect(page(landing).mainText()).toContain('Demandez à l’administrateur P2V de votre établissement');
    await http.get('/agents').expect(401);
    expect(await query(`SELECT 1 FROM agents WHERE email = $1`, [email])).toHaveLength(0);
  });

  it('the provider refuses an identity of the other kind (an agent on the family client)', async () => {
    const agent: Agent = suite.app.http();
    const start = await agent.get('/connexion').expect(302);
    const { res: loginPage } = await follow(agent, start.headers.location);
    const offered = page(loginPage)
      .$('input[name="sub"]')
      .toArray()
      .map((e) => e.attribs.value);
    expect(offered).toContain(FAMILY.camille);
    expect(offered).not.toContain(STAFF.admin);
    await agent.post(loginAction(loginPage)).type('form').send({ sub: STAFF.admin }).expect(400);
  });
});

describe('"Mon espace": the family’s own account', () => {
  it('shows the FranceConnect identity, whatever the script of the names', async () => {
    const { family, http } = await signedInFamily();
    const home = page(await http.get('/mon-espace').expect(200));
    expect(home.heading()).toBe('Mon espace');
    expect(home.text('greeting')).toBe('Bonjour Łucja Nguyễn-Şahin.');
    expect(home.text('identity-given-name')).toBe('Łucja');
    expect(home.text('identity-family-name')).toBe('Nguyễn-Şahin');
    expect(home.text('identity-email')).toBe(family.email);
    expect(home.text('mobile-phone')).toBe('non renseigné');
  });

  it('records, shows and removes the mobile number, audited with the family’s name', async () => {
    const { family, http } = await signedInFamily();
    const form = page(await http.get('/mon-espace/telephone').expect(200));
    expect(form.value('phone')).toBe('');
    await http
      .post('/mon-espace/telephone')
      .type('form')
      .send({ _csrf: form.csrf(), phone: ' 06 12 34 56 78 ' })
      .expect(303)
      .expect('Location', '/mon-espace?fait=telephone');
    expect(await phoneOf(family.id)).toBe('+33612345678');
    const home = page(await http.get('/mon-espace?fait=telephone').expect(200));
    expect(home.text('done')).toBe('Votre numéro de téléphone est enregistré.');
    expect(home.text('mobile-phone')).toBe('+33612345678');
    expect(page(await http.get('/mon-espace/telephone').expect(200)).value('phone')).toBe('+33612345678');

    await http.post('/mon-espace/telephone').type('form').send({ _csrf: form.csrf(), phone: '' }).expect(303);
    expect(await phoneOf(family.id)).toBeNull();
    const audit = await query<{ actorType: string; actorLabel: string; before: unknown; after: unknown }>(
      `SELECT actor_type AS "actorType", actor_label AS "actorLabel", before, after FROM audit_log
        WHERE action = 'FAMILY_PHONE_CHANGED' AND entity_id = $1 ORDER BY id`,
      [family.id],
    );
    const by = { actorType: 'FAMILY', actorLabel: 'Łucja Nguyễn-Şahin' };
    expect(audit).toEqual([
      { ...by, before: { mobilePhone: null }, after: { mobilePhone: '+33612345678' } },
      { ...by, before: { mobilePhone: '+33612345678' }, after: { mobilePhone: null } },
    ]);
  });

  it('refuses an invalid number with the French message and the value typed', async () => {
    const { family, http } = await signedInFamily('+33612345678');
    const csrf = page(await http.get('/mon-espace/telephone').expect(200)).csrf();
    const res = page(await http.post('/mon-espace/telephone').type('form').send({ _csrf: csrf, phone: '0612' }).expect(400));
    expect(res.errors()).toEqual(['Le numéro de téléphone « 0612 » n’est pas valide. Exemple : 06 12 34 56 78.']);
    expect(res.fieldError('phone')).toBe('Le numéro de téléphone « 0612 » n’est pas valide. Exemple : 06 12 34 56 78.');
    expect(res.value('phone')).toBe('0612');
    expect(await phoneOf(family.id)).toBe('+33612345678');
  });

  it('refuses a NUL character in the phone form with a French page, and changes nothing', async () => {
    const { family, http } = await signedInFamily('+33612345678');
    const csrf = page(await http.get('/mon-espace/telephone').expect(200)).csrf();
    const res = page(
      await http.post('/mon-espace/telephone').type('form').send({ _csrf: csrf, phone: '06 12\u0000 34 56 78' }).expect(400),
    );
    expect(res.heading()).toBe('Requête incorrecte');
    expect(res.mainText()).toContain('Votre saisie contient un caractère non autorisé');
    expect(await phoneOf(family.id)).toBe('+33612345678');
  });

  it('answers a number sent twice with the form and a French error (400, not 500)', async () => {
    const { family, http } = await signedInFamily('+33612345678');
    const csrf = page(await http.get('/mon-espace/telephone').expect(200)).csrf();
    const res = page(
      await http
        .post('/mon-espace/telephone')
        .type('form')
        .send(`_csrf=${encodeURIComponent(csrf)}&phone=0611111111&phone=0622222222`)
        .expect(400),
    );
    expect(res.heading()).toBe('Mon numéro de téléphone portable');
    expect(res.errors()).toEqual(['Saisissez un seul numéro de téléphone portable']);
    expect(await phoneOf(family.id)).toBe('+33612345678');
  });
});
