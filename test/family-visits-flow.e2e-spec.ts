import { hrefOf, open, optionOf, pdfOf, staffOf, submit, upload, type Staff } from './factories/family-visits-flow';
import { insertDetainee, insertEstablishment, insertFamily, type EstablishmentRow } from './factories/people';
import { insertPermit } from './factories/permits';
import { query } from './helpers/db';
import { onePagePdf } from './helpers/files';
import { page, type HtmlPage } from './helpers/html';
import { permitsApp } from './helpers/permits';
import { type Agent, signInFamily } from './helpers/sign-in';

/**
 * The whole UVF / PF procedure (issue 11), through the HTTP stack only, as each user does it: the
 * family on its pages, the greffe, the SPIP counsellor, the head of establishment, the parloir agent
 * and the admin on theirs, every form posted with the CSRF token of its page. The database holds
 * beforehand only what exists before a procedure starts (the establishment, its agents, the
 * detainee, the family account and its visit permits); it is then only read. The app's clock is
 * moved where time must pass (its own app: nothing to put back for another file).
 */

const suite = permitsApp();

let establishment: EstablishmentRow;
let staff: Staff;
let uvf: string;

beforeAll(async () => {
  establishment = await insertEstablishment({ name: 'Centre pénitentiaire de Łódź-sur-Loire' });
  staff = await staffOf(suite.app.url, establishment.id);
  uvf = `/etablissements/${establishment.code}/uvf`;
});

/** The admin adds a unit on « Logements UVF et parloirs familiaux ». */
async function addUnit(fields: Record<string, string>) {
  const res = await submit(staff.admin, `${uvf}/unites`, `${uvf}/unites`, fields);
  expect(res.status).toBe(303);
}

/** The family's requests on « Mes demandes UVF / parloir familial », by the name shown. */
async function requestPageOf(family: Agent, name: string): Promise<string> {
  return hrefOf(await open(family, '/uvf'), 'request-visitor', name);
}

/** The rows of the head's quarterly dashboard: the name and each case's state. */
async function unmet(): Promise<{ name: string; states: string[] }[]> {
  const p = await open(staff.head, `${uvf}/droit-trimestriel`);
  return p
    .testId('unmet-row')
    .toArray()
    .map((tr) => ({
      name: p.$(tr).find('[data-testid="unmet-name"]').text().trim(),
      states: p
        .$(tr)
        .find('[data-testid="unmet-state"]')
        .toArray()
        .map((s) => p.$(s).text().trim()),
    }));
}

/** The head decides a request: the form, the letter read back, then signed. */
async function decide(casePath: string, who: string, fields: Record<string, string>): Promise<HtmlPage> {
  const url = hrefOf(await open(staff.head, casePath), 'decide-link', who);
  const confirmation = await submit(staff.head, url, url, fields);
  expect(confirmation.status).toBe(200);
  const readBack = page(confirmation);
  expect(readBack.has('confirm-decision')).toBe(true);
  const signed = await staff.head.post(url).type('form').send(readBack.formFields(url));
  expect(signed.status).toBe(303);
  return readBack;
}

