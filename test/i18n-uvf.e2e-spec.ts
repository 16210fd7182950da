import { dayFromToday, postForm } from './factories/family-visit-requests';
import { insertStay } from './factories/family-visits-entitlement';
import { insertAuthorisedCase, insertUnit } from './factories/family-visits-units';
import { insertDetainee, insertEstablishment, insertFamily, type DetaineeRow, type EstablishmentRow } from './factories/people';
import { insertPermit } from './factories/permits';
import { query, queryOne } from './helpers/db';
import { page } from './helpers/html';
import { expectTranslated, getTranslated } from './helpers/translated';
import { permitsApp } from './helpers/permits';
import { signInFamily } from './helpers/sign-in';

/**
 * The family's UVF / PF pages, « Mes données », the sign-out pages and the SMS opt-out page in
 * English, Arabic and Spanish (issue #16). A translated page has its language and no French word,
 * except what is marked lang="fr": an establishment's name, a unit's name and rules, the history.
 */
const suite = permitsApp();

type Language = 'en' | 'ar' | 'es';

const EXPECTED: Record<
  Language,
  {
    newHeading: string;
    minorCompanion: string;
    received: string;
    withdrawHeading: string;
    withdrawn: string;
    alreadyWithdrawn: string;
    stayHeading: string;
    stayStatus: string;
    signOut: string;
    signedOut: string;
    optOut: string;
    optedOut: string;
    myData: string;
    signInFailed: string;
    closeRefused: string;
    blocker: string;
  }
> = {
  en: {
    newHeading: 'Request to visit محمد HADDAD',
    minorCompanion: 'عائشة NGUYỄN-ŞAHIN is under 18: choose the adult who comes with them among the visitors.',
    received: 'Received, being examined',
    withdrawHeading: 'Withdraw the request of عائشة NGUYỄN-ŞAHIN?',
    withdrawn: 'Withdrawn',
    alreadyWithdrawn: 'This request is already withdrawn.',
    stayHeading: 'Your visit in a family visiting room',
    stayStatus: 'Planned',
    signOut: 'Sign out',
    signedOut: 'You are signed out',
    optOut: 'Stop getting appointment reminders?',
    optedOut: 'You will no longer get reminders',
    myData: 'My data',
    signInFailed: 'The sign-in did not work',
    closeRefused: 'Your account was not closed',
    blocker: 'Your request for a visit in a family living unit (UVF) (file ',
  },
  ar: {
    newHeading: 'طلب لزيارة محمد HADDAD',
    minorCompanion: 'عائشة NGUYỄN-ŞAHIN قاصر: اختر من بين الزوّار الشخص الراشد الذي يرافقه.',
    received: 'وصلت، وهي قيد الدراسة',
    withdrawHeading: 'هل تريد سحب طلب عائشة NGUYỄN-ŞAHIN؟',
    withdrawn: 'مسحوب',
    alreadyWithdrawn: 'هذا الطلب مسحوب من قبل.',
    stayHeading: 'زيارتك في قاعة الزيارة العائلية',
    stayStatus: 'مقرَّرة',
    signOut: 'تسجيل الخروج',
    signedOut: 'لقد سجّلت الخروج',
    optOut: 'هل تريد إيقاف تذكيرات المواعيد؟',
    optedOut: 'لن تصلك التذكيرات بعد الآن',
    myData: 'بياناتي',
    signInFailed: 'لم يتمّ تسجيل الدخول',
    closeRefused: 'لم يُغلَق حسابك',
    blocker: 'طلبك للزيارة في وحدة الحياة العائلية (UVF) (الملف ',
  },
  es: {
    newHeading: 'Solicitud para visitar a محمد HADDAD',
    minorCompanion: 'عائشة NGUYỄN-ŞAHIN es menor de edad: elija entre los visitantes al adulto que le acompaña.',
    received: 'Recibida, en estudio',
    withdrawHeading: '¿Retirar la solicitud de عائشة NGUYỄN-ŞAHIN?',
    withdrawn: 'Retirada',
    alreadyWithdrawn: 'Esta solicitud ya está retirada.',
    stayHeading: 'Su visita en locutorio familiar',
    stayStatus: 'Prevista',
    signOut: 'Cerrar sesión',
    signedOut: 'Ha cerrado la sesión',
    optOut: '¿Dejar de recibir los recordatorios de citas?',
    optedOut: 'Ya no recibirá recordatorios',
    myData: 'Mis datos',
    signInFailed: 'No se pudo completar el inicio de sesión',
    closeRefused: 'Su cuenta no se ha cerrado',
    blocker: 'Su solicitud de visita en unidad de vida familiar (UVF) (expediente ',
  },
};

let establishment: EstablishmentRow;
let detainee: DetaineeRow;

