import { insertAgent, insertEstablishment, insertFamily, unique, type StaffRole } from './factories/people';
import { APP_START_TIMEOUT, appForTests, startTestApp, TestApp } from './helpers/app';
import { query, queryOne } from './helpers/db';
import { page } from './helpers/html';
import { awayFromWindowEnd } from './helpers/rate-limit-window';
import { type AgentIdentity, follow, signInAgent, signInFamily } from './helpers/sign-in';

const suite = appForTests();

/** An establishment of its own with one agent holding `role` there, signed in (a name outside Latin-1). */
async function establishmentWith(role: StaffRole, who: Partial<AgentIdentity> = { givenName: 'Łucja', usualName: 'Nguyễn-Şahin' }) {
  const establishment = await insertEstablishment();
  const agent = await insertAgent([{ establishmentId: establishment.id, role }], who);
  return { establishment, agent, http: await signInAgent(suite.app.url, agent) };
}

/** An agent tries to sign in with ProConnect (the demo provider) as this person: the page they land on. */
async function agentSignInAttempt(who: AgentIdentity) {
  const http = suite.app.http();
  const start = await http.get('/agents/connexion').expect(302);
  const { res: login } = await follow(http, start.headers.location);
  const action = page(login).$('form[data-testid="custom-identity"]').attr('action')!;
  const posted = await http
    .post(action)
    .type('form')
    .send({ custom: '1', given_name: who.givenName, usual_name: who.usualName, email: who.email });
  const { res: landing } = await follow(http, posted.headers.location);
  return { http, landing };
}

const roleAt = (establishmentId: string, email: string) =>
  query<{ id: string; role: string }>(
    `SELECT r.id, r.role FROM role_assignments r JOIN agents a ON a.id = r.agent_id WHERE r.establishment_id = $1 AND a.email = $2`,
    [establishmentId, email],
  );