describe('the whole UVF / PF procedure through HTTP', () => {
  it('a condamné’s UVF: filed online and by the greffe, convocation and interviews, CPU, the head signs, letter, stay booked, run and ended, quarter met', async () => {
    // Monday 4 January 2027, 10:00 in Paris.
    await suite.app.setClock('2027-01-04T09:00:00Z', { frozen: true });
    const detainee = await insertDetainee(establishment.id, { firstName: 'يوسف', lastName: 'Ben Ałi', legalStatus: 'CONDAMNE' });
    const account = await insertFamily({ givenName: 'Łucja', familyName: 'Nguyễn-Şahin', birthdate: '1986-02-02' });
    await insertPermit({
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      familyAccountId: account.id,
      visitorGivenName: 'Łucja',
      visitorFamilyName: 'Nguyễn-Şahin',
      visitorBirthdate: '1986-02-02',
      relationship: 'SPOUSE',
    });
    const family = await signInFamily(suite.app.url, account);
    await addUnit({ kind: 'UVF', name: 'UVF Świt', capacity: '3', accessible: 'oui', houseRules: 'Pas d’animaux.\nLe linge est fourni.' });

    // The family files its request online, from the detainee its permit names.
    const newForm = hrefOf(await open(family, '/uvf/nouvelle'), 'detainee', 'يوسف BEN AŁI');
    const form = await open(family, newForm);
    const filed = await submit(family, newForm, newForm, {
      kind: 'UVF',
      wishedFrom: '2027-02-01',
      wishedTo: '2027-02-28',
      hours: '24',
      visitors: form.options('visitors'),
    });
    expect(filed.status).toBe(303);
    const list = await open(family, filed.headers.location);
    expect(list.has('sent')).toBe(true);
    expect(list.texts('request-status')).toEqual(['Reçue, en cours d’instruction']);
    const mine = await requestPageOf(family, 'Łucja NGUYỄN-ŞAHIN');
    // …and its signed rules.
    const rules = await upload(
      family,
      mine,
      `${mine}/documents`,
      { kind: 'RULES_ACKNOWLEDGEMENT' },
      await onePagePdf('Règlement signé'),
      'reglement.pdf',
    );
    expect(rules.status).toBe(303);
    let familyPage = await open(family, mine);
    expect(familyPage.text('rules')).toBe('Reçu le 4 janvier 2027');
    expect(familyPage.text('detainee-request')).toContain('pas encore reçue');

    // The greffe enters the detainee's written request, received today: the family's case waits for it, the greffe joins it.
    const detaineeRequest = {
      ecrou: detainee.ecrouNumber,
      receivedOn: '2027-01-04',
      kind: 'UVF',
      wishedFrom: '2027-02-01',
      wishedTo: '2027-02-28',
      hours: '24',
    };
    const toChoose = await submit(staff.greffe, `${uvf}/demandes/nouvelle`, `${uvf}/demandes/nouvelle`, detaineeRequest);
    expect(toChoose.status).toBe(422);
    const entered = await submit(staff.greffe, `${uvf}/demandes/nouvelle`, `${uvf}/demandes/nouvelle`, {
      ...detaineeRequest,
      caseChoice: page(toChoose).$('input[name="caseChoice"]').first().attr('value')!,
    });
    expect(entered.status).toBe(303);
    const requestsPage = entered.headers.location;
    const casePath = requestsPage.replace(/\/demandes$/, '');
    let staffCase = await open(staff.greffe, requestsPage);
    expect(staffCase.texts('request-applicant')).toEqual(['La personne détenue', 'Łucja NGUYỄN-ŞAHIN']);
    // The detainee's signed rules, received with the request.
    const detaineeRules = await upload(
      staff.greffe,
      requestsPage,
      `${casePath}/documents`,
      { requestId: optionOf(staffCase, 'requestId', 'La personne détenue'), kind: 'RULES_ACKNOWLEDGEMENT' },
      await onePagePdf('Règlement signé par la personne détenue'),
      'reglement-detenu.pdf',
    );
    expect(detaineeRules.status).toBe(303);
    staffCase = await open(staff.greffe, requestsPage);
    expect(staffCase.texts('document')).toEqual(['Règlement signé', 'Règlement signé']);
    expect(page(await family.get(mine).expect(200)).text('detainee-request')).toContain('reçue par l’établissement');
    // The detainee asked this quarter: on the head's dashboard until a stay meets it.
    expect(await unmet()).toContainEqual({ name: 'يوسف Ben Ałi', states: ['En instruction'] });

    // The SPIP counsellor plans an interview with each applicant: the family gets a convocation.
    let file = await open(staff.spip, casePath);
    for (const [who, day, time] of [
      ['La personne détenue', '11/01/2027', '09:00'],
      ['Łucja Nguyễn-Şahin', '12/01/2027', '14:30'],
    ]) {
      const res = await submit(staff.spip, casePath, `${casePath}/entretiens`, {
        requestId: optionOf(file, 'requestId', who),
        status: 'SCHEDULED',
        day,
        time,
        mode: 'IN_PERSON',
      });
      expect(res.status).toBe(303);
    }
    file = await open(staff.spip, casePath);
    expect(file.texts('interview-status')).toEqual(['Prévu', 'Prévu']);
    familyPage = await open(family, mine);
    expect(familyPage.text('interview-when')).toMatch(/12 janvier 2027 à 14 h 30 \(heure de Paris\)$/);
    expect(familyPage.text('interview-where')).toBe(`SPIP, accueil du public, ${establishment.name}`);
    expect(familyPage.text('interview-status')).toBe('Prévu');
    expect(familyPage.has('interview-convocation')).toBe(true);
    const appointments = await open(family, '/mes-rendez-vous');
    expect(appointments.texts('upcoming-appointment')).toEqual([
      expect.stringContaining('Entretien avec le service pénitentiaire d’insertion et de probation (SPIP)'),
    ]);
    expect(appointments.text('appointment-when')).toContain('12 janvier 2027');

    // Tuesday 12 January, 16:30: both interviews took place; the counsellor writes their reports.
    await suite.app.setClock('2027-01-12T15:30:00Z', { frozen: true });
    for (const report of file
      .testId('report-interview')
      .toArray()
      .map((a) => file.$(a).attr('href')!)) {
      const res = await submit(staff.spip, report, report, {
        notes: 'Entretien serein avec la famille.',
        linkAssessment: 'Lien conjugal ancien et stable.',
        preparationAssessment: 'Visite préparée, règlement expliqué.',
      });
      expect(res.status).toBe(303);
    }
    file = await open(staff.spip, casePath);
    expect(file.texts('interview-status')).toEqual(['Réalisé', 'Réalisé']);
    expect(file.has('cpu-ready')).toBe(true);
    expect((await open(family, mine)).text('interview-status')).toBe('Réalisé');

    // The CPU's opinion, the same day.
    const cpu = await submit(staff.spip, casePath, `${casePath}/cpu`, {
      cpuOn: '12/01/2027',
      opinion: 'FAVOURABLE',
      notes: 'Projet familial construit.',
    });
    expect(cpu.status).toBe(303);
    expect((await open(staff.head, casePath)).text('case-status')).toBe('Avis de la CPU rendu');

    // The head decides the detainee's request first, then the visitor's, each letter read back before it is signed.
    const forDetainee = await decide(casePath, 'Décider la demande de la personne détenue', { decision: 'GRANT', hours: '24' });
    expect(forDetainee.text('letter-preview')).toContain('J’autorise cette visite, pour une durée de 24 heures.');
    expect(forDetainee.text('letter-preview')).toContain('Zofia ŁUKASIEWICZ, chef d’établissement');
    const visitorForm = hrefOf(await open(staff.head, casePath), 'decide-link', 'Łucja');
    // The duration granted to the detainee is offered.
    expect((await open(staff.head, visitorForm)).value('hours')).toBe('24');
    const forVisitor = await decide(casePath, 'Décider la demande de Łucja', { decision: 'GRANT', hours: '24' });
    expect(forVisitor.text('letter-preview')).toContain('J’autorise cette visite de Łucja NGUYỄN-ŞAHIN, pour une durée de 24 heures.');
    const decided = await open(staff.head, casePath);
    expect(decided.text('case-status')).toBe('Décidé');
    expect(decided.texts('decision-status')).toEqual(['Accordée', 'Accordée']);

    // The family sees « Accordée » and downloads its letter.
    familyPage = await open(family, mine);
    expect(familyPage.text('request-status')).toBe('Accordée');
    expect(familyPage.text('granted-hours')).toBe('pour une visite de 24 heures');
    expect(familyPage.texts('decision-letter')).toEqual([expect.stringContaining('Autorisation de visite — Unité de vie familiale (UVF)')]);
    const letter = await pdfOf(family, hrefOf(familyPage, 'decision-letter', 'Autorisation de visite'));
    expect(letter).toContain('J’autorise cette visite de Łucja NGUYỄN-ŞAHIN, pour une durée de 24 heures.');
    expect(letter).toContain('Zofia ŁUKASIEWICZ, chef d’établissement');
    expect((await open(family, '/uvf')).texts('request-status')).toEqual(['Accordée']);
    expect(await unmet()).toContainEqual({ name: 'يوسف Ben Ałi', states: ['Accordée, non encore placée'] });

    // The parloir agent places the visit from the planning's waiting list, in the UVF, on Friday 5 February at 10:00.
    const planning = await open(staff.parloir, `${uvf}/planning`);
    expect(planning.texts('waiting')).toContainEqual(
      expect.stringContaining('يوسف BEN AŁI — Unité de vie familiale (UVF), 24 h, 1 visiteur(s)'),
    );
    const booking = hrefOf(planning, 'waiting', 'يوسف BEN AŁI');
    const bookingPage = await open(staff.parloir, booking);
    const booked = await submit(staff.parloir, booking, booking, {
      unitId: optionOf(bookingPage, 'unitId', 'UVF Świt'),
      day: '05/02/2027',
      time: '10:00',
    });
    expect(booked.status).toBe(303);
    const week = await open(staff.parloir, booked.headers.location);
    expect(week.texts('planning-stay')).toEqual([
      'يوسف BEN AŁI — 1 visiteur(s), 05/02 10:00 → 06/02 10:00',
      'يوسف BEN AŁI — 1 visiteur(s), 05/02 10:00 → 06/02 10:00',
    ]);
    const stay = hrefOf(week, 'planning-stay', 'يوسف BEN AŁI');

    // The family sees its stay, with what to bring and the unit's rules.
    familyPage = await open(family, mine);
    expect(familyPage.text('stay-status')).toBe('Réservé');
    expect(familyPage.text('stay-dates')).toMatch(/^Du .*5 février 2027 à 10 h 00 au .*6 février 2027 à 10 h 00 \(heure de Paris\)$/);
    const stayPage = familyPage.$('[data-testid="stay-link"]').attr('href')!;
    expect(stayPage).toMatch(/^\/uvf\/sejours\/[0-9a-f-]{36}$/);
    let familyStay = await open(family, stayPage);
    expect(familyStay.text('stay-unit')).toBe('UVF Świt — Unité de vie familiale (UVF), accessible aux personnes à mobilité réduite');
    expect(familyStay.text('stay-status')).toBe('Prévu');
    expect(
      familyStay
        .$('[data-testid="house-rules"] p')
        .toArray()
        .map((e) => familyStay.$(e).text()),
    ).toEqual(['Pas d’animaux.', 'Le linge est fourni.']);
    expect(familyStay.$('[data-testid="guide-bring"] li').length).toBeGreaterThan(0);
    // A stay booked in the quarter meets the detainee's entitlement.
    expect((await unmet()).map((r) => r.name)).not.toContain('يوسف Ben Ałi');

    // Friday 5 February, 10:05: the stay begins, with the entry inventory.
    await suite.app.setClock('2027-02-05T09:05:00Z', { frozen: true });
    expect((await submit(staff.parloir, stay, `${stay}/debut`, {})).status).toBe(303);
    const inventory = await submit(staff.parloir, stay, `${stay}/registre`, {
      kind: 'ENTRY_INVENTORY',
      notes: 'Logement propre, vaisselle complète, vu avec M. يوسف Ben Ałi.',
    });
    expect(inventory.status).toBe(303);
    expect((await open(family, stayPage)).text('stay-status')).toBe('En cours');
    // Saturday 6 February, 09:55: it ends.
    await suite.app.setClock('2027-02-06T08:55:00Z', { frozen: true });
    expect((await submit(staff.parloir, stay, `${stay}/fin`, {})).status).toBe(303);
    const ended = await open(staff.parloir, stay);
    expect(ended.text('stay-status')).toMatch(/^Terminé — du 05\/02\/2027 à 10:00 au 06\/02\/2027 à 10:00, 1 visiteur\(s\)\.$/);
    expect(
      ended
        .testId('stay-event')
        .toArray()
        .map((tr) =>
          ended
            .$(tr)
            .find('td')
            .toArray()
            .map((td) => ended.$(td).text().trim()),
        ),
    ).toEqual([
      [
        '05/02/2027 à 10:05',
        'État des lieux d’entrée (avec la personne détenue)',
        'Şebnem Aydın',
        'Logement propre, vaisselle complète, vu avec M. يوسف Ben Ałi.',
      ],
    ]);
    familyStay = await open(family, stayPage);
    expect(familyStay.text('stay-status')).toBe('Terminé');
    // The quarter stays met once the stay took place.
    expect((await unmet()).map((r) => r.name)).not.toContain('يوسف Ben Ałi');
    const dashboard = await open(staff.head, `${uvf}/droit-trimestriel?trimestre=2027-T1`);
    expect(dashboard.text('entitlement-quarter')).toBe('1er trimestre 2027 (en cours)');
    expect(dashboard.mainText()).not.toContain('Ben Ałi');

    // What the database holds, read back.
    expect(
      await query(
        `SELECT r.applicant, r.channel, r.status, r.granted_hours, s.status AS stay, s.visitors
           FROM family_visit_requests r JOIN family_visit_stays s ON s.case_id = r.case_id
          WHERE r.case_id = $1 ORDER BY r.applicant`,
        [casePath.split('/').pop()],
      ),
    ).toEqual([
      { applicant: 'DETAINEE', channel: 'LETTER', status: 'GRANTED', granted_hours: 24, stay: 'ENDED', visitors: 1 },
      { applicant: 'VISITOR', channel: 'ONLINE', status: 'GRANTED', granted_hours: 24, stay: 'ENDED', visitors: 1 },
    ]);
  });

  it('a prévenu’s PF: filed online with a minor and the parental consent, the head transmits to the magistrate, answers recorded and told to the family, stay booked for the authorised visitor', async () => {
    // Monday 18 January 2027, 10:00 in Paris.
    await suite.app.setClock('2027-01-18T09:00:00Z', { frozen: true });
    const detainee = await insertDetainee(establishment.id, { firstName: 'Şükrü', lastName: 'Trần', legalStatus: 'PREVENU' });
    const account = await insertFamily({ givenName: 'ليلى', familyName: 'Haddad-Łoś', birthdate: '1988-08-08' });
    for (const [givenName, birthdate, relationship] of [
      ['ليلى', '1988-08-08', 'SPOUSE'],
      ['Ayşe', '2016-05-04', 'DESCENDANT'],
    ])
      await insertPermit({
        establishmentId: establishment.id,
        detaineeId: detainee.id,
        familyAccountId: account.id,
        visitorGivenName: givenName,
        visitorFamilyName: 'Haddad-Łoś',
        visitorBirthdate: birthdate,
        relationship,
      });
    const family = await signInFamily(suite.app.url, account);
    await addUnit({ kind: 'PF', name: 'PF Ż1', capacity: '2', accessible: 'oui' });

    // The mother files for herself and her daughter, whom she accompanies.
    const newForm = hrefOf(await open(family, '/uvf/nouvelle'), 'detainee', 'Şükrü TRẦN');
    const form = await open(family, newForm);
    const adultPermit = form
      .$('input[name="visitors"]')
      .filter((_, e) =>
        form
          .$(`label[for="${form.$(e).attr('id')}"]`)
          .text()
          .includes('ليلى'),
      )
      .attr('value')!;
    const childPermit = form.options('visitors').find((v) => v !== adultPermit)!;
    const filed = await submit(family, newForm, newForm, {
      kind: 'PF',
      wishedFrom: '2027-02-08',
      wishedTo: '2027-02-12',
      hours: '6',
      visitors: [adultPermit, childPermit],
      [`accompagnant-${childPermit}`]: adultPermit,
    });
    expect(filed.status).toBe(303);
    const mother = await requestPageOf(family, 'ليلى HADDAD-ŁOŚ');
    let motherPage = await open(family, mother);
    expect(motherPage.texts('family-request')[1]).toContain('Ayşe HADDAD-ŁOŚ — mineur, accompagné par ليلى HADDAD-ŁOŚ');
    const child = hrefOf(motherPage, 'family-request-name', 'Ayşe');
    // Each one's signed rules, and for the child the consent of the sole holder of parental authority.
    for (const url of [mother, child]) {
      const res = await upload(
        family,
        url,
        `${url}/documents`,
        { kind: 'RULES_ACKNOWLEDGEMENT' },
        await onePagePdf('Règlement signé'),
        'reglement.pdf',
      );
      expect(res.status).toBe(303);
    }
    const consent = await upload(
      family,
      child,
      `${child}/documents`,
      { kind: 'PARENTAL_CONSENT', consentGivenBy: 'ليلى Haddad-Łoś', consentCapacity: 'SOLE_HOLDER', consentCompanion: 'ليلى Haddad-Łoś' },
      await onePagePdf('Accord parental'),
      'accord.pdf',
    );
    expect(consent.status).toBe(303);
    const childPage = await open(family, child);
    expect(childPage.texts('document')).toEqual([
      'Règlement signé',
      'Accord de l’autorité parentale (Le seul titulaire de l’autorité parentale, ليلى Haddad-Łoś)',
    ]);
    expect(childPage.text('companion')).toBe('ليلى HADDAD-ŁOŚ');

    // The SPIP enters the detainee's request received on Friday and adds the rules the detainee signed.
    const detaineeRequest = {
      ecrou: detainee.ecrouNumber,
      receivedOn: '2027-01-15',
      kind: 'PF',
      wishedFrom: '2027-02-08',
      wishedTo: '2027-02-12',
      hours: '6',
    };
    const toChoose = await submit(staff.spip, `${uvf}/demandes/nouvelle`, `${uvf}/demandes/nouvelle`, detaineeRequest);
    expect(toChoose.status).toBe(422);
    const entered = await submit(staff.spip, `${uvf}/demandes/nouvelle`, `${uvf}/demandes/nouvelle`, {
      ...detaineeRequest,
      caseChoice: page(toChoose).$('input[name="caseChoice"]').first().attr('value')!,
    });
    expect(entered.status).toBe(303);
    const requestsPage = entered.headers.location;
    const casePath = requestsPage.replace(/\/demandes$/, '');
    const staffCase = await open(staff.spip, requestsPage);
    // (The mother's and the child's requests came in one filing: in any order.)
    expect(staffCase.texts('request-applicant').sort()).toEqual(['Ayşe HADDAD-ŁOŚ', 'La personne détenue', 'ليلى HADDAD-ŁOŚ']);
    const rules = await upload(
      staff.spip,
      requestsPage,
      `${casePath}/documents`,
      { requestId: optionOf(staffCase, 'requestId', 'La personne détenue'), kind: 'RULES_ACKNOWLEDGEMENT' },
      await onePagePdf('Règlement signé par la personne détenue'),
      'reglement-detenu.pdf',
    );
    expect(rules.status).toBe(303);

    // Interviews with the three applicants, held on Friday; then the CPU.
    let file = await open(staff.spip, casePath);
    expect(file.text('case-legal-status')).toBe('Prévenu (décision du magistrat)');
    for (const [who, mode] of [
      ['La personne détenue', 'IN_PERSON'],
      ['ليلى Haddad-Łoś', 'VISIO'],
      ['Ayşe Haddad-Łoś', 'IN_PERSON'],
    ]) {
      const res = await submit(staff.spip, casePath, `${casePath}/entretiens`, {
        requestId: optionOf(file, 'requestId', who),
        status: 'DONE',
        day: '15/01/2027',
        time: '14:00',
        mode,
        notes: `Entretien avec ${who}.`,
        linkAssessment: 'Lien familial fort, visites régulières au parloir.',
        preparationAssessment: 'L’enfant est préparée à la visite.',
      });
      expect(res.status).toBe(303);
    }
    file = await open(staff.spip, casePath);
    expect(file.has('cpu-ready')).toBe(true);
    const cpu = await submit(staff.spip, casePath, `${casePath}/cpu`, { cpuOn: '18/01/2027', opinion: 'FAVOURABLE' });
    expect(cpu.status).toBe(303);

    // The head does not decide: the case goes to the magistrate with an opinion proposing a duration.
    let headCase = await open(staff.head, casePath);
    expect(headCase.has('decide-link')).toBe(false);
    const transmission = headCase.$('[data-testid="refer-link"]').attr('href')!;
    const magistrate = 'Mme Ewa Kowalska, juge d’instruction, tribunal judiciaire de Lille';
    const readBack = await submit(staff.head, transmission, transmission, {
      magistrate,
      opinion: 'Avis favorable : lien familial stable, visite préparée avec l’enfant.',
      proposedHours: '6',
    });
    expect(readBack.status).toBe(200);
    // The transmission is read back before it is signed: nothing is sent yet.
    expect(page(readBack).text('letter-preview')).toContain('Durée de visite proposée : 6 heures.');
    expect((await open(staff.head, casePath)).text('case-status')).toBe('Avis de la CPU rendu');
    const referred = await staff.head.post(transmission).type('form').send(page(readBack).formFields(transmission));
    expect(referred.status).toBe(303);
    headCase = await open(staff.head, casePath);
    expect(headCase.text('case-status')).toBe('Transmis au magistrat');
    expect(headCase.text('referral')).toBe(`Transmis le 18 janvier 2027 à ${magistrate}, durée proposée : 6 heures.`);
    const form2 = await pdfOf(staff.head, hrefOf(headCase, 'case-letter', 'Transmission au magistrat'));
    expect(form2).toContain(`Şükrü TRẦN (écrou ${detainee.ecrouNumber}), prévenu(e) détenu(e) à Centre pénitentiaire de Łódź-sur-Loire`);
    expect(form2).toContain('la personne détenue (reçue le 15 janvier 2027)');
    expect(form2).toContain('ليلى HADDAD-ŁOŚ (reçue le 18 janvier 2027)');
    expect(form2).toContain('Ayşe HADDAD-ŁOŚ (reçue le 18 janvier 2027)');
    expect(form2).toContain('Avis du chef d’établissement : Avis favorable : lien familial stable, visite préparée avec l’enfant.');
    expect(form2).toContain('Durée de visite proposée : 6 heures.');
    expect(form2).toContain('Zofia ŁUKASIEWICZ, chef d’établissement');
    motherPage = await open(family, mother);
    expect(motherPage.texts('family-request-status')).toEqual(['Transmise au magistrat', 'Transmise au magistrat']);
    expect(motherPage.text('history')).toContain(`Demande transmise au magistrat (${magistrate}) pour décision.`);
    expect(await unmet()).toContainEqual({ name: 'Şükrü Trần', states: ['Transmise au magistrat'] });

    // The magistrate's answers come back one by one, recorded by the greffe that receives his mail: the mother authorised until 30 June, the child refused…
    const answers = `${casePath}/reponse-magistrat`;
    const answerForm = await open(staff.greffe, headCase.$('[data-testid="answer-link"]').attr('href')!);
    const answer = async (who: string, fields: Record<string, string>) => {
      const readBack = await submit(staff.greffe, answers, answers, { requestId: optionOf(answerForm, 'requestId', who), ...fields });
      expect(readBack.status).toBe(200);
      const res = await staff.greffe.post(answers).type('form').send(page(readBack).formFields(answers));
      expect(res.status).toBe(303);
    };
    await answer('ليلى', { answer: 'TEMPORARY', until: '30/06/2027' });
    await answer('Ayşe', { answer: 'REFUSED', reasons: 'La visite de l’enfant est prématurée au regard de l’instruction en cours.' });
    // …while the detainee's own answer is awaited, there is no visit to place.
    const casePlanning = await open(staff.parloir, `${uvf}/planning`);
    expect(casePlanning.texts('waiting').join(' ')).not.toContain('Şükrü TRẦN');
    const booking = `${uvf}/reserver/${casePath.split('/').pop()}`;
    const unitId = optionOf(await open(staff.parloir, booking), 'unitId', 'PF Ż1');
    const tooEarly = await submit(staff.parloir, booking, booking, { unitId, day: '10/02/2027', time: '13:00' });
    expect(tooEarly.status).toBe(409);
    expect(page(tooEarly).errors()).toEqual([
      'La demande de la personne détenue n’est pas accordée : la visite ne peut pas être réservée.',
    ]);
    // Then the detainee's: a permanent authorisation.
    await answer('La personne détenue', { answer: 'PERMANENT' });
    headCase = await open(staff.head, casePath);
    expect(headCase.text('case-status')).toBe('Décidé');
    expect(
      headCase
        .testId('decision-row')
        .toArray()
        .map((tr) => `${headCase.$(tr).find('th').text().trim()} : ${headCase.$(tr).find('[data-testid="decision-status"]').text().trim()}`)
        .sort(),
    ).toEqual(['Ayşe HADDAD-ŁOŚ (mineur) : Refusée', 'La personne détenue : Accordée', 'ليلى HADDAD-ŁOŚ : Accordée']);

    // The family is told: the mother's request granted, the child's refused, each with its letter.
    motherPage = await open(family, mother);
    expect(motherPage.text('request-status')).toBe('Accordée');
    expect(motherPage.text('granted-hours')).toBe('pour une visite de 6 heures');
    expect(motherPage.texts('family-request-status')).toEqual(['Accordée', 'Refusée']);
    expect((await open(family, child)).text('request-status')).toBe('Refusée');
    const letters = await Promise.all(
      motherPage
        .testId('decision-letter')
        .toArray()
        .map((li) => pdfOf(family, motherPage.$(li).find('a').attr('href')!)),
    );
    expect(letters).toHaveLength(2);
    const granted = letters.find((l) => l.includes('ليلى HADDAD-ŁOŚ, pour rendre visite'))!;
    expect(granted).toContain(`Le magistrat (${magistrate}) a donné une autorisation temporaire d’accès jusqu’au 30 juin 2027.`);
    expect(granted).toContain('La visite est autorisée pour une durée de 6 heures.');
    const refused = letters.find((l) => l.includes('Ayşe HADDAD-ŁOŚ, pour rendre visite'))!;
    expect(refused).toContain(
      `Le magistrat (${magistrate}) a refusé cette visite. Motifs : La visite de l’enfant est prématurée au regard de l’instruction en cours.`,
    );

    // The parloir agent books the family parlour for the one authorised visitor.
    const planning = await open(staff.parloir, `${uvf}/planning`);
    expect(planning.texts('waiting')).toContainEqual(expect.stringContaining('Şükrü TRẦN — Parloir familial (PF), 6 h, 1 visiteur(s)'));
    expect(hrefOf(planning, 'waiting', 'Şükrü TRẦN')).toBe(booking);
    // Not after the end of the mother's temporary authorisation.
    const tooLate = await submit(staff.parloir, booking, booking, { unitId, day: '01/07/2027', time: '09:00' });
    expect(tooLate.status).toBe(409);
    expect(page(tooLate).fieldError('day')).toBe(
      'L’autorisation du magistrat prend fin le 30/06/2027 : la visite doit être terminée ce jour-là au plus tard.',
    );
    const booked = await submit(staff.parloir, booking, booking, { unitId, day: '10/02/2027', time: '13:00' });
    expect(booked.status).toBe(303);
    const week = await open(staff.parloir, booked.headers.location);
    expect(week.texts('planning-stay')).toEqual(['Şükrü TRẦN — 1 visiteur(s), 10/02 13:00 → 10/02 19:00']);
    motherPage = await open(family, mother);
    expect(motherPage.text('stay')).toContain('PF Ż1');
    expect(motherPage.text('stay-dates')).toMatch(/^Du .*10 février 2027 à 13 h 00 au .*10 février 2027 à 19 h 00 \(heure de Paris\)$/);
    const familyStay = await open(family, motherPage.$('[data-testid="stay-link"]').attr('href')!);
    expect(familyStay.heading()).toBe('Votre visite en parloir familial');
    expect(familyStay.text('stay-unit')).toBe('PF Ż1 — Parloir familial (PF), accessible aux personnes à mobilité réduite');
    expect(await unmet()).not.toContainEqual(expect.objectContaining({ name: 'Şükrü Trần' }));

    expect(
      await query(
        `SELECT r.applicant, p.visitor_given_name AS visitor, r.status, r.granted_hours, r.magistrate_answer,
                to_char(r.magistrate_until, 'YYYY-MM-DD') AS until
           FROM family_visit_requests r LEFT JOIN permits p ON p.id = r.permit_id
          WHERE r.case_id = $1 ORDER BY r.applicant, p.visitor_birthdate`,
        [casePath.split('/').pop()],
      ),
    ).toEqual([
      { applicant: 'DETAINEE', visitor: null, status: 'GRANTED', granted_hours: 6, magistrate_answer: 'PERMANENT', until: null },
      { applicant: 'VISITOR', visitor: 'ليلى', status: 'GRANTED', granted_hours: 6, magistrate_answer: 'TEMPORARY', until: '2027-06-30' },
      { applicant: 'VISITOR', visitor: 'Ayşe', status: 'REFUSED', granted_hours: null, magistrate_answer: 'REFUSED', until: null },
    ]);
    expect(await query(`SELECT visitors, status FROM family_visit_stays WHERE case_id = $1`, [casePath.split('/').pop()])).toEqual([
      { visitors: 1, status: 'BOOKED' },
    ]);
  });
});
