import {
  insertAgent,
  insertDetainee,
  insertEstablishment,
  insertFamily,
  type DetaineeRow,
  type EstablishmentRow,
} from './factories/people';
import { insertPermit, insertPermitRequest } from './factories/permits';
import { insertProposedMeasure, sendDocument } from './factories/register';
import { query } from './helpers/db';
import { onePagePdf, photoPng } from './helpers/files';
import { page } from './helpers/html';
import { expectAccepted, expectTranslated, getTranslated } from './helpers/translated';
import { newRequest, permitsApp, postStep, refusedUpload, uploadStep } from './helpers/permits';
import { signInFamily } from './helpers/sign-in';

/**
 * The family side of the permits in English, Arabic and Spanish (issue #16): the request's steps, its
 * page, « Mes demandes », « Mes permis », with their form errors. A translated page has its language
 * and no French word, except what is marked lang="fr": an establishment's name, the establishment's
 * own words, the recourse mention quoted verbatim.
 */
const suite = permitsApp();

type Language = 'en' | 'ar' | 'es';

/** What each language says where the test looks: one key text per page kind. */
const EXPECTED: Record<
  Language,
  {
    step1: string;
    establishmentRequired: string;
    notImage: string;
    missing: string;
    /** What to do, after what is missing, when the request is sent incomplete. */
    complete: string;
    status: string;
    translation: string;
    limits: string;
    comment: string;
  }
> = {
  en: {
    step1: 'Who do you want to visit?',
    establishmentRequired: 'Choose the prison',
    notImage: 'The file is not a JPEG or PNG image. Choose a photo in JPEG or PNG format.',
    missing: 'Still missing: the consent of the people with parental authority.',
    complete: 'Complete the request, then send it.',
    status: 'Sent',
    translation: 'Translation:',
    limits: 'Limited: until 31/12/2030, 3 visits (0 used)',
    comment: 'Ştefania will come with her mother.',
  },
  ar: {
    step1: 'من تريد أن تزور؟',
    establishmentRequired: 'اختر السجن',
    notImage: 'الملف ليس صورة JPEG أو PNG. اختر صورة بصيغة JPEG أو PNG.',
    missing: 'ما زال ينقص: موافقة أصحاب السلطة الأبوية.',
    complete: 'أكمل الطلب، ثم أرسله.',
    status: 'مُرسَل',
    translation: 'الترجمة:',
    limits: 'محدود: حتى 31\u200f/12\u200f/2030، عدد الزيارات: 3 (المستعمَلة: 0)',
    comment: 'ستأتي Ştefania مع أمها.',
  },
  es: {
    step1: '¿A quién quiere visitar?',
    establishmentRequired: 'Elija el centro penitenciario',
    notImage: 'El archivo no es una imagen JPEG o PNG. Elija una foto en formato JPEG o PNG.',
    missing: 'Todavía falta: la autorización de los titulares de la patria potestad.',
    complete: 'Complete la solicitud y después envíela.',
    status: 'Presentada',
    translation: 'Traducción:',
    limits: 'Limitado: hasta el 31/12/2030, 3 visitas (0 utilizada)',
    comment: 'Ştefania vendrá con su madre.',
  },
};

let establishment: EstablishmentRow;
let condamne: DetaineeRow;
let prevenu: DetaineeRow;

beforeAll(async () => {
  // A real name: « pénitentiaire » is French, shown marked as such.
  establishment = await insertEstablishment({ name: 'Centre pénitentiaire de Târgu-Ocna' });
  await query(`UPDATE establishments SET interregional_direction = 'Direction interrégionale de Lyon' WHERE id = $1`, [establishment.id]);
  condamne = await insertDetainee(establishment.id, { lastName: 'Lefèvre-Nguyễn', firstName: 'Şükrü', legalStatus: 'CONDAMNE' });
  prevenu = await insertDetainee(establishment.id, { lastName: 'Haddad', firstName: 'محمد', legalStatus: 'PREVENU' });
});

/** A family signed in, who chose `language` with the selector. */
async function familyIn(language: Language) {
  const family = await insertFamily({ givenName: 'Łucja', familyName: 'Nguyễn-Şahin' });
  const agent = await signInFamily(suite.app.url, family);
  await agent.get(`/langue/${language}?retour=%2Fdemandes`).expect(303);
  return { family, agent };
}