describe('who may use which route', () => {
  it('sends anonymous visitors to sign in', async () => {
    const res = await suite.app.http().get('/etablissements/CPNORD/detenus').expect(401);
    expect(page(res).heading()).toBe('Connexion nécessaire');
    await suite.app.http().get('/mon-espace').expect(401);
  });

  it('refuses staff pages to a family', async () => {
    const family = await insertFamily({ givenName: 'Łucja', familyName: 'Nguyễn-Şahin' });
    const http = await signInFamily(suite.app.url, family);
    const res = await http.get('/agents').expect(403);
    expect(page(res).heading()).toBe('Accès refusé');
    await http.get('/etablissements/CPNORD/detenus').expect(403);
  });

  it('refuses family pages to staff', async () => {
    const { http } = await establishmentWith('PARLOIR_AGENT');
    await http.get('/mon-espace').expect(403);
  });

  it('refuses an admin page to an agent without the ADMIN role', async () => {
    const { establishment, http } = await establishmentWith('PARLOIR_AGENT');
    await http.get(`/etablissements/${establishment.code}/detenus`).expect(200);
    await http.get(`/etablissements/${establishment.code}/agents`).expect(403);
    await http.get(`/etablissements/${establishment.code}/detenus/import`).expect(403);
  });

  it('shows the population list only to those who need it: the greffe, the head, the administrator and the visiting room', async () => {
    for (const role of ['SPIP_COUNSELLOR', 'ACTIVITIES_OFFICER'] as const) {
      const { establishment, http } = await establishmentWith(role);
      await http.get(`/etablissements/${establishment.code}/detenus`).expect(403);
      const home = page(await http.get('/agents').expect(200));
      expect(home.$(`a[href="/etablissements/${establishment.code}/detenus"]`).length).toBe(0);
    }
    for (const role of ['PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT', 'ADMIN', 'PARLOIR_AGENT'] as const) {
      const { establishment, http } = await establishmentWith(role);
      await http.get(`/etablissements/${establishment.code}/detenus`).expect(200);
    }
  });

  it('refuses an agent of another establishment', async () => {
    const { establishment, http } = await establishmentWith('PERMITS_OFFICER');
    const other = await insertEstablishment();
    const own = page(await http.get(`/etablissements/${establishment.code}/detenus`).expect(200));
    expect(own.heading()).toBe(`Personnes détenues — ${establishment.name}`);
    const refused = page(await http.get(`/etablissements/${other.code}/detenus`).expect(403));
    expect(refused.heading()).toBe('Accès refusé');
    expect(refused.mainText()).not.toContain(other.name);
  });

  it('shows no stack trace, whatever the bad input', async () => {
    // No route takes JSON: a JSON body (well-formed or not) is refused before any handler.
    const badJson = await suite.app.http().post('/').set('Content-Type', 'application/json').send('{bad').expect(415);
    const json = await suite.app
      .http()
      .post('/visites/reserver')
      .set('Content-Type', 'application/json')
      .send({ detaineeId: 'x' })
      .expect(415);
    const tooLarge = await suite.app.http().post('/').type('form').send('a='.padEnd(300_000, 'a')).expect(413);
    const badUrl = await suite.app.http().get('/etablissements/%E0%A4%A/detenus').expect(400);
    for (const res of [badJson, json, tooLarge, badUrl]) {
      expect(page(res).heading()).toBe('Requête incorrecte');
      // No stack trace anywhere in the answer, markup included.
      expect(res.text).not.toMatch(/SyntaxError|Error:|\bat [\w.]+ \(|node_modules/);
    }
  });

  it('answers 404 in French for an unknown page', async () => {
    const res = page(await suite.app.http().get('/nulle-part').expect(404));
    expect(res.heading()).toBe('Page non trouvée');
    expect(res.$('html').attr('lang')).toBe('fr');
  });
});

describe('administration of agents and roles', () => {
  it('refuses a form posted without its CSRF token, and changes nothing', async () => {
    const { establishment, http } = await establishmentWith('ADMIN');
    const email = `${unique('pirate-').toLowerCase()}@justice.gouv.fr`;
    const url = `/etablissements/${establishment.code}/agents`;
    const res = await http.post(url).type('form').send({ email, firstName: 'Pi', lastName: 'Rate', role: 'ADMIN' }).expect(403);
    expect(page(res).mainText()).toContain('Le formulaire a expiré');
    const bad = await http
      .post(url)
      .type('form')
      .send({ _csrf: 'forged-token', email, firstName: 'Pi', lastName: 'Rate', role: 'ADMIN' })
      .expect(403);
    expect(page(bad).mainText()).toContain('Le formulaire a expiré');
    expect(await query(`SELECT 1 FROM agents WHERE email = $1`, [email])).toHaveLength(0);
  });

  it('re-renders the form with French errors and the values typed', async () => {
    const { establishment, http } = await establishmentWith('ADMIN');
    const url = `/etablissements/${establishment.code}/agents`;
    const form = page(await http.get(url).expect(200));
    const res = page(
      await http
        .post(url)
        .type('form')
        .send({ _csrf: form.csrf(), email: 'pas-une-adresse', firstName: 'Łucja', lastName: '', role: 'ROI' })
        .expect(400),
    );
    expect(res.errors()).toEqual([
      'Saisissez une adresse e-mail valide, par exemple prenom.nom@justice.gouv.fr',
      'Saisissez le nom de l’agent',
      'Choisissez un rôle dans la liste',
    ]);
    expect(res.fieldError('lastName')).toBe('Saisissez le nom de l’agent');
    expect(res.value('firstName')).toBe('Łucja');
    expect(res.value('email')).toBe('pas-une-adresse');
  });

  it('grants a role to a new agent, who can then sign in; removes it after confirmation', async () => {
    const { establishment, http } = await establishmentWith('ADMIN');
    const newcomer: AgentIdentity = { givenName: 'Paŭlo', usualName: 'Nguyễn', email: `${unique('paul-').toLowerCase()}@justice.gouv.fr` };
    // Not registered yet: cannot sign in.
    const before = await agentSignInAttempt(newcomer);
    expect(before.landing.status).toBe(403);
    expect(page(before.landing).mainText()).toContain('Demandez à l’administrateur P2V de votre établissement');

    const url = `/etablissements/${establishment.code}/agents`;
    const form = page(await http.get(url).expect(200));
    await http
      .post(url)
      .type('form')
      .send({ _csrf: form.csrf(), email: newcomer.email.toUpperCase(), firstName: 'Paŭlo', lastName: 'Nguyễn', role: 'PARLOIR_AGENT' })
      .expect(303)
      .expect('Location', `${url}?fait=ajout`);
    const list = page(await http.get(`${url}?fait=ajout`).expect(200));
    expect(list.text('done')).toBe('Le rôle a été attribué.');
    expect(list.texts('agent-email')).toContain(newcomer.email);
    expect(list.texts('agent-name')).toContain('Paŭlo Nguyễn');

    const paul = await agentSignInAttempt(newcomer);
    expect(paul.landing.status).toBe(200);
    expect(page(paul.landing).text('greeting')).toBe('Bonjour Paŭlo Nguyễn.');
    await paul.http.get(`/etablissements/${establishment.code}/detenus`).expect(200);

    const [assignment] = await roleAt(establishment.id, newcomer.email);
    const confirm = page(await http.get(list.link('Retirer le rôle Agent parloir de Paŭlo Nguyễn')).expect(200));
    expect(confirm.heading()).toBe('Retirer le rôle « Agent parloir » à Paŭlo Nguyễn ?');
    await http
      .post(`${url}/roles/${assignment.id}/retrait`)
      .type('form')
      .send({ _csrf: confirm.csrf() })
      .expect(303)
      .expect('Location', `${url}?fait=retrait`);
    // Effective at once, even in the session already open.
    await paul.http.get(`/etablissements/${establishment.code}/detenus`).expect(403);

    const audit = await query<{ action: string; actorType: string; actorLabel: string }>(
      `SELECT action, actor_type AS "actorType", actor_label AS "actorLabel" FROM audit_log
        WHERE action IN ('ROLE_GRANTED','ROLE_REVOKED') AND coalesce(after->>'agent', before->>'agent') = $1 ORDER BY id`,
      [newcomer.email],
    );
    expect(audit).toEqual([
      { action: 'ROLE_GRANTED', actorType: 'AGENT', actorLabel: 'Łucja Nguyễn-Şahin' },
      { action: 'ROLE_REVOKED', actorType: 'AGENT', actorLabel: 'Łucja Nguyễn-Şahin' },
    ]);
  });

  it('an admin cannot act on an establishment where they are not admin, even by guessing ids', async () => {
    const north = await establishmentWith('ADMIN');
    const [assignment] = await roleAt(north.establishment.id, north.agent.email);
    const south = await insertEstablishment();
    const officer = await insertAgent([{ establishmentId: south.id, role: 'PERMITS_OFFICER' }], {
      givenName: 'Ştefan',
      usualName: 'Ionescu',
    });
    const officerHttp = await signInAgent(suite.app.url, officer);
    await officerHttp.get(`/etablissements/${north.establishment.code}/agents/roles/${assignment.id}/retrait`).expect(403);
    await officerHttp.get(`/etablissements/${south.code}/agents/roles/${assignment.id}/retrait`).expect(403);
    // The south admin cannot reach a north role through the south URL either.
    const southAdmin = await insertAgent([{ establishmentId: south.id, role: 'ADMIN' }], { givenName: 'محمد', usualName: 'Haddad' });
    const adminHttp = await signInAgent(suite.app.url, southAdmin);
    const retrait = `/etablissements/${south.code}/agents/roles/${assignment.id}/retrait`;
    await adminHttp.get(retrait).expect(404);
    const csrf = page(await adminHttp.get(`/etablissements/${south.code}/agents`).expect(200)).csrf();
    await adminHttp.post(retrait).type('form').send({ _csrf: csrf }).expect(404);
    expect(await roleAt(north.establishment.id, north.agent.email)).toEqual([assignment]);
  });

  it('refuses to remove the last administrator of an establishment', async () => {
    const { establishment, agent, http } = await establishmentWith('ADMIN');
    const [assignment] = await roleAt(establishment.id, agent.email);
    const url = `/etablissements/${establishment.code}/agents/roles/${assignment.id}/retrait`;
    const confirm = page(await http.get(url).expect(200));
    const res = page(await http.post(url).type('form').send({ _csrf: confirm.csrf() }).expect(409));
    expect(res.errors()).toEqual(['C’est le dernier administrateur de cet établissement : nommez-en un autre avant de retirer ce rôle.']);
    expect(await query(`SELECT 1 FROM role_assignments WHERE id = $1`, [assignment.id])).toHaveLength(1);
  });
});

describe('"Agents et rôles" refuses hostile input with a French page', () => {
  it('shows the first page for ?page=1e20', async () => {
    const { establishment, http } = await establishmentWith('ADMIN');
    const list = page(await http.get(`/etablissements/${establishment.code}/agents?page=1e20`).expect(200));
    expect(list.texts('agent-name')).toEqual(['Łucja Nguyễn-Şahin']);
  });

  it('answers 404 to a role id that is not a UUID', async () => {
    const { establishment, http } = await establishmentWith('ADMIN');
    const base = `/etablissements/${establishment.code}/agents`;
    const res = await http.get(`${base}/roles/pas-un-id/retrait`).expect(404);
    expect(page(res).heading()).toBe('Page non trouvée');
    const csrf = page(await http.get(base).expect(200)).csrf();
    await http.post(`${base}/roles/1'%20OR%20'1/retrait`).type('form').send({ _csrf: csrf }).expect(404);
  });

  it('refuses a NUL character in the grant-role form, and grants nothing', async () => {
    const { establishment, http } = await establishmentWith('ADMIN');
    const url = `/etablissements/${establishment.code}/agents`;
    const email = `${unique('nul-').toLowerCase()}@justice.gouv.fr`;
    const csrf = page(await http.get(url).expect(200)).csrf();
    const res = await http
      .post(url)
      .type('form')
      .send({ _csrf: csrf, email, firstName: 'Jean\u0000', lastName: 'Dupont', role: 'PARLOIR_AGENT' })
      .expect(400);
    expect(page(res).heading()).toBe('Requête incorrecte');
    expect(page(res).mainText()).toContain('Votre saisie contient un caractère non autorisé');
    expect(await query(`SELECT 1 FROM agents WHERE email = $1`, [email])).toHaveLength(0);
  });

  it('answers a field sent twice with the form and French errors (400, not 500)', async () => {
    const { establishment, http } = await establishmentWith('ADMIN');
    const url = `/etablissements/${establishment.code}/agents`;
    const email = `${unique('twice-').toLowerCase()}@justice.gouv.fr`;
    const csrf = page(await http.get(url).expect(200)).csrf();
    const res = page(
      await http
        .post(url)
        .type('form')
        .send(`_csrf=${encodeURIComponent(csrf)}&email=${email}&email=${email}&firstName=A&firstName=B&lastName=C&role=ADMIN&role=ADMIN`)
        .expect(400),
    );
    expect(res.heading()).toBe(`Agents et rôles — ${establishment.name}`);
    expect(res.errors()).toEqual([
      'Saisissez une adresse e-mail valide, par exemple prenom.nom@justice.gouv.fr',
      'Saisissez le prénom de l’agent',
      'Choisissez un rôle dans la liste',
    ]);
    expect(await query(`SELECT 1 FROM agents WHERE email = $1`, [email])).toHaveLength(0);
    expect(
      (await queryOne<{ n: number }>(`SELECT count(*)::int AS n FROM role_assignments WHERE establishment_id = $1`, [establishment.id])).n,
    ).toBe(1);
  });
});

describe('sign-in rate limit', () => {
  let limited: TestApp;
  afterAll(async () => {
    await limited?.stop();
  });
  it(
    'answers 429 in French past the limit',
    async () => {
      limited = await startTestApp({ SIGNIN_RATE_LIMIT: '3' }, { reset: false });
      // This test's requests and the next one's in one window of the limit.
      await awayFromWindowEnd();
      const http = limited.http();
      for (let i = 0; i < 3; i++) await http.get('/connexion').expect(302);
      const res = await http.get('/connexion').expect(429);
      expect(page(res).heading()).toBe('Trop de tentatives');
    },
    APP_START_TIMEOUT + 10_000,
  );

  it('limits the contact’s video-call code page with the sign-in routes', async () => {
    // One limiter for all these routes: past the limit on /connexion, the code page is refused too.
    const res = await limited.http().post('/visio/code').type('form').send({ appel: 'x', code: '123456' }).expect(429);
    expect(page(res).heading()).toBe('Trop de tentatives');
    await limited.http().get('/visio/code').expect(429);
  });
});
