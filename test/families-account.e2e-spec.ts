import { insertFamily } from './factories/people';
import { appForTests } from './helpers/app';
import { query, queryOne } from './helpers/db';
import { page } from './helpers/html';
import { signInFamily } from './helpers/sign-in';

const suite = appForTests();

/** A family account of its own (a name outside Latin-1), signed in with FranceConnect. */
async function signedInFamily(mobilePhone?: string) {
  const family = await insertFamily({ givenName: 'Łucja', familyName: 'Nguyễn-Şahin', mobilePhone });
  return { family, http: await signInFamily(suite.app.url, family) };
}

const phoneOf = async (id: string) =>
  (await queryOne<{ mobilePhone: string | null }>(`SELECT mobile_phone AS "mobilePhone" FROM family_accounts WHERE id = $1`, [id]))
    .mobilePhone;

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