describe.each(['en', 'ar', 'es'] as const)('a family who reads %s', (language) => {
  const expected = EXPECTED[language];

  it('requests a permit step by step, with its errors, and follows it, with no French left but what is marked', async () => {
    const { agent } = await familyIn(language);
    expect((await getTranslated(agent, '/demandes', language)).has('no-request')).toBe(true);
    const id = await newRequest(agent);
    const base = `/demandes/${id}`;

    // 1. The detainee: an empty form, then the detainee found.
    expect((await getTranslated(agent, `${base}/etape/1`, language)).heading()).toBe(expected.step1);
    const empty = await postStep(agent, id, 1, { establishment: '', ecrou: '', lastName: '' });
    const emptyPage = expectTranslated(empty, language, 'step 1, empty', 400);
    expect(emptyPage.errors()).toHaveLength(3);
    expect(emptyPage.errors()[0]).toBe(expected.establishmentRequired);
    expect(emptyPage.fieldError('establishment')).toBe(expected.establishmentRequired);
    expectAccepted(
      await postStep(agent, id, 1, { establishment: establishment.code, ecrou: condamne.ecrouNumber, lastName: condamne.lastName }),
    );

    // 2. The documents to prepare: not ticked, then understood.
    expectTranslated(await postStep(agent, id, 2, {}), language, 'step 2, not ticked', 400);
    expectAccepted(await postStep(agent, id, 2, { understood: 'oui' }));

    // 3. to 8.: a minor visitor, a refused file, then the documents and a comment.
    await getTranslated(agent, `${base}/etape/3`, language);
    const visitor = { forWhom: 'autre', givenName: 'Ştefania', familyName: 'Nguyễn' };
    expectTranslated(await postStep(agent, id, 3, { ...visitor, birthdate: '31/02/2016' }), language, 'step 3, bad date', 400);
    expectAccepted(await postStep(agent, id, 3, { ...visitor, birthdate: '14/03/2016' }));
    await getTranslated(agent, `${base}/etape/4`, language);
    expectAccepted(await postStep(agent, id, 4, { relationship: 'DESCENDANT' }));
    await getTranslated(agent, `${base}/etape/5`, language);
    const executable = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(4000, 1)]);
    const refusedFile = await refusedUpload(agent, id, 5, await uploadStep(agent, id, 5, executable, 'photo.jpg'));
    const refused = expectTranslated(refusedFile, language, 'step 5, refused', 400);
    expect(refused.errors()).toEqual([expected.notImage]);
    expectAccepted(await uploadStep(agent, id, 5, await photoPng(), 'ştefania.png'));
    expect((await getTranslated(agent, `${base}/etape/5`, language)).has('saved-file')).toBe(true);
    expect((await getTranslated(agent, `${base}/etape/6`, language)).has('minor-id-hint')).toBe(true);
    expectAccepted(await uploadStep(agent, id, 6, await onePagePdf('Passeport'), 'passeport.pdf', { idType: 'PASSEPORT' }));
    await getTranslated(agent, `${base}/etape/7`, language);
    expectAccepted(await uploadStep(agent, id, 7, await onePagePdf('Facture'), 'facture.pdf'));
    await getTranslated(agent, `${base}/etape/8`, language);
    expectAccepted(await postStep(agent, id, 8, { comment: expected.comment }));

    // 9. Check and send: the parental consent is missing, then sent.
    const summary = await getTranslated(agent, `${base}/etape/9`, language);
    expect(summary.has('parental-consent')).toBe(true);
    expect(summary.text('missing')).toBe(expected.missing);
    const incomplete = expectTranslated(await postStep(agent, id, 9, {}), language, 'step 9, incomplete', 400);
    expect(incomplete.errors()).toEqual([`${expected.missing} ${expected.complete}`]);
    expectAccepted(
      await sendDocument(agent, id, 'PARENTAL_CONSENT', await onePagePdf('Autorisation'), 'autorisation.pdf', `${base}/etape/9`),
    );
    const sent = await postStep(agent, id, 9, {});
    expectAccepted(sent);

    // The request's page: its status, what comes next, the recourse routes quoted in French then translated, its letter.
    const detail = await getTranslated(agent, sent.headers.location, language);
    expect(detail.text('status')).toBe(expected.status);
    expect(detail.has('next-steps')).toBe(true);
    const french = detail.testId('recourse-french');
    expect(french.attr('lang')).toBe('fr');
    expect(french.text()).toContain(
      "En application des dispositions de l'article R. 421-1 du code de justice administrative, vous disposez d'un délai de 2 mois",
    );
    const translation = detail.text('recourse-translation');
    expect(translation.startsWith(expected.translation)).toBe(true);
    expect(translation).toContain('R. 421-1');
    expect(translation).toContain('(Direction interrégionale de Lyon)');
    expect(detail.texts('letter')).toHaveLength(1);

    // « Mes demandes », and the withdrawal's confirmation.
    expect((await getTranslated(agent, '/demandes', language)).texts('request-title')).toHaveLength(1);
    await getTranslated(agent, `${base}/retirer`, language);
  });

  it('sees its permits, links a paper one with a wrong code, answers an intended measure, and reads the magistrate’s way', async () => {
    const { family, agent } = await familyIn(language);
    const permit = await insertPermit({
      establishmentId: establishment.id,
      detaineeId: condamne.id,
      familyAccountId: family.id,
      visitorGivenName: 'Łucja',
      visitorFamilyName: 'Nguyễn-Şahin',
      validTo: '2030-12-31',
    });
    await query(
      `UPDATE permits SET max_visits = 3, room_condition = 'SEPARATION', allowed_days = '{3,6}', allowed_from = '09:00', allowed_to = '12:00',
              conditions_note = 'Aucun objet remis' WHERE id = $1`,
      [permit.id],
    );
    const head = await insertAgent([{ establishmentId: establishment.id, role: 'HEAD_OF_ESTABLISHMENT' }]);
    await insertProposedMeasure({
      permitId: permit.id,
      establishmentId: establishment.id,
      agentId: head.id,
      observationsDue: '2099-12-31',
    });

    // « Mes permis »: the card in the family's language, the establishment's own note marked French.
    const mine = await getTranslated(agent, '/permis', language);
    expect(mine.text('permit-limits')).toBe(expected.limits);
    expect(mine.testId('permit-condition').last().attr('lang')).toBe('fr');
    expect(mine.has('permit-measure')).toBe(true);

    // Linking a paper permit: a wrong code is refused in the family's language.
    const claimPage = await getTranslated(agent, '/permis/lier', language);
    const wrong = await agent.post('/permis/lier').type('form').send({ _csrf: claimPage.csrf(), code: 'ABCD-EFGH-JKLM' });
    expect(expectTranslated(wrong, language, 'claim, wrong code', 400).errors()).toHaveLength(1);

    // The intended measure: its page, and an empty answer refused.
    const observationsPath = `/permis/${permit.id}/observations`;
    const observations = await getTranslated(agent, observationsPath, language);
    expect(observations.testId('measure-grounds').attr('lang')).toBe('fr');
    const emptyAnswer = await agent.post(observationsPath).type('form').send({ _csrf: observations.csrf(), observations: ' ' });
    expect(expectTranslated(emptyAnswer, language, 'observations, empty', 400).fieldError('observations')).not.toBeNull();

    // A prévenu's permit is the magistrate's: the page says how to get it.
    const id = await newRequest(agent);
    const prevenuPage = await postStep(agent, id, 1, {
      establishment: establishment.code,
      ecrou: prevenu.ecrouNumber,
      lastName: prevenu.lastName,
    });
    expect(expectTranslated(prevenuPage, language, 'prévenu').texts('prevenu-step')).toHaveLength(4);
  });
});

