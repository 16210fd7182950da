import { claimFailures, insertClaimablePermit, printed, setPermitConditions } from './factories/claims';
import {
  insertAgent,
  insertDetainee,
  insertEstablishment,
  insertFamily,
  unique,
  type DetaineeRow,
  type EstablishmentRow,
} from './factories/people';
import { insertPermit } from './factories/permits';
import { at, dayIn, insertRoom, insertSlotTemplate, insertVisit, weekdayOf } from './factories/visits';
import { query, queryOne } from './helpers/db';
import { photoPng } from './helpers/files';
import { page } from './helpers/html';
import { binary, newRequest, pdfText, permitsApp, postStep } from './helpers/permits';
import { type Agent, FAMILY, type FamilyIdentity, signIn, signInAgent, signInFamily } from './helpers/sign-in';

const suite = permitsApp();

const REFUSED =
  'Nous ne pouvons pas lier ce permis à votre compte. Vérifiez le code inscrit sur le permis ou sur le courrier, et que vous êtes connecté avec l’identité de la personne titulaire du permis.';
const TOO_MANY =
  'Trop de tentatives en 24 heures : vous ne pouvez plus essayer de code pour le moment. Réessayez demain, ou présentez-vous au greffe de l’établissement avec une pièce d’identité.';

let establishment: EstablishmentRow;
let detainee: DetaineeRow;
let roomId: string;
let permits: string;
const as = {} as Record<'greffe' | 'chef' | 'parloir', Agent>;

beforeAll(async () => {
  establishment = await insertEstablishment({ name: 'Maison d’arrêt de Łódź-Ștefănești' });
  permits = `/etablissements/${establishment.code}/permis`;
  detainee = await insertDetainee(establishment.id, { firstName: 'Şükrü', lastName: 'Țurcanu', legalStatus: 'CONDAMNE' });
  const room = await insertRoom(establishment.id, { cabins: 10 });
  roomId = room.id;
  await insertSlotTemplate(room.id, { dayOfWeek: weekdayOf(dayIn(3)) });
  const role = (r: 'PERMITS_OFFICER' | 'HEAD_OF_ESTABLISHMENT' | 'PARLOIR_AGENT') => [{ establishmentId: establishment.id, role: r }];
  as.greffe = await signInAgent(suite.app.url, await insertAgent(role('PERMITS_OFFICER'), { givenName: 'Ștefan', usualName: 'Popescu' }));
  as.chef = await signInAgent(
    suite.app.url,
    await insertAgent(role('HEAD_OF_ESTABLISHMENT'), { givenName: 'Zofia', usualName: 'Łukasiewicz' }),
  );
  as.parloir = await signInAgent(suite.app.url, await insertAgent(role('PARLOIR_AGENT'), { givenName: 'Thị Lan', usualName: 'Nguyễn' }));
});

/** A person who signs in with FranceConnect (the account is created then); the account's id. */
async function family(who: Omit<FamilyIdentity, 'email'>): Promise<{ agent: Agent; id: string; email: string }> {
  const email = `${unique('fc-').toLowerCase()}@example.fr`;
  const agent = await signInFamily(suite.app.url, { ...who, email });
  const { id } = await queryOne<{ id: string }>(`SELECT id FROM family_accounts WHERE email = $1`, [email]);
  return { agent, id, email };
}

/** Types a code in « Lier un permis papier ». */
async function claim(agent: Agent, code: string, status: number) {
  const form = page(await agent.get('/permis/lier').expect(200));
  return agent.post('/permis/lier').type('form').send({ _csrf: form.csrf(), code }).expect(status);
}

async function permitRow(id: string) {
  return queryOne<{ familyAccountId: string | null; claimCode: string | null; claimedAt: Date | null }>(
    `SELECT family_account_id AS "familyAccountId", claim_code AS "claimCode", claimed_at AS "claimedAt" FROM permits WHERE id = $1`,
    [id],
  );
}

async function pdf(agent: Agent, url: string): Promise<string> {
  const res = await agent.get(url).buffer(true).parse(binary).expect(200).expect('Content-Type', 'application/pdf');
  return pdfText(res.body as Buffer);
}

