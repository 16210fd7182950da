import { query } from './helpers/db';
import { appForTests, startTestApp, TestApp } from './helpers/app';
import { csrfOf, FAMILY, signIn, STAFF } from './helpers/sign-in';

const suite = appForTests();

describe('who may use which route', () => {
  it('sends anonymous visitors to sign in', async () => {
    const res = await suite.app.http().get('/etablissements/CPNORD/detenus').expect(401);
    expect(res.text).toContain('Connexion nécessaire');
    await suite.app.http().get('/mon-espace').expect(401);
  });

  it('refuses staff pages to a family', async () => {
    const { agent } = await signIn(suite.app.url, FAMILY.camille);
    const res = await agent.get('/agents').expect(403);
    expect(res.text).toContain('Accès refusé');
    await agent.get('/etablissements/CPNORD/detenus').expect(403);
  });

  it('refuses family pages to staff', async () => {
    const { agent } = await signIn(suite.app.url, STAFF.parloirNord);
    await agent.get('/mon-espace').expect(403);
  });

  it('refuses an admin page to an agent without the ADMIN role', async () => {
    const { agent } = await signIn(suite.app.url, STAFF.parloirNord);
    await agent.get('/etablissements/CPNORD/detenus').expect(200);
    await agent.get('/etablissements/CPNORD/agents').expect(403);
    await agent.get('/etablissements/CPNORD/detenus/import').expect(403);
  });

  it('refuses an agent of another establishment', async () => {
    const { agent } = await signIn(suite.app.url, STAFF.permitsSud);
    const own = await agent.get('/etablissements/MASUD/detenus').expect(200);
    expect(own.text).toContain('Maison d’arrêt de Démonstration-Sud');
    const other = await agent.get('/etablissements/CPNORD/detenus').expect(403);
    expect(other.text).not.toContain('Démonstration-Nord</span>');
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
      expect(res.text).toContain('Requête incorrecte');
      expect(res.text).not.toMatch(/SyntaxError|Error:|\bat [\w.]+ \(|node_modules/);
    }
  });

  it('answers 404 in French for an unknown page', async () => {
    const res = await suite.app.http().get('/nulle-part').expect(404);
    expect(res.text).toContain('Page non trouvée');
    expect(res.text).toContain('lang="fr"');
  });
});