describe('the permits’ pages in French', () => {
  it('read as before, with the recourse routes once and no translation', async () => {
    const family = await insertFamily({ givenName: 'Łucja', familyName: 'Nguyễn-Şahin' });
    const agent = await signInFamily(suite.app.url, family);
    await agent.get('/langue/fr?retour=%2Fdemandes').expect(303);
    const id = await newRequest(agent);
    expect(page(await agent.get(`/demandes/${id}/etape/1`).expect(200)).heading()).toBe('Qui voulez-vous visiter ?');
    const empty = await postStep(agent, id, 1, { establishment: '', ecrou: '', lastName: '' });
    expect(empty.status).toBe(400);
    expect(page(empty).errors()[0]).toBe('Choisissez l’établissement');
    const sent = await insertPermitRequest({ familyAccountId: family.id, establishmentId: establishment.id, detaineeId: condamne.id });
    const detail = page(await agent.get(`/demandes/${sent.id}`).expect(200));
    expect(detail.text('status')).toBe('Déposée');
    expect(detail.has('recourse-translation')).toBe(false);
    expect(detail.text('acknowledgement')).toContain('Vous pouvez contester cette décision de trois façons');
    expect(detail.text('department')).toMatch(/^Service chargé de votre demande : Centre pénitentiaire de Târgu-Ocna/);
  });
});