describe('a family claims a permit recorded by the greffe', () => {
  it('the greffe records a paper permit: it gets a code, printed on the permit and on a letter to the visitor; the family claims it and books a visit with it', async () => {
    const form = page(await as.greffe.get(`${permits}/enregistrer`).expect(200));
    const fields: Record<string, string> = {
      _csrf: form.csrf(),
      ecrou: detainee.ecrouNumber,
      givenName: 'Łucja',
      familyName: 'Nguyễn-Şahin',
      birthdate: '14/03/1985',
      relationship: 'SPOUSE',
      origin: 'PAPER',
      validFrom: '01/01/2026',
      validTo: '',
    };
    let req = as.greffe.post(`${permits}/enregistrer`);
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    const recorded = await req.attach('fichier', await photoPng(), 'photo.png').expect(303);
    const permitId = recorded.headers.location.split('/').pop()!;
    const { claimCode: code } = await permitRow(permitId);
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{12}$/);

    // The staff page shows the code and the letter to print; the permit PDF and the letter carry the code.
    const staffPage = page(await as.greffe.get(`${permits}/${permitId}`).expect(200));
    expect(staffPage.text('claim-code')).toBe(printed(code!));
    const permitPdf = await pdf(as.greffe, `${permits}/${permitId}/permis.pdf`);
    expect(permitPdf).toContain(`Code P2V : ${printed(code!)}`);
    expect(permitPdf).toContain('« Mes permis »');
    expect(permitPdf).toContain('FranceConnect');
    const letterUrl = staffPage.testId('claim-letter').attr('href')!;
    const letter = await pdf(as.greffe, letterUrl);
    expect(letter).toContain(printed(code!));
    expect(letter).toContain('Łucja NGUYỄN-ŞAHIN');
    expect(letter).toContain('« Mes permis »');
    const letterId = letterUrl.split('/').pop()!;
    expect(await query(`SELECT kind, family_account_id AS "familyAccountId" FROM letters WHERE id = $1`, [letterId])).toEqual([
      { kind: 'CLAIM_CODE', familyAccountId: null },
    ]);
    // A parloir agent sees the permit, not who holds it in P2V nor its code.
    expect(page(await as.parloir.get(`${permits}/${permitId}`).expect(200)).has('permit-holder')).toBe(false);

    // FranceConnect gives every given name and the name in capitals: it still matches.
    const lucja = await family({ givenName: 'ŁUCJA Maria', familyName: 'NGUYEN ŞAHIN', birthdate: '1985-03-14' });
    const mine = page(await lucja.agent.get('/permis').expect(200));
    expect(mine.has('no-permit')).toBe(true);
    expect(mine.testId('claim-link').attr('href')).toBe('/permis/lier');
    const typed = `${code!.slice(0, 4).toLowerCase()} ${code!.slice(4, 8)}-${code!.slice(8)}`;
    const claimed = await claim(lucja.agent, typed, 303);
    expect(claimed.headers.location).toBe('/permis?lie=1');
    const row = await permitRow(permitId);
    expect(row.familyAccountId).toBe(lucja.id);
    expect(row.claimCode).toBeNull();
    expect(row.claimedAt).not.toBeNull();
    expect(
      await query(`SELECT actor_id AS "actorId" FROM audit_log WHERE action = 'PERMIT_CLAIMED' AND entity_id = $1`, [permitId]),
    ).toEqual([{ actorId: lucja.id }]);
    expect(await query(`SELECT template FROM notifications WHERE entity_id = $1`, [permitId])).toEqual([{ template: 'permit-linked' }]);

    const after = page(await lucja.agent.get(claimed.headers.location).expect(200));
    expect(after.has('linked')).toBe(true);
    expect(after.texts('permit-visitor')).toEqual(['Łucja Nguyễn-Şahin']);
    expect(after.text('permit-state')).toBe('Valide');
    expect(after.text('permit-detainee')).toContain('Şükrü Țurcanu');
    expect(after.text('permit-establishment')).toBe('Maison d’arrêt de Łódź-Ștefănești');
    expect(after.text('permit-limits')).toBe('Permanent');
    // The letter is now the family's: listed and downloadable from « Mes permis ».
    expect(after.testId('letter').find('a').attr('href')).toBe(`/courriers/${letterId}`);
    expect(await pdf(lucja.agent, `/courriers/${letterId}`)).toContain(printed(code!));
    // The staff page now names the account.
    expect(page(await as.greffe.get(`${permits}/${permitId}`).expect(200)).text('holder-linked')).toContain('ŁUCJA Maria NGUYEN ŞAHIN');

    // The claimed permit books exactly like an online one.
    const booking = page(await lucja.agent.get('/visites/reserver').expect(200));
    expect(booking.options('permitIds')).toEqual([permitId]);
    const [slot] = booking.options('slot');
    const booked = await lucja.agent
      .post('/visites/reserver')
      .type('form')
      .send({ ...booking.formFields('/visites/reserver'), slot })
      .expect(303);
    expect(booked.headers.location).toMatch(/reservee=/);
    expect(
      await query(
        `SELECT v.family_account_id AS "familyId", vv.permit_id AS "permitId" FROM visits v JOIN visit_visitors vv ON vv.visit_id = v.id
          WHERE v.detainee_id = $1`,
        [detainee.id],
      ),
    ).toEqual([{ familyId: lucja.id, permitId }]);
  });

  it('claims a permit whose visitor is named in Arabic script, with the same names from FranceConnect', async () => {
    const permit = await insertClaimablePermit({
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      visitorGivenName: 'محمد',
      visitorFamilyName: 'الحداد',
      visitorBirthdate: '1979-06-01',
      origin: 'MAGISTRATE',
    });
    const other = await family({ givenName: 'محمد', familyName: 'حداد', birthdate: '1979-06-01' });
    expect(page(await claim(other.agent, permit.code, 400)).fieldError('code')).toBe(REFUSED);
    const mohamed = await family({ givenName: 'محمد', familyName: 'الحداد', birthdate: '1979-06-01' });
    await claim(mohamed.agent, printed(permit.code), 303);
    expect((await permitRow(permit.id)).familyAccountId).toBe(mohamed.id);
    expect(page(await mohamed.agent.get('/permis').expect(200)).texts('permit-visitor')).toEqual(['محمد الحداد']);
  });

  it('a wrong code and an identity that does not match get the same neutral error, each counted', async () => {
    const permit = await insertClaimablePermit({
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      visitorGivenName: 'Zoë',
      visitorFamilyName: 'Łukasiewicz',
      visitorBirthdate: '1990-02-02',
    });
    // The right names, another birth date.
    const someone = await family({ givenName: 'Zoë', familyName: 'Łukasiewicz', birthdate: '1990-02-03' });
    const mismatch = page(await claim(someone.agent, permit.code, 400));
    expect(mismatch.errors()).toEqual([REFUSED]);
    expect(mismatch.fieldError('code')).toBe(REFUSED);
    const wrong = page(await claim(someone.agent, 'ABCD-EFGH-JKLM', 400));
    expect(wrong.errors()).toEqual([REFUSED]);
    const nonsense = page(await claim(someone.agent, 'pas un code', 400));
    expect(nonsense.errors()).toEqual([REFUSED]);
    expect(nonsense.value('code')).toBe('pas un code');
    expect(await claimFailures(someone.id)).toBe(3);
    expect(await permitRow(permit.id)).toMatchObject({ familyAccountId: null, claimCode: permit.code });
    // An empty form is a form error, not an attempt.
    const empty = await claim(someone.agent, '', 400);
    expect(page(empty).fieldError('code')).toBe('Saisissez le code de 12 caractères, par exemple ABCD-EFGH-JKLM');
    expect(await claimFailures(someone.id)).toBe(3);
  });

  it('after 5 failures in 24 hours the account is refused (429), even with the right code and identity', async () => {
    const permit = await insertClaimablePermit({
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      visitorGivenName: 'Ştefan',
      visitorFamilyName: 'Ionescu',
      visitorBirthdate: '1970-07-07',
    });
    const stefan = await family({ givenName: 'Ştefan', familyName: 'Ionescu', birthdate: '1970-07-07' });
    for (let i = 0; i < 5; i++) await claim(stefan.agent, 'ZZZZ-ZZZZ-ZZZZ', 400);
    const refused = await claim(stefan.agent, permit.code, 429);
    expect(page(refused).errors()).toEqual([TOO_MANY]);
    expect((await permitRow(permit.id)).familyAccountId).toBeNull();
    expect(await claimFailures(stefan.id)).toBe(5);
    // Failures older than 24 hours no longer count.
    await query(`UPDATE permit_claim_failures SET at = at - interval '25 hours' WHERE family_account_id = $1`, [stefan.id]);
    await claim(stefan.agent, permit.code, 303);
  });

  it('a withdrawn permit cannot be claimed; a suspended one can, and shows its state and reason', async () => {
    const who = { visitorGivenName: 'Gül', visitorFamilyName: 'Yılmaz', visitorBirthdate: '1982-12-12' };
    const withdrawn = await insertClaimablePermit({
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      ...who,
      status: 'WITHDRAWN',
    });
    const suspended = await insertClaimablePermit({
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      ...who,
      status: 'SUSPENDED',
      statusReason: 'Incident au parloir du 3 novembre.',
    });
    const gul = await family({ givenName: 'Gül', familyName: 'Yılmaz', birthdate: '1982-12-12' });
    expect(page(await claim(gul.agent, withdrawn.code, 400)).errors()).toEqual([REFUSED]);
    expect((await permitRow(withdrawn.id)).familyAccountId).toBeNull();
    await claim(gul.agent, suspended.code, 303);
    const mine = page(await gul.agent.get('/permis').expect(200));
    expect(mine.texts('permit-state')).toEqual(['Suspendu']);
    expect(mine.text('permit-reason')).toBe('Incident au parloir du 3 novembre.');
  });

  it('another family sees neither the claimed permit nor its letters, and the spent code no longer works', async () => {
    const permit = await insertClaimablePermit({
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      visitorGivenName: 'Thị Lan',
      visitorFamilyName: 'Nguyễn',
      visitorBirthdate: '1995-05-05',
    });
    // The greffe generated the code through the page for this one: its letter exists.
    const { id: letterId } = await queryOne<{ id: string }>(
      `INSERT INTO letters (establishment_id, permit_id, kind, title, addressee, body, issued_at)
       VALUES ($1, $2, 'CLAIM_CODE', 'Votre code', 'Thị Lan NGUYỄN', '{"paragraphs":["Code"],"recourse":false}', now()) RETURNING id`,
      [establishment.id, permit.id],
    );
    const lan = await family({ givenName: 'Thị Lan', familyName: 'Nguyễn', birthdate: '1995-05-05' });
    await claim(lan.agent, permit.code, 303);
    await lan.agent.get(`/courriers/${letterId}`).expect(200);
    // Same identity, another account (a second FranceConnect provider): the code is spent.
    const twin = await family({ givenName: 'Thị Lan', familyName: 'Nguyễn', birthdate: '1995-05-05' });
    expect(page(await claim(twin.agent, permit.code, 400)).errors()).toEqual([REFUSED]);
    const theirs = page(await twin.agent.get('/permis').expect(200));
    expect(theirs.has('permit')).toBe(false);
    expect(theirs.has('letter')).toBe(false);
    await twin.agent.get(`/courriers/${letterId}`).expect(404);
    expect((await permitRow(permit.id)).familyAccountId).toBe(lan.id);
  });
});

