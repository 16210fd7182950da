import { genesisCsv, genesisLine, insertBookedVisit } from './factories/detainees';
import { expireObservations, insertPermitWith, lettersOf, parisDayPlus } from './factories/measures';
import {
  insertAgent,
  insertDetainee,
  insertEstablishment,
  insertFamily,
  type DetaineeRow,
  type EstablishmentRow,
  type FamilyRow,
} from './factories/people';
import { importGenesis } from './helpers/genesis-import';
import { query, queryOne } from './helpers/db';
import { page } from './helpers/html';
import { binary, newRequest, pdfText, permitsApp, postStep } from './helpers/permits';
import { waitFor } from './helpers/processes';
import { type Agent, signInAgent, signInFamily } from './helpers/sign-in';

const RECOURSE =
  "En application des dispositions de l'article R. 421-1 du code de justice administrative, vous disposez d'un délai de 2 mois " +
  "à compter de la réception de la présente décision pour saisir le tribunal administratif territorialement compétent d'un éventuel recours.";

const suite = permitsApp();

let establishment: EstablishmentRow;
let condamne: DetaineeRow;
let prevenu: DetaineeRow;
let mixte: DetaineeRow;
let family: FamilyRow;
let stranger: FamilyRow;
const as = {} as Record<'family' | 'stranger' | 'chef' | 'greffe', Agent>;
let permits: string;

beforeAll(async () => {
  establishment = await insertEstablishment({ name: 'Centre pénitentiaire de Łódź' });
  permits = `/etablissements/${establishment.code}/permis`;
  condamne = await insertDetainee(establishment.id, { firstName: 'يوسف', lastName: 'Benali', legalStatus: 'CONDAMNE' });
  prevenu = await insertDetainee(establishment.id, { firstName: 'محمد', lastName: 'Haddad', legalStatus: 'PREVENU' });
  mixte = await insertDetainee(establishment.id, { firstName: 'Şükrü', lastName: 'Țurcanu', legalStatus: 'MIXTE' });
  family = await insertFamily({ givenName: 'Łucja', familyName: 'Nguyễn-Şahin' });
  stranger = await insertFamily({ givenName: 'Gül', familyName: 'Yılmaz' });
  const chefRow = await insertAgent([{ establishmentId: establishment.id, role: 'HEAD_OF_ESTABLISHMENT' }], {
    givenName: 'Zofia',
    usualName: 'Łukasiewicz',
  });
  const greffeRow = await insertAgent([{ establishmentId: establishment.id, role: 'PERMITS_OFFICER' }], {
    givenName: 'Ștefan',
    usualName: 'Popescu',
  });
  as.family = await signInFamily(suite.app.url, family);
  as.stranger = await signInFamily(suite.app.url, stranger);
  as.chef = await signInAgent(suite.app.url, chefRow);
  as.greffe = await signInAgent(suite.app.url, greffeRow);
});

/** Opens `formPage` as `who` and posts `fields` to `action` with the page's CSRF token: `.expect(status)` sends it. */
function submit(who: Agent, formPage: string, action: string, fields: Record<string, string>) {
  return {
    expect: async (status: number) => {
      const form = page(await who.get(formPage).expect(200));
      return who
        .post(action)
        .type('form')
        .send({ _csrf: form.csrf(), ...fields })
        .expect(status);
    },
  };
}

async function pdfOf(who: Agent, url: string): Promise<string> {
  const res = await who.get(url).buffer(true).parse(binary).expect(200).expect('Content-Type', 'application/pdf');
  return pdfText(res.body as Buffer);
}

/** The family's mail whose subject is exactly `subject`, once delivered. */
function mailTo(recipient: string, subject: string) {
  return waitFor(
    `mail "${subject}"`,
    async () => (await query(`SELECT subject FROM demo_inbox WHERE recipient = $1 AND subject = $2`, [recipient, subject]))[0],
    15000,
  );
}

async function permitStatus(id: string) {
  return queryOne<{ status: string; status_reason: string | null }>(`SELECT status, status_reason FROM permits WHERE id = $1`, [id]);
}

async function measureOf(permitId: string) {
  return queryOne<{
    id: string;
    kind: string;
    status: string;
    urgent: boolean;
    observations_due: string | null;
    observations: string | null;
  }>(
    `SELECT id, kind, status, urgent, to_char(observations_due, 'YYYY-MM-DD') AS observations_due, observations
       FROM permit_measures WHERE permit_id = $1 ORDER BY proposed_at DESC LIMIT 1`,
    [permitId],
  );
}