describe('administration of agents and roles', () => {
  it('refuses a form posted without its CSRF token, and changes nothing', async () => {
    const { agent } = await signIn(suite.app.url, STAFF.admin);
    const res = await agent
      .post('/etablissements/CPNORD/agents')
      .type('form')
      .send({ email: 'pirate@justice.gouv.fr', firstName: 'Pi', lastName: 'Rate', role: 'ADMIN' })
      .expect(403);
    expect(res.text).toContain('Le formulaire a expiré');
    const bad = await agent
      .post('/etablissements/CPNORD/agents')
      .type('form')
      .send({ _csrf: 'forged-token', email: 'pirate@justice.gouv.fr', firstName: 'Pi', lastName: 'Rate', role: 'ADMIN' })
      .expect(403);
    expect(bad.text).toContain('Le formulaire a expiré');
    expect(await query(`SELECT 1 FROM agents WHERE email = 'pirate@justice.gouv.fr'`)).toHaveLength(0);
  });

  it('re-renders the form with French errors and the values typed', async () => {
    const { agent } = await signIn(suite.app.url, STAFF.admin);
    const page = await agent.get('/etablissements/CPNORD/agents').expect(200);
    const res = await agent
      .post('/etablissements/CPNORD/agents')
      .type('form')
      .send({ _csrf: csrfOf(page), email: 'pas-une-adresse', firstName: 'Zoé', lastName: '', role: 'ROI' })
      .expect(400);
    expect(res.text).toContain('Saisissez une adresse e-mail valide');
    expect(res.text).toContain('Saisissez le nom de l’agent');
    expect(res.text).toContain('Choisissez un rôle dans la liste');
    expect(res.text).toContain('value="Zoé"');
  });

  it('grants a role to a new agent, who can then sign in; removes it after confirmation', async () => {
    const { agent } = await signIn(suite.app.url, STAFF.admin);
    // The "unknown" demo agent cannot sign in yet.
    expect((await signIn(suite.app.url, STAFF.unknown)).landing.status).toBe(403);

    const page = await agent.get('/etablissements/CPNORD/agents').expect(200);
    await agent
      .post('/etablissements/CPNORD/agents')
      .type('form')
      .send({ _csrf: csrfOf(page), email: 'Paul.Nouveau@justice.gouv.fr', firstName: 'Paul', lastName: 'Nouveau', role: 'PARLOIR_AGENT' })
      .expect(303)
      .expect('Location', '/etablissements/CPNORD/agents?fait=ajout');
    const list = await agent.get('/etablissements/CPNORD/agents?fait=ajout').expect(200);
    expect(list.text).toContain('paul.nouveau@justice.gouv.fr');
    expect(list.text).toContain('Le rôle a été attribué');

    const paul = await signIn(suite.app.url, STAFF.unknown);
    expect(paul.landing.status).toBe(200);
    await paul.agent.get('/etablissements/CPNORD/detenus').expect(200);

    const [assignment] = await query(
      `SELECT r.id FROM role_assignments r JOIN agents a ON a.id = r.agent_id WHERE a.email = 'paul.nouveau@justice.gouv.fr'`,
    );
    const confirm = await agent.get(`/etablissements/CPNORD/agents/roles/${assignment.id}/retrait`).expect(200);
    expect(confirm.text).toContain('Retirer le rôle « Agent parloir » à Paul Nouveau ?');
    await agent
      .post(`/etablissements/CPNORD/agents/roles/${assignment.id}/retrait`)
      .type('form')
      .send({ _csrf: csrfOf(confirm) })
      .expect(303);
    // Effective at once, even in the session already open.
    await paul.agent.get('/etablissements/CPNORD/detenus').expect(403);

    const audit = await query(
      `SELECT action, actor_type, after, before FROM audit_log WHERE action IN ('ROLE_GRANTED','ROLE_REVOKED') AND coalesce(after->>'agent', before->>'agent') = 'paul.nouveau@justice.gouv.fr' ORDER BY id`,
    );
    expect(audit.map((a) => [a.action, a.actor_type])).toEqual([
      ['ROLE_GRANTED', 'AGENT'],
      ['ROLE_REVOKED', 'AGENT'],
    ]);
  });

  it('an admin cannot act on an establishment where they are not admin, even by guessing ids', async () => {
    const { agent } = await signIn(suite.app.url, STAFF.permitsSud);
    const [assignment] = await query(
      `SELECT r.id FROM role_assignments r JOIN establishments e ON e.id = r.establishment_id WHERE e.code = 'CPNORD' LIMIT 1`,
    );
    await agent.get(`/etablissements/CPNORD/agents/roles/${assignment.id}/retrait`).expect(403);
    await agent.get(`/etablissements/MASUD/agents/roles/${assignment.id}/retrait`).expect(403);
    // The MASUD admin cannot reach a CPNORD role through the MASUD URL either.
    const admin = await signIn(suite.app.url, STAFF.admin);
    await admin.agent.get(`/etablissements/MASUD/agents/roles/${assignment.id}/retrait`).expect(404);
  });

  it('refuses to remove the last administrator of an establishment', async () => {
    const { agent } = await signIn(suite.app.url, STAFF.admin);
    const [assignment] = await query(
      `SELECT r.id FROM role_assignments r JOIN establishments e ON e.id = r.establishment_id WHERE e.code = 'MASUD' AND r.role = 'ADMIN'`,
    );
    const confirm = await agent.get(`/etablissements/MASUD/agents/roles/${assignment.id}/retrait`).expect(200);
    const res = await agent
      .post(`/etablissements/MASUD/agents/roles/${assignment.id}/retrait`)
      .type('form')
      .send({ _csrf: csrfOf(confirm) })
      .expect(409);
    expect(res.text).toContain('dernier administrateur');
    expect(await query(`SELECT 1 FROM role_assignments WHERE id = $1`, [assignment.id])).toHaveLength(1);
  });
});

describe('sign-in rate limit', () => {
  let limited: TestApp;
  afterAll(async () => {
    await limited?.stop();
  });
  it('answers 429 in French past the limit', async () => {
    limited = await startTestApp({ SIGNIN_RATE_LIMIT: '3' }, { reset: false });
    const http = limited.http();
    for (let i = 0; i < 3; i++) await http.get('/connexion').expect(302);
    const res = await http.get('/connexion').expect(429);
    expect(res.text).toContain('Trop de tentatives');
  });
});