describe('« Mes permis »', () => {
  it('demo: Léa Dubois links her paper permit with the code of her letter at her first sign-in', async () => {
    const { agent } = await signIn(suite.app.url, FAMILY.lea);
    await claim(agent, 'lead-ubas-2345', 303);
    const mine = page(await agent.get('/permis').expect(200));
    expect(mine.texts('permit-visitor')).toEqual(['Léa Dubois']);
    expect(mine.text('letter')).toContain('Votre code pour réserver vos visites en ligne');
  });

  it('shows an expired permit as « Expiré », its limits and conditions', async () => {
    const holder = await insertFamily({ givenName: 'Œdipe', familyName: 'Łaski' });
    const expired = await insertPermit({
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      familyAccountId: holder.id,
      visitorGivenName: 'Œdipe',
      visitorFamilyName: 'Łaski',
      validFrom: '2020-01-01',
    });
    await setPermitConditions(expired.id, {
      validTo: '2020-06-30',
      roomCondition: 'SEPARATION',
      conditionsNote: 'Visites accompagnées d’un éducateur.',
    });
    const agent = await signInFamily(suite.app.url, holder);
    const mine = page(await agent.get('/permis').expect(200));
    expect(mine.text('permit-state')).toBe('Expiré');
    expect(mine.text('permit-limits')).toBe('Limité : jusqu’au 30/06/2020');
    expect(mine.texts('permit-condition')).toEqual(['Parloir avec dispositif de séparation', 'Visites accompagnées d’un éducateur.']);
    expect(mine.heading()).toBe('Mes permis de visite');
  });

  it('counts the visits used by a permit limited in number: booked and made ones, not cancelled ones nor those it left', async () => {
    const holder = await insertFamily({ givenName: 'Ewa', familyName: 'Żółkiewska' });
    const permit = await insertPermit({
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      familyAccountId: holder.id,
      visitorGivenName: 'Ewa',
      visitorFamilyName: 'Żółkiewska',
    });
    await setPermitConditions(permit.id, { maxVisits: 3 });
    const visit = (days: number) =>
      insertVisit({
        establishmentId: establishment.id,
        roomId,
        detaineeId: detainee.id,
        startsAt: at(dayIn(days), '09:00'),
        permitIds: [permit.id],
      });
    await visit(20);
    const cancelled = await visit(21);
    await query(`UPDATE visits SET status = 'CANCELLED' WHERE id = $1`, [cancelled.id]);
    const left = await visit(22);
    await query(`UPDATE visit_visitors SET active = false WHERE visit_id = $1`, [left.id]);
    const agent = await signInFamily(suite.app.url, holder);
    const mine = page(await agent.get('/permis').expect(200));
    expect(mine.text('permit-limits')).toBe('Limité : 3 visites (1 utilisée)');
    expect(mine.text('permit-state')).toBe('Valide');
  });

  it('the prévenu page says what happens: the magistrate issues on paper, the establishment records it, the family links it with its code', async () => {
    const prevenu = await insertDetainee(establishment.id, { firstName: 'محمد', lastName: 'Haddad', legalStatus: 'PREVENU' });
    const agent = await signInFamily(suite.app.url, await insertFamily());
    const id = await newRequest(agent);
    const res = await postStep(agent, id, 1, { establishment: establishment.code, ecrou: prevenu.ecrouNumber, lastName: 'haddad' });
    expect(res.status).toBe(200);
    const steps = page(res).texts('prevenu-step');
    expect(steps).toHaveLength(4);
    expect(steps[1]).toBe('Le magistrat vous délivre le permis sur papier.');
    expect(steps[2]).toContain('L’établissement enregistre ensuite ce permis dans P2V');
    expect(steps[2]).toContain('code P2V');
    expect(steps[3]).toContain('« Mes permis »');
    expect(page(res).link('« Mes permis »')).toBe('/permis');
    expect(page(res).mainText()).not.toContain('vous pourrez ensuite réserver vos visites ici');
  });

  it('is in the family navigation', async () => {
    const agent = await signInFamily(suite.app.url, await insertFamily());
    const home = page(await agent.get('/mon-espace').expect(200));
    expect(home.link('Mes permis')).toBe('/permis');
  });
});