beforeAll(async () => {
  // Real names: « pénitentiaire », « Logement » are French, shown marked as such.
  establishment = await insertEstablishment({ name: 'Centre pénitentiaire de Târgu-Ocna' });
  detainee = await insertDetainee(establishment.id, { lastName: 'Haddad', firstName: 'محمد' });
  const unit = await insertUnit(establishment.id, { kind: 'UVF', name: 'Logement des Tilleuls' });
  await query(`UPDATE family_units SET house_rules = $2 WHERE id = $1`, [
    unit.id,
    'Le logement est rendu propre.\nPas de visite après 22 h.',
  ]);
});

/** A family signed in, who chose `language` with the selector, holding permits for an adult and a child. */
async function familyIn(language: Language) {
  const family = await insertFamily({ givenName: 'Łucja', familyName: 'Nguyễn-Şahin' });
  const permit = (givenName: string, visitorBirthdate: string) =>
    insertPermit({
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      familyAccountId: family.id,
      visitorGivenName: givenName,
      visitorFamilyName: 'Nguyễn-Şahin',
      visitorBirthdate,
    });
  const adult = await permit('Łucja', '1988-04-02');
  const child = await permit('عائشة', '2016-09-12');
  const agent = await signInFamily(suite.app.url, family);
  await agent.get(`/langue/${language}?retour=%2Fuvf`).expect(303);
  return { family, agent, adult, child };
}

