import { insertFamily } from './factories/people';
import { appForTests } from './helpers/app';
import { query } from './helpers/db';
import { page } from './helpers/html';
import { signInFamilyThroughProvider } from './helpers/sign-in';

const suite = appForTests();
const HOUR = 3_600_000;

/** Moves the sign-in time of a family's stored sessions back, as if they had signed in that long ago (wall clock). */
async function signedInHoursAgo(familyId: string, hours: number): Promise<number> {
  const rows = await query(
    `UPDATE session SET sess = jsonb_set(sess::jsonb, '{signedInAt}', to_jsonb($2::bigint))::json
      WHERE sess::jsonb #>> '{passport,user,id}' = $1 RETURNING sid`,
    [familyId, Date.now() - hours * HOUR],
  );
  return rows.length;
}

function sessionsOf(familyId: string) {
  return query<{ signedInAt: string | null }>(
    `SELECT sess::jsonb ->> 'signedInAt' AS "signedInAt" FROM session WHERE sess::jsonb #>> '{passport,user,id}' = $1`,
    [familyId],
  );
}

describe('the absolute lifetime of a session (SESSION_ABSOLUTE_HOURS, 12 by default)', () => {
  it('records the sign-in time, and activity does not move it', async () => {
    const family = await insertFamily({ givenName: 'Łucja', familyName: 'Nguyễn-Şahin' });
    const before = Date.now();
    const http = await signInFamilyThroughProvider(suite.app.url, family);
    const [first] = await sessionsOf(family.id);
    expect(Number(first.signedInAt)).toBeGreaterThanOrEqual(before);
    await http.get('/mon-espace').expect(200);
    await http.get('/mon-espace').expect(200);
    expect((await sessionsOf(family.id)).map((s) => s.signedInAt)).toEqual([first.signedInAt]);
  });

  it('keeps an active session signed in before its absolute lifetime', async () => {
    const family = await insertFamily({ givenName: 'Ştefan', familyName: 'محمد' });
    const http = await signInFamilyThroughProvider(suite.app.url, family);
    expect(await signedInHoursAgo(family.id, 11.5)).toBe(1);
    await http.get('/mon-espace').expect(200);
  });

  it('ends a session 12 hours after its sign-in however active, and sends the person to sign in again', async () => {
    const family = await insertFamily({ givenName: 'Nguyễn', familyName: 'Łukasiewicz' });
    const http = await signInFamilyThroughProvider(suite.app.url, family);
    await http.get('/mon-espace').expect(200);
    expect(await signedInHoursAgo(family.id, 12.01)).toBe(1);
    const expired = await http.get('/mon-espace').expect(401);
    expect(page(expired).heading()).toBe('Connexion nécessaire');
    expect(page(expired).text('session-expired')).toContain('Connectez-vous à nouveau');
    expect(page(expired).link('Se connecter depuis l’accueil')).toBe('/');
    // The stored session is destroyed: the old cookie opens nothing any more.
    expect(await sessionsOf(family.id)).toEqual([]);
    await http.get('/mon-espace').expect(401);
  });
});

describe('signing out', () => {
  it('shows a confirmation form on GET /deconnexion and keeps the session until it is posted', async () => {
    const family = await insertFamily({ givenName: 'Łucja', familyName: 'Şahin' });
    const http = await signInFamilyThroughProvider(suite.app.url, family);
    const confirm = page(await http.get('/deconnexion').expect(200));
    expect(confirm.heading()).toBe('Se déconnecter');
    expect(confirm.$('form[data-testid="sign-out-form"]').attr('method')).toBe('post');
    expect(confirm.formFields('/deconnexion')._csrf.length).toBeGreaterThan(10);
    await http.get('/mon-espace').expect(200);
  });

  it('refuses a sign-out POST without its CSRF token (403), and the session stays', async () => {
    const family = await insertFamily({ givenName: 'Ţepeş', familyName: 'Nguyễn' });
    const http = await signInFamilyThroughProvider(suite.app.url, family);
    await http.post('/deconnexion').type('form').send({}).expect(403);
    await http
      .post('/deconnexion')
      .type('form')
      .send({ _csrf: 'x'.repeat(40) })
      .expect(403);
    await http.get('/mon-espace').expect(200);
  });

  it('sends a person who is not signed in from /deconnexion to the home page', async () => {
    const res = await suite.app.http().get('/deconnexion').expect(303);
    expect(res.headers.location).toBe('/');
  });
});