describe('suspension and withdrawal of a condamné’s permit (CRPA L121-1, L122-1)', () => {
  it('proposes a withdrawal, the family reads the letter and answers, then the head withdraws with a letter carrying the recourse routes and his name', async () => {
    const permit = await insertPermitWith({
      establishmentId: establishment.id,
      detaineeId: condamne.id,
      familyAccountId: family.id,
      visitorGivenName: 'Zoë',
      visitorFamilyName: 'Łukasiewicz',
    });
    const url = `${permits}/${permit.id}`;
    // Only a signatory is offered the measure.
    expect(page(await as.greffe.get(url).expect(200)).has('propose-link')).toBe(false);
    const chefPage = page(await as.chef.get(url).expect(200));
    expect(chefPage.text('permit-competence')).toContain('Le chef d’établissement peut le suspendre ou le retirer');
    expect(chefPage.testId('propose-link').attr('href')).toBe(`${url}/mesures/envisager`);

    const bare = await submit(as.chef, `${url}/mesures/envisager`, `${url}/mesures/envisager`, { kind: 'WITHDRAWAL', grounds: '' }).expect(
      400,
    );
    expect(page(bare).fieldError('grounds')).toBe('Une suspension ou un retrait doit être motivé (10 caractères au moins).');
    const grounds = 'Introduction d’un téléphone lors de la visite du 12 novembre.';
    await submit(as.chef, `${url}/mesures/envisager`, `${url}/mesures/envisager`, { kind: 'WITHDRAWAL', grounds }).expect(303);

    expect(await permitStatus(permit.id)).toEqual({ status: 'ACTIVE', status_reason: null });
    const measure = await measureOf(permit.id);
    expect(measure).toMatchObject({ kind: 'WITHDRAWAL', status: 'PROPOSED', urgent: false, observations_due: await parisDayPlus(8) });
    await mailTo(family.email, 'Retrait envisagé de votre permis de visite (Zoë Łukasiewicz)');

    // The family reads the intended measure and its letter, and answers.
    await as.stranger.get(`/permis/${permit.id}/observations`).expect(404);
    // « Mes permis » says a measure is intended and leads to the answer.
    const mine = page(await as.family.get('/permis').expect(200));
    expect(mine.text('permit-measure')).toContain('Vous pouvez présenter vos observations jusqu’au');
    expect(mine.testId('permit-measure').find('a').attr('href')).toBe(`/permis/${permit.id}/observations`);
    const answerPage = page(await as.family.get(`/permis/${permit.id}/observations`).expect(200));
    expect(answerPage.heading()).toBe('Retrait envisagé de votre permis de visite');
    expect(answerPage.text('measure-grounds')).toBe(grounds);
    const intended = await pdfOf(as.family, answerPage.testId('measure-letter').attr('href')!);
    expect(intended).toContain('le chef d’établissement envisage le retrait de votre permis de visite');
    expect(intended).toContain('vous pouvez présenter vos observations écrites jusqu’au');
    expect(intended).toContain('Zoë ŁUKASIEWICZ');
    expect(intended).toContain('Zofia ŁUKASIEWICZ, chef d’établissement');
    expect(intended).not.toContain('R. 421-1');
    const empty = await submit(as.family, `/permis/${permit.id}/observations`, `/permis/${permit.id}/observations`, {
      observations: ' ',
    }).expect(400);
    expect(page(empty).fieldError('observations')).toBe('Écrivez vos observations.');
    const observations = 'Je n’étais pas présente ce jour-là : Zoë était à Łódź, attestation à l’appui.';
    await submit(as.family, `/permis/${permit.id}/observations`, `/permis/${permit.id}/observations`, { observations }).expect(303);
    expect(page(await as.family.get(`/permis/${permit.id}/observations`).expect(200)).has('observations-received')).toBe(true);
    expect(page(await as.chef.get(url).expect(200)).text('measure-observations')).toContain(observations);

    // Observations received: the head may decide before the due day.
    const decide = `${url}/mesures/${measure.id}`;
    const unconfirmed = await submit(as.chef, decide, `${decide}/prendre`, {}).expect(400);
    expect(page(unconfirmed).fieldError('confirm')).toBe('Cochez la case pour confirmer la décision.');
    await submit(as.chef, decide, `${decide}/prendre`, { confirm: 'oui' }).expect(303);
    expect(await permitStatus(permit.id)).toEqual({ status: 'WITHDRAWN', status_reason: grounds });
    expect((await measureOf(permit.id)).status).toBe('ENACTED');
    await mailTo(family.email, 'Permis de visite retiré (Zoë Łukasiewicz)');

    const letters = await lettersOf(permit.id);
    expect(letters.map((l) => [l.kind, l.family_account_id, l.author])).toEqual([
      ['INTENDED_MEASURE', family.id, 'Zofia ŁUKASIEWICZ, chef d’établissement'],
      ['WITHDRAWAL', family.id, 'Zofia ŁUKASIEWICZ, chef d’établissement'],
    ]);
    const withdrawal = await pdfOf(as.family, `/courriers/${letters[1].id}`);
    expect(withdrawal).toContain('le permis de visite de Zoë ŁUKASIEWICZ auprès de يوسف Benali');
    expect(withdrawal).toContain('est retiré');
    expect(withdrawal).toContain(`Motifs : ${grounds}`);
    expect(withdrawal).toContain('Cette décision est prise après examen des observations que vous avez présentées.');
    expect(withdrawal).toContain('Voies de recours');
    expect(withdrawal).toContain(RECOURSE);
    expect(withdrawal).toContain('Zofia ŁUKASIEWICZ, chef d’établissement');
    await as.stranger.get(`/courriers/${letters[1].id}`).expect(404);

    expect(await query(`SELECT action, actor_label FROM audit_log WHERE entity_id = $1 ORDER BY id`, [permit.id])).toEqual([
      { action: 'PERMIT_MEASURE_PROPOSED', actor_label: 'Zofia Łukasiewicz' },
      { action: 'PERMIT_MEASURE_OBSERVATIONS', actor_label: 'Łucja Nguyễn-Şahin' },
      { action: 'PERMIT_WITHDRAWN', actor_label: 'Zofia Łukasiewicz' },
    ]);
  });

  it('refuses to enact before the due day without observations, then suspends once the delay has run out; lifting the suspension stays direct', async () => {
    const permit = await insertPermitWith({
      establishmentId: establishment.id,
      detaineeId: condamne.id,
      familyAccountId: family.id,
      visitorGivenName: 'Ngọc',
      visitorFamilyName: 'Đặng',
      origin: 'ONLINE',
    });
    const url = `${permits}/${permit.id}`;
    const grounds = 'Comportement menaçant envers un surveillant au parloir.';
    // A permits officer without a signature delegation cannot take the measure.
    const officer = await submit(as.greffe, `${url}/mesures/envisager`, `${url}/mesures/envisager`, { kind: 'SUSPENSION', grounds }).expect(
      403,
    );
    expect(page(officer).errors()[0]).toContain('Seul le chef d’établissement, ou un agent ayant une délégation de signature en cours');
    const until = await parisDayPlus(60);
    const [y, m, d] = until.split('-');
    await submit(as.chef, `${url}/mesures/envisager`, `${url}/mesures/envisager`, {
      kind: 'SUSPENSION',
      grounds,
      suspendedUntil: `${d}/${m}/${y}`,
    }).expect(303);
    const measure = await measureOf(permit.id);
    const decide = `${url}/mesures/${measure.id}`;
    expect(page(await as.chef.get(decide).expect(200)).has('not-yet')).toBe(true);
    const early = await submit(as.chef, decide, `${decide}/prendre`, { confirm: 'oui' }).expect(409);
    expect(page(early).fieldError('confirm')).toMatch(
      /^Le titulaire peut présenter ses observations jusqu’au .+ inclus : la mesure ne peut être prise qu’après cette date/,
    );
    expect(await permitStatus(permit.id)).toEqual({ status: 'ACTIVE', status_reason: null });

    await expireObservations(permit.id);
    const late = page(await as.family.get(`/permis/${permit.id}/observations`).expect(200));
    expect(late.has('observations-closed')).toBe(true);
    const refused = await as.family
      .post(`/permis/${permit.id}/observations`)
      .type('form')
      .send({ _csrf: page(await as.family.get('/demandes').expect(200)).csrf(), observations: 'Trop tard ?' })
      .expect(409);
    expect(page(refused).errors()).toEqual([
      'Le délai pour présenter des observations est dépassé. Attendez la décision de l’établissement.',
    ]);
    await submit(as.chef, decide, `${decide}/prendre`, { confirm: 'oui' }).expect(303);
    expect(await permitStatus(permit.id)).toEqual({ status: 'SUSPENDED', status_reason: grounds });
    const letter = (await lettersOf(permit.id)).find((l) => l.kind === 'SUSPENSION')!;
    const text = await pdfOf(as.chef, `${permits}/courriers/${letter.id}`);
    expect(text).toContain('est suspendu jusqu’au');
    expect(text).toContain('aucune ne nous est parvenue dans le délai');
    expect(text).toContain(RECOURSE);

    // Lifting the suspension: a decision, so not for a permits officer without delegation.
    const officerPage = await as.greffe.get(url).expect(200);
    expect(officerPage.text).not.toContain('Lever la suspension');
    const notSigned = await as.greffe
      .post(`${url}/statut`)
      .type('form')
      .send({ _csrf: page(await as.greffe.get(`${url}/conditions`).expect(200)).csrf(), status: 'ACTIVE' })
      .expect(403);
    expect(page(notSigned).errors()[0]).toContain('Seul le chef d’établissement, ou un agent ayant une délégation de signature en cours');
    // The head lifts it: direct, audited; a direct suspension is no longer possible.
    const permitPage = page(await as.chef.get(url).expect(200));
    expect(permitPage.$('button').text()).toContain('Lever la suspension');
    await as.chef.post(`${url}/statut`).type('form').send({ _csrf: permitPage.csrf(), status: 'ACTIVE' }).expect(303);
    expect((await permitStatus(permit.id)).status).toBe('ACTIVE');
    const direct = await as.chef
      .post(`${url}/statut`)
      .type('form')
      .send({ _csrf: permitPage.csrf(), status: 'SUSPENDED', reason: 'Incident au parloir du 20 novembre.' })
      .expect(409);
    expect(page(direct).errors()[0]).toContain(
      'Une suspension ou un retrait se décide après avoir invité le titulaire à présenter ses observations',
    );
    expect(
      (await query<{ action: string }>(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`, [permit.id])).map((r) => r.action),
    ).toEqual(['PERMIT_MEASURE_PROPOSED', 'PERMIT_SUSPENDED', 'PERMIT_ACTIVE']);
  });

  it('in urgency, suspends at once and the letter says the contradictory procedure was not applied', async () => {
    const permit = await insertPermitWith({
      establishmentId: establishment.id,
      detaineeId: condamne.id,
      familyAccountId: family.id,
      visitorGivenName: 'Ayşe',
      visitorFamilyName: 'Öztürk',
    });
    const url = `${permits}/${permit.id}`;
    const fields = { kind: 'SUSPENSION', grounds: 'Tentative de remise de stupéfiants au parloir.', urgent: 'oui' };
    const unjustified = await submit(as.chef, `${url}/mesures/envisager`, `${url}/mesures/envisager`, { ...fields, confirm: 'oui' }).expect(
      400,
    );
    expect(page(unjustified).fieldError('urgencyJustification')).toBe('Justifiez l’urgence (10 caractères au moins).');
    const justification = 'Visite prévue demain matin, risque immédiat pour la sécurité.';
    await submit(as.chef, `${url}/mesures/envisager`, `${url}/mesures/envisager`, {
      ...fields,
      urgencyJustification: justification,
      confirm: 'oui',
    }).expect(303);
    expect(await permitStatus(permit.id)).toEqual({ status: 'SUSPENDED', status_reason: `${fields.grounds} (mesure prise en urgence)` });
    expect(await measureOf(permit.id)).toMatchObject({ status: 'ENACTED', urgent: true, observations_due: null });
    const letters = await lettersOf(permit.id);
    expect(letters.map((l) => l.kind)).toEqual(['SUSPENSION']);
    const text = await pdfOf(as.family, `/courriers/${letters[0].id}`);
    expect(text).toContain('En raison de l’urgence, la procédure contradictoire préalable');
    expect(text).toContain('n’a pas été mise en œuvre');
    expect(text).toContain(justification);
    expect(text).toContain(RECOURSE);
    await mailTo(family.email, 'Permis de visite suspendu (Ayşe Öztürk)');
  });

  it('the suspension e-mail carries the shared recourse text, names the signatory and links the letter', async () => {
    const permit = await insertPermitWith({
      establishmentId: establishment.id,
      detaineeId: condamne.id,
      familyAccountId: family.id,
      visitorGivenName: 'Ễnh',
      visitorFamilyName: 'Łaski',
    });
    const url = `${permits}/${permit.id}`;
    await submit(as.chef, `${url}/mesures/envisager`, `${url}/mesures/envisager`, {
      kind: 'SUSPENSION',
      grounds: 'Tentative de remise de stupéfiants au parloir.',
      urgent: 'oui',
      urgencyJustification: 'Visite prévue demain matin, risque immédiat pour la sécurité.',
      confirm: 'oui',
    }).expect(303);
    const [letter] = await lettersOf(permit.id);
    const [mail] = await query<{ body: string; html: string }>(
      `SELECT body_text AS body, body_html AS html FROM notifications WHERE template = 'permit-status-changed' AND entity_id = $1`,
      [permit.id],
    );
    for (const body of [mail.body, mail.html.replace(/&#39;/g, "'")]) {
      expect(body).toContain(RECOURSE);
      expect(body).toContain('par un recours hiérarchique auprès du directeur interrégional des services pénitentiaires');
      expect(body).toContain(`/courriers/${letter.id}`);
      expect(body).toContain('Zofia ŁUKASIEWICZ, chef d’établissement');
    }
    expect(mail.body).not.toContain('ou un recours devant le tribunal administratif dans un délai de 2 mois');
    expect(mail.body).toContain('Mesure prise par : Zofia ŁUKASIEWICZ');
  });

  it('a withdrawal intended on a suspended permit: the letter says the permit stays suspended, not valid', async () => {
    const permit = await insertPermitWith({
      establishmentId: establishment.id,
      detaineeId: condamne.id,
      familyAccountId: family.id,
      visitorGivenName: 'Şeyma',
      visitorFamilyName: 'Ōtani',
    });
    await query(`UPDATE permits SET status = 'SUSPENDED', status_reason = 'Incident.' WHERE id = $1`, [permit.id]);
    const url = `${permits}/${permit.id}`;
    await submit(as.chef, `${url}/mesures/envisager`, `${url}/mesures/envisager`, {
      kind: 'WITHDRAWAL',
      grounds: 'Faits graves constatés lors de la visite.',
    }).expect(303);
    const [letter] = await lettersOf(permit.id);
    const text = await pdfOf(as.chef, `${permits}/courriers/${letter.id}`);
    expect(text).toContain('Votre permis reste suspendu jusqu’à la décision.');
    expect(text).not.toContain('reste valable');
  });

  it('counts the observations delay in the establishment’s own time zone', async () => {
    // Of two zones far east and far west of Paris, one is on another day than Paris at any hour: take that one.
    const days = await queryOne<{ east: string; west: string; paris: string }>(
      `SELECT (now() AT TIME ZONE 'Pacific/Kiritimati')::date::text AS east, (now() AT TIME ZONE 'Pacific/Pago_Pago')::date::text AS west,
              (now() AT TIME ZONE 'Europe/Paris')::date::text AS paris`,
    );
    const zone = days.east !== days.paris ? 'Pacific/Kiritimati' : 'Pacific/Pago_Pago';
    const permit = await insertPermitWith({
      establishmentId: establishment.id,
      detaineeId: condamne.id,
      familyAccountId: family.id,
      visitorGivenName: 'Ngaio',
      visitorFamilyName: 'Tūhoe',
    });
    const url = `${permits}/${permit.id}`;
    await query(`UPDATE establishments SET time_zone = $2 WHERE id = $1`, [establishment.id, zone]);
    try {
      await submit(as.chef, `${url}/mesures/envisager`, `${url}/mesures/envisager`, {
        kind: 'WITHDRAWAL',
        grounds: 'Faits graves constatés lors de la visite.',
      }).expect(303);
    } finally {
      await query(`UPDATE establishments SET time_zone = 'Europe/Paris' WHERE id = $1`, [establishment.id]);
    }
    const expected = await queryOne<{ day: string }>(`SELECT to_char((now() AT TIME ZONE $1)::date + 8, 'YYYY-MM-DD') AS day`, [zone]);
    expect(expected.day).not.toBe(await parisDayPlus(8));
    expect((await measureOf(permit.id)).observations_due).toBe(expected.day);
  });

  it('a permit without a family account gets a printable intended-measure letter, listed on the permit page', async () => {
    const permit = await insertPermitWith({
      establishmentId: establishment.id,
      detaineeId: condamne.id,
      familyAccountId: null,
      visitorGivenName: 'فاطمة',
      visitorFamilyName: 'Zahra',
    });
    const url = `${permits}/${permit.id}`;
    await submit(as.chef, `${url}/mesures/envisager`, `${url}/mesures/envisager`, {
      kind: 'WITHDRAWAL',
      grounds: 'Faits graves constatés lors de la visite.',
    }).expect(303);
    const [letter] = await lettersOf(permit.id);
    expect(letter).toMatchObject({ kind: 'INTENDED_MEASURE', family_account_id: null, addressee: 'فاطمة ZAHRA' });
    // The letter is posted: its delivery (7 days) is added to the 8 days.
    expect((await measureOf(permit.id)).observations_due).toBe(await parisDayPlus(15));
    const permitPage = page(await as.greffe.get(url).expect(200));
    expect(permitPage.text('measure-letters')).toContain('(à imprimer et à envoyer)');
    const text = await pdfOf(as.greffe, permitPage.link('Retrait envisagé de votre permis de visite'));
    expect(text).toContain('À l’attention de فاطمة ZAHRA');
    expect(text).toContain('ou par courrier adressé à l’établissement');
    expect(text).toContain('(ce délai tient compte de l’acheminement de ce courrier par la poste)');
  });
});

describe('a magistrate’s permit (L341-5, R341-3 1°)', () => {
  it('refuses a suspension by the head; the head holds the visits and refers to the magistrate, whose answer restores the permit', async () => {
    const magistrate = 'Juge d’instruction Łukasz Nowak, tribunal judiciaire de Lille';
    const permit = await insertPermitWith({
      establishmentId: establishment.id,
      detaineeId: prevenu.id,
      familyAccountId: family.id,
      visitorGivenName: 'Thị Lan',
      visitorFamilyName: 'Nguyễn',
      origin: 'MAGISTRATE',
      issuingAuthority: magistrate,
    });
    const url = `${permits}/${permit.id}`;
    const visit = await insertBookedVisit(establishment.id, prevenu.id);
    await query(`INSERT INTO visit_visitors (visit_id, permit_id, during) SELECT id, $2, during FROM visits WHERE id = $1`, [
      visit.id,
      permit.id,
    ]);
    const chefPage = page(await as.chef.get(url).expect(200));
    expect(chefPage.text('permit-competence')).toContain('Ce permis relève du magistrat chargé du dossier');
    expect(chefPage.has('propose-link')).toBe(false);
    expect(chefPage.testId('refer-link').attr('href')).toBe(`${url}/mesures/surseoir`);
    const refused = await as.chef
      .post(`${url}/mesures/envisager`)
      .type('form')
      .send({
        _csrf: page(await as.chef.get(`${url}/mesures/surseoir`).expect(200)).csrf(),
        kind: 'SUSPENSION',
        grounds: 'Incident au parloir du 20 novembre.',
      })
      .expect(409);
    expect(page(refused).fieldError('kind')).toContain('le chef d’établissement ne peut ni le suspendre ni le retirer');

    const referForm = page(await as.chef.get(`${url}/mesures/surseoir`).expect(200));
    expect(referForm.value('magistrate')).toBe(magistrate);
    const grounds = 'Menaces de mort proférées contre un codétenu par le visiteur.';
    const unconfirmed = await submit(as.chef, `${url}/mesures/surseoir`, `${url}/mesures/surseoir`, { grounds, magistrate: '' }).expect(
      400,
    );
    expect(page(unconfirmed).fieldError('confirm')).toContain('Cochez la case pour confirmer le sursis');
    await submit(as.chef, `${url}/mesures/surseoir`, `${url}/mesures/surseoir`, { grounds, magistrate: '', confirm: 'oui' }).expect(303);
    expect((await permitStatus(permit.id)).status).toBe('ON_HOLD');
    // The visit booked with it is flagged « À revoir », as for a suspension.
    expect(await queryOne(`SELECT review_reason FROM visits WHERE id = $1`, [visit.id])).toEqual({
      review_reason: 'Permis en attente de la réponse du magistrat (Thị Lan Nguyễn)',
    });
    expect(await measureOf(permit.id)).toMatchObject({ kind: 'REFERRAL', status: 'REFERRED' });
    const held = page(await as.chef.get(url).expect(200));
    expect(held.text('permit-status')).toContain('En attente de la réponse du magistrat');
    const referral = await pdfOf(as.chef, held.link('saisine du magistrat'));
    expect(referral).toContain(`À l’attention de ${magistrate}`);
    expect(referral).toContain('article R. 341-3 (1°) du code pénitentiaire');
    expect(referral).toContain('Thị Lan NGUYỄN pour rencontrer محمد Haddad');
    expect(referral).toContain(`Circonstances exceptionnelles : ${grounds}`);
    expect(referral).toContain('Zofia ŁUKASIEWICZ, chef d’établissement');
    const [letter] = await lettersOf(permit.id);
    expect(letter).toMatchObject({ kind: 'REFERRAL', family_account_id: null });
    await as.family.get(`/courriers/${letter.id}`).expect(404); // addressed to the magistrate
    await mailTo(family.email, 'Visites en attente de la décision du magistrat (Thị Lan Nguyễn)');

    const answer = `${url}/mesures/${(await measureOf(permit.id)).id}/reponse`;
    const noAnswer = await submit(as.chef, answer, answer, {}).expect(400);
    expect(page(noAnswer).fieldError('answer')).toBe('Choisissez la réponse du magistrat.');
    await submit(as.chef, answer, answer, { answer: 'MAINTAINED', note: 'Ordonnance du 24 novembre 2026.' }).expect(303);
    expect(await permitStatus(permit.id)).toEqual({ status: 'ACTIVE', status_reason: null });
    expect((await measureOf(permit.id)).status).toBe('ANSWERED');
    await mailTo(family.email, 'Permis de visite de nouveau valable (Thị Lan Nguyễn)');
    expect(
      (await query<{ action: string }>(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`, [permit.id])).map((r) => r.action),
    ).toEqual(['PERMIT_REFERRED', 'PERMIT_MAGISTRATE_ANSWER']);
  });

  it('the head can neither lift nor be offered to lift a suspension the magistrate decided, even once competent', async () => {
    const detainee = await insertDetainee(establishment.id, { firstName: 'Łukasz', lastName: 'Ăngheluță', legalStatus: 'PREVENU' });
    const permit = await insertPermitWith({
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      familyAccountId: family.id,
      visitorGivenName: 'Hạnh',
      visitorFamilyName: 'Trần',
      origin: 'MAGISTRATE',
      issuingAuthority: 'Juge d’instruction Ólafur Þórsson, tribunal judiciaire de Lille',
    });
    const url = `${permits}/${permit.id}`;
    await submit(as.chef, `${url}/mesures/surseoir`, `${url}/mesures/surseoir`, {
      grounds: 'Menaces proférées contre un surveillant par le visiteur.',
      magistrate: '',
      confirm: 'oui',
    }).expect(303);
    const answer = `${url}/mesures/${(await measureOf(permit.id)).id}/reponse`;
    await submit(as.chef, answer, answer, { answer: 'SUSPENDED', note: 'Ordonnance du 26 novembre 2026.' }).expect(303);
    expect((await permitStatus(permit.id)).status).toBe('SUSPENDED');
    const lift = async () => {
      const res = await as.chef.get(url).expect(200);
      expect(res.text).not.toContain('Lever la suspension');
      const csrf = page(await as.chef.get(`${url}/conditions`).expect(200)).csrf();
      const refused = await as.chef.post(`${url}/statut`).type('form').send({ _csrf: csrf, status: 'ACTIVE' }).expect(409);
      expect(page(refused).errors()[0]).toContain('seul le magistrat peut la lever');
      expect((await permitStatus(permit.id)).status).toBe('SUSPENDED');
    };
    await lift();
    // Convicted and reviewed: the head is competent, but this suspension is still the magistrate's.
    await query(`UPDATE detainees SET legal_status = 'CONDAMNE' WHERE id = $1`, [detainee.id]);
    await query(`UPDATE permits SET head_review_due = false WHERE id = $1`, [permit.id]);
    await lift();
  });

  it('an intended measure started while condamné can still be abandoned once the detainee is MIXTE; no referral beside it', async () => {
    const detainee = await insertDetainee(establishment.id, { firstName: 'Ṭāriq', lastName: 'Ŵilliams', legalStatus: 'CONDAMNE' });
    const permit = await insertPermitWith({
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      familyAccountId: family.id,
      visitorGivenName: 'Żaneta',
      visitorFamilyName: 'Ŵilliams',
    });
    const url = `${permits}/${permit.id}`;
    await submit(as.chef, `${url}/mesures/envisager`, `${url}/mesures/envisager`, {
      kind: 'SUSPENSION',
      grounds: 'Comportement menaçant envers un surveillant au parloir.',
    }).expect(303);
    const measure = await measureOf(permit.id);
    await query(`UPDATE detainees SET legal_status = 'MIXTE' WHERE id = $1`, [detainee.id]);
    const refer = `${url}/mesures/surseoir`;
    const referred = await submit(as.chef, refer, refer, {
      grounds: 'Menaces proférées contre un surveillant par le visiteur.',
      magistrate: 'Juge d’instruction, tribunal judiciaire de Lille',
      confirm: 'oui',
    }).expect(409);
    expect(page(referred).errors()[0]).toBe(
      'Une suspension envisagée est en cours sur ce permis : abandonnez-la d’abord, puis surseoir et en référer au magistrat.',
    );
    const decide = `${url}/mesures/${measure.id}`;
    await submit(as.chef, decide, `${decide}/abandonner`, {}).expect(303);
    expect((await measureOf(permit.id)).status).toBe('ABANDONED');
    await submit(as.chef, refer, refer, {
      grounds: 'Menaces proférées contre un surveillant par le visiteur.',
      magistrate: 'Juge d’instruction, tribunal judiciaire de Lille',
      confirm: 'oui',
    }).expect(303);
    expect(await measureOf(permit.id)).toMatchObject({ kind: 'REFERRAL', status: 'REFERRED' });
  });

  it('a detainee prévenu in one case and condamné in another keeps the magistrate competent, even for a paper permit: held, referred, withdrawn by the magistrate', async () => {
    const permit = await insertPermitWith({
      establishmentId: establishment.id,
      detaineeId: mixte.id,
      origin: 'PAPER',
      visitorFamilyName: 'Kowalczyk',
    });
    const url = `${permits}/${permit.id}`;
    const chefPage = page(await as.chef.get(url).expect(200));
    expect(chefPage.text('permit-competence')).toContain('Personne détenue : Prévenu et condamné.');
    expect(chefPage.has('refer-link')).toBe(true);
    const refused = await as.chef
      .post(`${url}/mesures/envisager`)
      .type('form')
      .send({
        _csrf: page(await as.chef.get(`${url}/mesures/surseoir`).expect(200)).csrf(),
        kind: 'WITHDRAWAL',
        grounds: 'Faits graves constatés lors de la visite.',
      })
      .expect(409);
    expect(page(refused).fieldError('kind')).toContain('Ce permis relève du magistrat chargé du dossier');
    // Held and referred (no issuing authority recorded: the magistrate must be named), then withdrawn by the magistrate.
    const refer = `${url}/mesures/surseoir`;
    const grounds = 'Projet d’évasion signalé par le renseignement pénitentiaire.';
    const unnamed = await submit(as.chef, refer, refer, { grounds, magistrate: '', confirm: 'oui' }).expect(400);
    expect(page(unnamed).fieldError('magistrate')).toBe('Indiquez le magistrat saisi et sa juridiction.');
    const magistrate = 'Juge d’instruction Ayşe Demir, tribunal judiciaire de Strasbourg';
    await submit(as.chef, refer, refer, { grounds, magistrate, confirm: 'oui' }).expect(303);
    const answer = `${url}/mesures/${(await measureOf(permit.id)).id}/reponse`;
    await submit(as.chef, answer, answer, { answer: 'WITHDRAWN', note: 'Ordonnance du 25 novembre 2026.' }).expect(303);
    expect(await permitStatus(permit.id)).toEqual({
      status: 'WITHDRAWN',
      status_reason: `Décision du magistrat (${magistrate}) : Ordonnance du 25 novembre 2026.`,
    });
    expect(await queryOne(`SELECT status, magistrate_answer, magistrate FROM permit_measures WHERE permit_id = $1`, [permit.id])).toEqual({
      status: 'ANSWERED',
      magistrate_answer: 'WITHDRAWN',
      magistrate,
    });
    // No online request either: the magistrate in charge issues the permits.
    const id = await newRequest(as.stranger);
    const step = await postStep(as.stranger, id, 1, {
      establishment: establishment.code,
      ecrou: mixte.ecrouNumber,
      lastName: mixte.lastName,
    });
    expect(step.status).toBe(200);
    expect(page(step).heading()).toBe('Cette demande ne se fait pas en ligne');
  });

  it('a GENESIS import that makes a prévenu condamné flags the magistrate’s permits for the head, who reviews them and becomes competent', async () => {
    const elsewhere = await insertEstablishment({ name: 'Maison d’arrêt de Târgu Mureș' });
    const accused = await insertDetainee(elsewhere.id, { firstName: 'عمر', lastName: 'Łaski', legalStatus: 'PREVENU' });
    const magistratePermit = await insertPermitWith({
      establishmentId: elsewhere.id,
      detaineeId: accused.id,
      origin: 'MAGISTRATE',
      issuingAuthority: 'Juge d’instruction, tribunal judiciaire de Metz',
    });
    const withdrawn = await insertPermitWith({
      establishmentId: elsewhere.id,
      detaineeId: accused.id,
      origin: 'MAGISTRATE',
      status: 'WITHDRAWN',
    });
    const admin = await signInAgent(
      suite.app.url,
      await insertAgent([{ establishmentId: elsewhere.id, role: 'ADMIN' }], { givenName: 'Ilona', usualName: 'Wąsowska' }),
    );
    const chef = await signInAgent(
      suite.app.url,
      await insertAgent([{ establishmentId: elsewhere.id, role: 'HEAD_OF_ESTABLISHMENT' }], {
        givenName: 'Mircea',
        usualName: 'Ștefănescu',
      }),
    );
    const imported = await importGenesis(admin, elsewhere.code, genesisCsv([genesisLine({ ...accused, legalStatus: 'CONDAMNE' })]));
    expect(imported.status).toBe(200);
    const flags = await query<{ id: string; head_review_due: boolean }>(
      `SELECT id, head_review_due FROM permits WHERE detainee_id = $1 ORDER BY id`,
      [accused.id],
    );
    expect(Object.fromEntries(flags.map((f) => [f.id, f.head_review_due]))).toEqual({ [magistratePermit.id]: true, [withdrawn.id]: false });
    expect(await query(`SELECT action, actor_label FROM audit_log WHERE entity_id = $1 ORDER BY id`, [magistratePermit.id])).toEqual([
      { action: 'PERMIT_HEAD_REVIEW_DUE', actor_label: 'Ilona Wąsowska' },
    ]);

    const url = `/etablissements/${elsewhere.code}/permis/${magistratePermit.id}`;
    const flagged = page(await chef.get(url).expect(200));
    expect(flagged.text('head-review-due')).toContain('À revoir par le chef d’établissement');
    expect(flagged.has('propose-link')).toBe(false);
    await chef.post(`${url}/mesures/revue`).type('form').send({ _csrf: flagged.csrf() }).expect(303);
    const reviewed = page(await chef.get(url).expect(200));
    expect(reviewed.has('head-review-due')).toBe(false);
    expect(reviewed.has('propose-link')).toBe(true);
    expect(
      (await queryOne<{ head_review_due: boolean }>(`SELECT head_review_due FROM permits WHERE id = $1`, [magistratePermit.id]))
        .head_review_due,
    ).toBe(false);
  });
});