describe.each(['en', 'ar', 'es'] as const)('a family who reads %s', (language) => {
  const expected = EXPECTED[language];

  it('asks for a UVF visit, with its errors, follows it and withdraws a request after confirming, with no French left but what is marked', async () => {
    const { agent, adult, child } = await familyIn(language);
    expect((await getTranslated(agent, '/uvf', language)).has('no-request')).toBe(true);
    expect((await getTranslated(agent, '/uvf/nouvelle', language)).texts('detainee')).toHaveLength(1);
    const form = `/uvf/nouvelle/${detainee.id}`;
    expect((await getTranslated(agent, form, language)).heading()).toBe(expected.newHeading);

    // Nothing filled in: each field says what to do.
    const empty = expectTranslated(await postForm(agent, form, form, {}), language, 'empty form', 400);
    expect(empty.errors().length).toBeGreaterThanOrEqual(3);
    // The child without the adult who comes with her: refused by the rule, in the family's language.
    const wish = { kind: 'UVF', wishedFrom: dayFromToday(40), wishedTo: dayFromToday(41), hours: '24' };
    const alone = expectTranslated(
      await postForm(agent, form, form, { ...wish, visitors: [adult.id, child.id] }),
      language,
      'minor alone',
      422,
    );
    expect(alone.errors()).toEqual([expected.minorCompanion]);
    const sent = await postForm(agent, form, form, { ...wish, visitors: [adult.id, child.id], [`accompagnant-${child.id}`]: adult.id });
    expect(sent.status).toBe(303);

    const list = await getTranslated(agent, sent.headers.location, language);
    expect(list.has('sent')).toBe(true);
    expect(list.texts('request-status')).toEqual([expected.received, expected.received]);
    const { id } = await queryOne<{ id: string }>(`SELECT id FROM family_visit_requests WHERE permit_id = $1`, [child.id]);

    // The child's request: its status, the unit's rules marked as French, the consent form, the history marked as French.
    const request = await getTranslated(agent, `/uvf/demandes/${id}`, language);
    expect(request.text('request-status')).toBe(expected.received);
    expect(request.testId('unit-rules').find('[lang="fr"]').length).toBeGreaterThan(0);
    expect(request.testId('history-event').find('[lang="fr"]').length).toBeGreaterThan(0);
    expect(request.has('withdraw-link')).toBe(true);

    // The withdrawal: a confirmation, then done; a second time is refused, in the family's language.
    const confirm = await getTranslated(agent, `/uvf/demandes/${id}/retrait`, language);
    expect(confirm.heading()).toBe(expected.withdrawHeading);
    const path = `/uvf/demandes/${id}/retrait`;
    expect((await postForm(agent, path, path, {})).status).toBe(303);
    expect((await getTranslated(agent, `/uvf/demandes/${id}`, language)).text('request-status')).toBe(expected.withdrawn);
    expect((await getTranslated(agent, path, language)).has('cannot-withdraw')).toBe(true);
    // Posted from a page opened before the withdrawal (the same session's token).
    const twice = await agent
      .post(path)
      .type('form')
      .send({ _csrf: page(await agent.get(form)).csrf() });
    expect(expectTranslated(twice, language, 'withdrawn twice', 409).errors()).toEqual([expected.alreadyWithdrawn]);
  });

  it('reads the page of its booked family parlour visit', async () => {
    const { family, agent } = await familyIn(language);
    const unit = await insertUnit(establishment.id, { kind: 'PF', name: `Parloir familial Ŵ ${language}` });
    await query(`UPDATE family_units SET house_rules = 'Merci de laisser la pièce rangée.' WHERE id = $1`, [unit.id]);
    const c = await insertAuthorisedCase(establishment.id, { kind: 'PF', hours: 6, familyAccountId: family.id, lastName: 'Ŷlmaz' });
    const stay = await insertStay({ caseId: c.caseId, unitId: unit.id, from: new Date(`${dayFromToday(20)}T08:00:00Z`), hours: 3 });
    const shown = await getTranslated(agent, `/uvf/sejours/${stay.id}`, language);
    expect(shown.heading()).toBe(expected.stayHeading);
    expect(shown.text('stay-status')).toBe(expected.stayStatus);
    expect(shown.testId('house-rules').attr('lang')).toBe('fr');
    expect(shown.texts('guide-bring')).toHaveLength(1);
  });

  it('reads « Mes données », and cannot close its account while its UVF request is pending: it is told why and when', async () => {
    const { agent, adult } = await familyIn(language);
    const form = `/uvf/nouvelle/${detainee.id}`;
    const wish = { kind: 'UVF', wishedFrom: dayFromToday(50), wishedTo: dayFromToday(50), hours: '24', visitors: [adult.id] };
    expect((await postForm(agent, form, form, wish)).status).toBe(303);

    const mine = await getTranslated(agent, '/mes-donnees', language);
    expect(mine.heading()).toBe(expected.myData);
    expect(mine.has('close-not-yet')).toBe(true);
    // The files stay in French, and the page says so.
    expect(mine.has('file-in-french')).toBe(true);

    const confirm = await getTranslated(agent, '/mes-donnees/fermer-mon-compte', language);
    expect(confirm.text('blocker').startsWith(expected.blocker)).toBe(true);
    const refused = expectTranslated(
      await agent
        .post('/mes-donnees/fermer-mon-compte')
        .type('form')
        .send({ _csrf: page(await agent.get(form)).csrf() }),
      language,
      'closure refused',
      409,
    );
    expect(refused.text('close-refused')).toContain(expected.closeRefused);
    expect(refused.texts('blocker')).toHaveLength(1);
    expect(refused.text('blocker-when')).toContain(
      (
        await queryOne<{ reference: string }>(
          `SELECT c.reference FROM family_visit_cases c JOIN family_visit_requests r ON r.case_id = c.id WHERE r.permit_id = $1`,
          [adult.id],
        )
      ).reference,
    );
  });

  it('signs out, after a confirmation', async () => {
    const { agent } = await familyIn(language);
    const confirm = await getTranslated(agent, '/deconnexion', language);
    expect(confirm.heading()).toBe(expected.signOut);
    const out = await agent.post('/deconnexion').type('form').send(confirm.formFields('/deconnexion'));
    expect(out.status).toBe(303);
    expect((await getTranslated(agent, '/deconnexion/fin', language)).heading()).toBe(expected.signedOut);
  });

  it('reads why its sign-in with FranceConnect failed; an agent’s failed sign-in with ProConnect stays French', async () => {
    const refusedSignIn = async (start: string) => {
      const http = suite.app.http();
      await http.get(`/langue/${language}?retour=%2F`).expect(303);
      const begun = await http.get(start).expect(302);
      const state = new URL(begun.headers.location).searchParams.get('state')!;
      const { issuer } = (await http.get('/demo-idp/.well-known/openid-configuration').expect(200)).body as { issuer: string };
      const error = new URLSearchParams({ error: 'server_error', error_description: 'Service indisponible', state, iss: issuer });
      return http.get(`${start}/callback?${error.toString()}`);
    };
    const family = expectTranslated(await refusedSignIn('/connexion'), language, 'FranceConnect refused', 401);
    expect(family.heading()).toBe(expected.signInFailed);
    const agent = page(await refusedSignIn('/agents/connexion'));
    expect([agent.$('html').attr('lang'), agent.$('html').attr('dir'), agent.heading()]).toEqual([
      'fr',
      'ltr',
      'La connexion n’a pas abouti',
    ]);
  });

  it('stops the SMS reminders from the link of a message', async () => {
    const token = `tok${language}${Date.now()}`.slice(0, 24);
    await query(`INSERT INTO notification_recipients (channel, address, optout_token, language) VALUES ('SMS', $1, $2, $3)`, [
      `+3361234${String(Date.now()).slice(-4)}`,
      token,
      language,
    ]);
    const http = suite.app.http();
    await http.get(`/langue/${language}?retour=%2F`).expect(303);
    const form = await getTranslated(http, `/stop/${token}`, language);
    expect(form.heading()).toBe(expected.optOut);
    await http.post(`/stop/${token}`).type('form').send({ _csrf: form.csrf() }).expect(303);
    expect((await getTranslated(http, `/stop/${token}`, language)).heading()).toBe(expected.optedOut);
  });
});