describe('the greffe gives a code and links a permit to the account of the person present', () => {
  it('« Générer un code » for a recorded permit without one: the code and its letter; a second time is refused', async () => {
    const permit = await insertPermit({
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      familyAccountId: null,
      visitorGivenName: 'Ana',
      visitorFamilyName: 'Ionescu',
    });
    const url = `${permits}/${permit.id}`;
    const before = page(await as.greffe.get(url).expect(200));
    expect(before.has('claim-code')).toBe(false);
    await as.greffe.post(`${url}/code-de-liaison`).type('form').send({ _csrf: before.csrf() }).expect(303);
    const after = page(await as.greffe.get(url).expect(200));
    const { claimCode } = await permitRow(permit.id);
    expect(after.text('claim-code')).toBe(printed(claimCode!));
    expect(after.has('generate-code')).toBe(false);
    expect(await pdf(as.greffe, after.testId('claim-letter').attr('href')!)).toContain(printed(claimCode!));
    expect(
      await query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'PERMIT_CLAIM_CODE_ISSUED' AND entity_id = $1`, [permit.id]),
    ).toEqual([{ n: 1 }]);
    await as.greffe.post(`${url}/code-de-liaison`).type('form').send({ _csrf: before.csrf() }).expect(409);
    await as.parloir.post(`${url}/code-de-liaison`).type('form').send({ _csrf: before.csrf() }).expect(403);
  });

  it('links by the account’s e-mail, identity document checked, after a confirmation showing the account holder', async () => {
    const permit = await insertPermit({
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      familyAccountId: null,
      visitorGivenName: 'Yasmine',
      visitorFamilyName: 'Benali',
      visitorBirthdate: '2015-04-04',
      relationship: 'CHILD',
    });
    // The child's mother holds the account.
    const mother = await family({ givenName: 'فاطمة', familyName: 'Benali', birthdate: '1984-01-01' });
    const url = `${permits}/${permit.id}`;
    const permitPage = page(await as.greffe.get(url).expect(200));
    expect(permitPage.testId('link-account').attr('href')).toBe(`${url}/titulaire`);
    const form = page(await as.greffe.get(`${url}/titulaire`).expect(200));
    const send = (fields: Record<string, string>) =>
      as.greffe
        .post(`${url}/titulaire`)
        .type('form')
        .send({ _csrf: form.csrf(), ...fields });

    const unchecked = page(await send({ email: mother.email }).expect(400));
    expect(unchecked.fieldError('idChecked')).toBe('Cochez la case : vérifiez d’abord la pièce d’identité de la personne présente.');
    const unknown = page(await send({ email: 'personne@example.fr', idChecked: 'oui' }).expect(400));
    expect(unknown.fieldError('email')).toContain('Aucun compte P2V n’a cette adresse électronique');

    const confirm = page(await send({ email: mother.email.toUpperCase(), idChecked: 'oui' }).expect(200));
    expect(confirm.heading()).toBe('Confirmer le lien du permis au compte');
    expect(confirm.text('account-given-name')).toBe('فاطمة');
    expect(confirm.text('account-family-name')).toBe('Benali');
    expect(confirm.text('account-birthdate')).toBe('1 janvier 1984');
    expect(confirm.has('identity-differs')).toBe(true);
    expect((await permitRow(permit.id)).familyAccountId).toBeNull(); // nothing linked before the confirmation

    const fields = confirm.formFields(`${url}/titulaire/confirmer`);
    // A tampered form: another account's id, or another account's e-mail with this id — refused, nothing linked.
    const stranger = await family({ givenName: 'Łukasz', familyName: 'Şahin', birthdate: '1979-05-05' });
    for (const tampered of [
      { ...fields, accountId: stranger.id },
      { ...fields, email: stranger.email },
    ]) {
      const refused = await as.greffe.post(`${url}/titulaire/confirmer`).type('form').send(tampered).expect(409);
      expect(page(refused).errors()).toEqual([
        'Ce compte ne correspond plus à l’adresse électronique saisie : saisissez-la de nouveau et vérifiez l’identité affichée.',
      ]);
    }
    expect((await permitRow(permit.id)).familyAccountId).toBeNull();
    await as.parloir.post(`${url}/titulaire/confirmer`).type('form').send(fields).expect(403);
    await as.greffe.post(`${url}/titulaire/confirmer`).type('form').send(fields).expect(303);
    expect((await permitRow(permit.id)).familyAccountId).toBe(mother.id);
    expect(await query(`SELECT after FROM audit_log WHERE action = 'PERMIT_LINKED_BY_STAFF' AND entity_id = $1`, [permit.id])).toEqual([
      { after: { familyAccountId: mother.id, identityDocumentChecked: true } },
    ]);
    expect(page(await as.greffe.get(url).expect(200)).text('holder-linked')).toContain('فاطمة Benali');
    expect(page(await mother.agent.get('/permis').expect(200)).texts('permit-visitor')).toEqual(['Yasmine Benali']);
    // Linked once: a second confirmation is refused.
    const again = await as.greffe.post(`${url}/titulaire/confirmer`).type('form').send(fields).expect(409);
    expect(page(again).errors()).toEqual(['Ce permis est déjà lié à un compte P2V.']);
  });
});
