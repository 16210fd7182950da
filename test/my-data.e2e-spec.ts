import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { insertAppointment } from './factories/appointments';
import { insertStay } from './factories/family-visits-entitlement';
import { insertFamilyVisitCase, insertVisitorRequest } from './factories/family-visits-instruction';
import { insertAuthorisedCase, insertUnit } from './factories/family-visits-units';
import { insertAgent, insertFamily, unique, type FamilyRow } from './factories/people';
import { insertPermit, insertPermitRequest } from './factories/permits';
import { insertProposedMeasure } from './factories/register';
import { at, dayIn, insertBookingSetup, insertVisit, insertWaitlistEntry, type BookingSetup } from './factories/visits';
import { appForTests } from './helpers/app';
import { query, queryOne, serverUrl, testDatabaseUrl, waitingOnLock } from './helpers/db';
import { page } from './helpers/html';
import { binary, pdfText } from './helpers/permits';
import { type Agent, signInAgent, signInFamily } from './helpers/sign-in';

/* The built module, as the app runs it. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { EXPORTED_TABLES } = require('../dist/src/my-data/my-data.queries') as typeof import('../src/my-data/my-data.queries');

/**
 * « Mes données » (issue #16, RGPD rights): a family downloads everything P2V holds about it, as a PDF
 * and a JSON file, and closes its account once nothing is pending. Through the running app, on the real
 * database; each test makes its own families.
 */
const suite = appForTests();
const DAY = 24 * 3_600_000;
const PARIS_DAY = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: 'numeric', month: 'long', year: 'numeric' });

type ExportJson = import('../src/my-data/my-data.rules').FamilyDataExport;

/** A document record of a request (its kind, name and date are exported; the file itself never is). */
async function insertDocumentRecord(requestId: string, kind: string, name: string): Promise<void> {
  await query(
    `INSERT INTO permit_documents (request_id, kind, storage_key, content_type, size_bytes, sha256, original_name, review)
     VALUES ($1, $2, $3, 'application/pdf', 1234, $4, $5, 'ACCEPTED')`,
    [requestId, kind, `test/${randomBytes(8).toString('hex')}`, randomBytes(32).toString('hex'), name],
  );
}

/** A message P2V sent about one of the family's things (an appointment, a request…), to this address. */
async function insertSentMessage(o: {
  channel: 'EMAIL' | 'SMS';
  to: string;
  subject: string | null;
  body: string;
  entityType: string;
  entityId: string;
}) {
  const recipient = await queryOne<{ id: string }>(
    `INSERT INTO notification_recipients (channel, address, optout_token) VALUES ($1, $2, $3)
     ON CONFLICT (channel, address) DO UPDATE SET channel = EXCLUDED.channel RETURNING id`,
    [o.channel, o.to, randomBytes(9).toString('base64url')],
  );
  await query(
    `INSERT INTO notifications (recipient_id, channel, template, category, subject, body_text, entity_type, entity_id, send_after,
                                status, next_attempt_at, sent_at)
     VALUES ($1, $2, 'test', 'TRANSACTIONAL', $3, $4, $5, $6, now(), 'SENT', now(), now())`,
    [recipient.id, o.channel, o.subject, o.body, o.entityType, o.entityId],
  );
}

/** Gives the family a mobile number of its own (E.164); returns it. */
async function setPhone(
  familyId: string,
  phone = `+336${String(randomBytes(4).readUInt32BE(0)).padStart(10, '0').slice(-8)}`,
): Promise<string> {
  await query(`UPDATE family_accounts SET mobile_phone = $2 WHERE id = $1`, [familyId, phone]);
  return phone;
}

/** A family with something of every kind: requests, permit, visits, waiting list, UVF, stay, appointments, messages. */
async function familyWithData(
  tag: string,
  names: { givenName: string; familyName: string; detainee: { firstName: string; lastName: string } },
) {
  const s = await insertBookingSetup({ family: { givenName: names.givenName, familyName: names.familyName }, detainee: names.detainee });
  const phone = await setPhone(s.family.id);
  const refused = await insertPermitRequest({
    familyAccountId: s.family.id,
    establishmentId: s.establishment.id,
    detaineeId: s.detainee.id,
    status: 'REFUSED',
    visitorGivenName: names.givenName,
    visitorFamilyName: names.familyName,
    decisionMotivation: `Motif de refus ${tag}, assez long pour être valable.`,
  });
  await insertDocumentRecord(refused.id, 'ID_DOCUMENT', `piece-${tag}.pdf`);
  await query(
    `INSERT INTO permit_request_events (request_id, kind, status, message, visible_to_family, actor_type)
     VALUES ($1, 'MESSAGE', NULL, $2, true, 'AGENT'), ($1, 'NOTE', NULL, $3, false, 'AGENT')`,
    [refused.id, `Message à la famille ${tag}`, `Note interne ${tag}`],
  );
  const past = await insertVisit({
    establishmentId: s.establishment.id,
    roomId: s.room.id,
    detaineeId: s.detainee.id,
    startsAt: new Date(Date.now() - 20 * DAY),
    permitIds: [s.permit.id],
    namedVisitors: [{ givenName: `Enfant-${tag}`, familyName: names.familyName, birthdate: '2015-06-01' }],
    familyAccountId: s.family.id,
    channel: 'ONLINE',
  });
  const appointment = await insertAppointment({ establishmentId: s.establishment.id, familyAccountId: s.family.id, kind: 'VIDEO_CALL' });
  const waiting = await insertWaitlistEntry({
    establishmentId: s.establishment.id,
    templateId: s.template.id,
    day: dayIn(10),
    startsAt: at(dayIn(10), '14:00'),
    familyAccountId: s.family.id,
    detaineeId: s.detainee.id,
    permitIds: [s.permit.id],
  });
  const c = await insertFamilyVisitCase({ establishmentId: s.establishment.id, detaineeId: s.detainee.id, kind: 'PF' });
  const fv = await insertVisitorRequest(
    { caseId: c.id, establishmentId: s.establishment.id, detaineeId: s.detainee.id },
    { familyAccountId: s.family.id, visitorGivenName: names.givenName, visitorFamilyName: names.familyName },
  );
  await insertSentMessage({
    channel: 'EMAIL',
    to: s.family.email,
    subject: `Votre rendez-vous ${tag}`,
    body: 'Texte',
    entityType: 'appointment',
    entityId: appointment.id,
  });
  await insertSentMessage({
    channel: 'SMS',
    to: phone,
    subject: null,
    body: `SMS ${tag}`,
    entityType: 'visit_waitlist',
    entityId: waiting.id,
  });
  return { tag, s, refused, past, appointment, case: c, fv, phone };
}

async function exportsOf(agent: Agent): Promise<{ json: ExportJson; pdf: string }> {
  const json = await agent
    .get('/mes-donnees/telecharger.json')
    .expect(200)
    .expect('Content-Type', /application\/json/);
  expect(json.headers['content-disposition']).toBe('attachment; filename="mes-donnees-p2v.json"');
  const pdf = await agent
    .get('/mes-donnees/telecharger.pdf')
    .buffer(true)
    .parse(binary)
    .expect(200)
    .expect('Content-Type', 'application/pdf');
  expect(pdf.headers['content-disposition']).toBe('attachment; filename="mes-donnees-p2v.pdf"');
  return { json: JSON.parse(json.text) as ExportJson, pdf: await pdfText(pdf.body as Buffer) };
}

async function account(id: string) {
  return queryOne<{ closedAt: Date | null; email: string | null; mobilePhone: string | null; givenName: string }>(
    `SELECT closed_at AS "closedAt", email, mobile_phone AS "mobilePhone", given_name AS "givenName" FROM family_accounts WHERE id = $1`,
    [id],
  );
}

describe('« Mes données »: the family downloads everything P2V holds about it', () => {
  // The account, requests with their documents and history, permits, visits with their visitors, waiting list, UVF / PF, appointments, messages.
  it('exports all of the family’s data, in the PDF and in the JSON file, and nothing of another family', async () => {
    const a = await familyWithData('A', { givenName: 'Łukasz', familyName: 'Nguyễn', detainee: { firstName: 'محمد', lastName: 'Haddad' } });
    const b = await familyWithData('B', {
      givenName: 'Ayşe',
      familyName: 'Yılmaz',
      detainee: { firstName: 'Ştefan', lastName: 'Ionescu' },
    });
    for (const [mine, other] of [
      [a, b],
      [b, a],
    ] as const) {
      const agent = await signInFamily(suite.app.url, mine.s.family);
      const { json, pdf } = await exportsOf(agent);
      const f = mine.s.family;
      expect(json.account).toMatchObject({
        givenName: f.givenName,
        familyName: f.familyName,
        birthdate: f.birthdate,
        email: f.email,
        mobilePhone: mine.phone,
      });
      expect(json.permitRequests).toEqual([
        expect.objectContaining({
          reference: mine.refused.reference,
          statusLabel: 'Refusée',
          detainee: `${mine.s.detainee.firstName} ${mine.s.detainee.lastName}`,
          documents: [expect.objectContaining({ kind: 'ID_DOCUMENT', kindLabel: 'Pièce d’identité', name: `piece-${mine.tag}.pdf` })],
          history: [expect.objectContaining({ message: `Message à la famille ${mine.tag}` })],
        }),
      ]);
      expect(json.permits.map((p) => p.visitor.familyName)).toEqual(expect.arrayContaining([f.familyName]));
      expect(json.visits).toEqual([
        expect.objectContaining({
          reference: mine.past.reference,
          visitors: expect.arrayContaining([
            expect.objectContaining({ givenName: f.givenName, familyName: f.familyName }),
            expect.objectContaining({ givenName: `Enfant-${mine.tag}` }),
          ]) as unknown,
        }),
      ]);
      expect(json.waitingList).toEqual([expect.objectContaining({ statusLabel: 'En attente d’une place' })]);
      expect(json.familyVisits.requests).toEqual([expect.objectContaining({ caseReference: mine.case.reference, kind: 'PF' })]);
      expect(json.appointments).toEqual([
        expect.objectContaining({ reference: mine.appointment.reference, kindLabel: 'Appel en visiophonie' }),
      ]);
      expect(json.messages.map((m) => [m.channel, m.to, m.subject, m.text])).toEqual([
        ['EMAIL', f.email, `Votre rendez-vous ${mine.tag}`, null],
        ['SMS', mine.phone, null, `SMS ${mine.tag}`],
      ]);
      // Dates on the clock of Paris; never a document's content, never a staff's note.
      expect(json.generatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[12]:00$/);
      const text = JSON.stringify(json);
      expect(text).not.toContain('Note interne');
      expect(text).not.toContain('storage');
      expect(text).not.toContain('sha256');

      // The PDF: the same content, headings per section, in French, every script as written.
      for (const words of [
        'Mes données dans P2V',
        'Mon compte',
        'Mes demandes de permis de visite',
        'Mes permis de visite',
        'Mes visites au parloir',
        'Mes inscriptions sur liste d’attente',
        'Mes demandes d’UVF et de parloir familial',
        'Les messages que P2V m’a envoyés',
        `${f.givenName} ${f.familyName}`,
        `${mine.s.detainee.firstName} ${mine.s.detainee.lastName}`,
        mine.refused.reference!,
        mine.past.reference,
        mine.case.reference,
        `piece-${mine.tag}.pdf`,
        `Motif de refus ${mine.tag}`,
        'heure de Paris',
      ])
        expect(pdf).toContain(words);
      expect(pdf).not.toContain('□');
      expect(pdf).not.toContain('Note interne');

      // Nothing of the other family, in either file.
      for (const theirs of [
        other.s.family.givenName,
        other.s.family.familyName,
        other.s.family.email,
        other.phone,
        other.s.detainee.lastName,
        other.refused.reference!,
        other.past.reference,
        other.case.reference,
        other.appointment.reference,
      ]) {
        expect(text).not.toContain(theirs);
        expect(pdf).not.toContain(theirs);
      }
    }
  });

  it('records one audit entry per download, with its format', async () => {
    const family = await insertFamily({ givenName: 'Thị Hoa', familyName: 'Nguyễn' });
    const agent = await signInFamily(suite.app.url, family);
    await exportsOf(agent);
    await agent.get('/mes-donnees/telecharger.json').expect(200);
    const entries = await query<{ action: string; actorType: string; actorLabel: string; format: string; entityId: string }>(
      `SELECT action, actor_type AS "actorType", actor_label AS "actorLabel", after->>'format' AS format, entity_id AS "entityId"
         FROM audit_log WHERE action = 'FAMILY_DATA_EXPORTED' AND actor_id = $1 ORDER BY id`,
      [family.id],
    );
    expect(entries).toEqual(
      ['JSON', 'PDF', 'JSON'].map((format) => ({
        action: 'FAMILY_DATA_EXPORTED',
        actorType: 'FAMILY',
        actorLabel: 'Thị Hoa Nguyễn',
        format,
        entityId: family.id,
      })),
    );
    // The next export lists the downloads among the connections.
    const { json } = await exportsOf(agent);
    expect(json.connections.filter((c) => c.event === 'FAMILY_DATA_EXPORTED')).toHaveLength(3);
  });

  it('is linked from « Mon espace » and the family’s menu, says what the files hold, and is for families only', async () => {
    const family = await insertFamily({ givenName: 'Ayşe', familyName: 'Yılmaz' });
    const agent = await signInFamily(suite.app.url, family);
    const home = page(await agent.get('/mon-espace').expect(200));
    expect(home.testId('my-data-link').attr('href')).toBe('/mes-donnees');
    const menu = home
      .$('#navigation a')
      .toArray()
      .map((l) => [home.$(l).text().trim(), home.$(l).attr('href')]);
    expect(menu).toContainEqual(['Mes données', '/mes-donnees']);
    const mine = page(await agent.get('/mes-donnees').expect(200));
    expect(mine.heading()).toBe('Mes données');
    expect(mine.testId('download-pdf').attr('href')).toBe('/mes-donnees/telecharger.pdf');
    expect(mine.testId('download-json').attr('href')).toBe('/mes-donnees/telecharger.json');
    expect(mine.text('data-summary')).toContain('0 demande de permis');
    expect(mine.testId('close-account-link').attr('href')).toBe('/mes-donnees/fermer-mon-compte');
    expect(mine.has('close-not-yet')).toBe(false);

    const { establishment } = await insertBookingSetup();
    const greffe = await signInAgent(suite.app.url, await insertAgent([{ establishmentId: establishment.id, role: 'PERMITS_OFFICER' }]));
    for (const path of ['/mes-donnees', '/mes-donnees/telecharger.pdf', '/mes-donnees/telecharger.json', '/mes-donnees/fermer-mon-compte'])
      await greffe.get(path).expect(403);
    const form = page(await greffe.get('/deconnexion').expect(200));
    await greffe.post('/mes-donnees/fermer-mon-compte').type('form').send({ _csrf: form.csrf() }).expect(403);
    await suite.app.http().get('/mes-donnees/telecharger.json').expect(401);
  });

  it('exports every table that holds a family account’s data', async () => {
    const tables = await query<{ table: string }>(
      `SELECT table_name AS table FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'family_account_id' ORDER BY 1`,
    );
    expect(tables.map((t) => t.table).filter((t) => !(EXPORTED_TABLES as readonly string[]).includes(t))).toEqual([]);
  });
});

/** The sentence of each blocker of the closure page, and the page's form (none when refused). */
async function closurePage(agent: Agent) {
  const p = page(await agent.get('/mes-donnees/fermer-mon-compte').expect(200));
  expect(p.heading()).toBe('Fermer mon compte');
  return p;
}

/** Tries to close: the refusal's page (409), the account unchanged. */
async function refusedClosure(agent: Agent, family: FamilyRow, csrf: string) {
  const refused = page(await agent.post('/mes-donnees/fermer-mon-compte').type('form').send({ _csrf: csrf }).expect(409));
  expect(refused.text('close-refused')).toContain('Votre compte n’a pas été fermé');
  expect((await account(family.id)).closedAt).toBeNull();
  await agent.get('/mon-espace').expect(200);
  return refused;
}

describe('closing the account', () => {
  it('is refused while a procedure is pending, saying which, when it becomes possible and where to act, for each kind', async () => {
    const s = await insertBookingSetup({
      family: { givenName: 'Łukasz', familyName: 'Nguyễn' },
      detainee: { firstName: 'Ştefan', lastName: 'Ionescu' },
    });
    const agentRow = await insertAgent([{ establishmentId: s.establishment.id, role: 'HEAD_OF_ESTABLISHMENT' }]);
    const visitDay = at(dayIn(12), '14:00');
    const cases: { name: string; make: (f: FamilyRow) => Promise<unknown>; when: string | RegExp }[] = [
      {
        name: 'a request not sent',
        make: (f) =>
          insertPermitRequest({
            familyAccountId: f.id,
            establishmentId: s.establishment.id,
            detaineeId: s.detainee.id,
            status: 'DRAFT',
            step: 3,
          }),
        when: 'Envoyez-la ou supprimez-la, puis revenez ici.',
      },
      {
        name: 'a request not decided',
        make: (f) =>
          insertPermitRequest({ familyAccountId: f.id, establishmentId: s.establishment.id, detaineeId: s.detainee.id, status: 'READY' }),
        when: /^Vous pourrez fermer votre compte quand la demande PV-\S+ aura reçu une réponse, ou si vous la retirez\.$/,
      },
      {
        name: 'a visit to come',
        make: (f) =>
          insertVisit({
            establishmentId: s.establishment.id,
            roomId: s.room.id,
            detaineeId: s.detainee.id,
            startsAt: visitDay,
            permitIds: [s.permit.id],
            familyAccountId: f.id,
            channel: 'ONLINE',
          }),
        when: `Vous pourrez fermer votre compte après votre visite du ${PARIS_DAY.format(visitDay)}, ou si vous l’annulez.`,
      },
      {
        name: 'a waiting-list entry',
        make: (f) =>
          insertWaitlistEntry({
            establishmentId: s.establishment.id,
            templateId: s.template.id,
            day: dayIn(12),
            startsAt: visitDay,
            familyAccountId: f.id,
            detaineeId: s.detainee.id,
            permitIds: [s.permit.id],
          }),
        when: `Vous pourrez fermer votre compte après le ${PARIS_DAY.format(visitDay)}, ou si vous quittez la liste d’attente.`,
      },
      {
        name: 'a UVF request not decided',
        make: async (f) => {
          const c = await insertFamilyVisitCase({ establishmentId: s.establishment.id, detaineeId: s.detainee.id });
          return insertVisitorRequest(
            { caseId: c.id, establishmentId: s.establishment.id, detaineeId: s.detainee.id },
            { familyAccountId: f.id },
          );
        },
        when: /^Vous pourrez fermer votre compte quand la demande du dossier \S+ aura reçu une réponse, ou si vous la retirez\.$/,
      },
      {
        name: 'a stay to come',
        make: async (f) => {
          const unit = await insertUnit(s.establishment.id, { kind: 'UVF', name: unique('UVF ') });
          const uvf = await insertAuthorisedCase(s.establishment.id, { familyAccountId: f.id });
          return insertStay({ caseId: uvf.caseId, unitId: unit.id, from: new Date(Date.now() + 20 * DAY), hours: 24 });
        },
        when: `Vous pourrez fermer votre compte après ce séjour, à partir du ${PARIS_DAY.format(new Date(Date.now() + 21 * DAY))}.`,
      },
      {
        name: 'a video call booked',
        make: (f) =>
          insertAppointment({ establishmentId: s.establishment.id, familyAccountId: f.id, kind: 'VIDEO_CALL', startsAt: visitDay }),
        when: `Vous pourrez fermer votre compte après cet appel, le ${PARIS_DAY.format(visitDay)}, ou si vous l’annulez.`,
      },
      {
        name: 'a SPIP interview booked',
        make: (f) =>
          insertAppointment({ establishmentId: s.establishment.id, familyAccountId: f.id, kind: 'SPIP_INTERVIEW', startsAt: visitDay }),
        when: `Vous pourrez fermer votre compte après cet entretien, le ${PARIS_DAY.format(visitDay)}, ou si vous l’annulez.`,
      },
      {
        name: 'a measure envisaged on a permit',
        make: async (f) => {
          const permit = await insertPermit({ establishmentId: s.establishment.id, detaineeId: s.detainee.id, familyAccountId: f.id });
          return insertProposedMeasure({
            permitId: permit.id,
            establishmentId: s.establishment.id,
            agentId: agentRow.id,
            observationsDue: dayIn(10),
          });
        },
        when: 'Vous pourrez fermer votre compte quand la décision sur ce permis aura été prise.',
      },
    ];
    for (const c of cases) {
      const when: unknown = typeof c.when === 'string' ? c.when : expect.stringMatching(c.when);
      const family = await insertFamily({ givenName: 'Łucja', familyName: `Nguyễn ${c.name}` });
      const agent = await signInFamily(suite.app.url, family);
      // The form is read before the procedure starts: the closure itself checks again.
      const open = await closurePage(agent);
      expect({ case: c.name, form: open.has('close-form') }).toEqual({ case: c.name, form: true });
      await c.make(family);
      const p = await closurePage(agent);
      expect({ case: c.name, form: p.has('close-form'), blockers: p.texts('blocker-when') }).toEqual({
        case: c.name,
        form: false,
        blockers: [when],
      });
      expect(p.testId('blocker').find('a').attr('href')).toMatch(/^\//);
      const overview = page(await agent.get('/mes-donnees').expect(200));
      expect(overview.text('close-not-yet')).toContain('1 démarche est en cours');
      const refused = await refusedClosure(agent, family, open.csrf());
      expect({ case: c.name, blockers: refused.texts('blocker-when') }).toEqual({ case: c.name, blockers: [when] });
      const audit = await query(`SELECT 1 FROM audit_log WHERE action = 'FAMILY_ACCOUNT_CLOSED' AND entity_id = $1`, [family.id]);
      expect(audit).toEqual([]);
    }
  });

  it('closes the account: signs the family out everywhere, erases its contact details, keeps the records the law keeps, and audits it', async () => {
    const s = await insertBookingSetup({
      family: { givenName: 'Nguyễn', familyName: 'Văn An' },
      detainee: { firstName: 'محمد', lastName: 'Haddad' },
    });
    await setPhone(s.family.id, '+33611223344');
    const past = await insertVisit({
      establishmentId: s.establishment.id,
      roomId: s.room.id,
      detaineeId: s.detainee.id,
      startsAt: new Date(Date.now() - 10 * DAY),
      permitIds: [s.permit.id],
      familyAccountId: s.family.id,
      channel: 'ONLINE',
    });
    const appointment = await insertAppointment({
      establishmentId: s.establishment.id,
      familyAccountId: s.family.id,
      startsAt: new Date(Date.now() - 10 * DAY),
    });
    await query(`UPDATE appointments SET contact_email = $2, contact_phone = '+33611223344' WHERE id = $1`, [
      appointment.id,
      s.family.email,
    ]);
    const granted = await insertPermitRequest({
      familyAccountId: s.family.id,
      establishmentId: s.establishment.id,
      detaineeId: s.detainee.id,
      status: 'GRANTED',
    });
    const agent = await signInFamily(suite.app.url, s.family);
    const otherDevice = await signInFamily(suite.app.url, s.family);

    const confirm = await closurePage(agent);
    const consequences = confirm
      .testId('close-consequences')
      .find('li')
      .toArray()
      .map((li) => confirm.$(li).text().replace(/\s+/g, ' ').trim());
    expect(consequences).toEqual([
      'Vous serez déconnecté de P2V et de FranceConnect.',
      'Votre adresse électronique et votre numéro de téléphone seront effacés, ainsi que ceux de vos anciens rendez-vous. P2V ne vous enverra plus de message.',
      'Vos permis restent valables. Pour réserver une visite, vous pourrez appeler le parloir de l’établissement.',
      'Les décisions, les permis, les courriers et l’historique des visites sont gardés pendant la durée que la loi impose, puis supprimés.',
      'Si vous vous connectez à nouveau avec FranceConnect, votre compte sera rouvert et vous retrouverez ces informations.',
    ]);
    expect(confirm.testId('close-form').attr('method')).toBe('post');
    expect(confirm.link('Non, garder mon compte')).toBe('/mes-donnees');

    const closed = await agent
      .post('/mes-donnees/fermer-mon-compte')
      .type('form')
      .send(confirm.formFields('/mes-donnees/fermer-mon-compte'))
      .expect(303);
    // Signed out of P2V, then sent to the provider's end_session.
    const end = new URL(closed.headers.location);
    expect(end.pathname).toBe('/demo-idp/session/end');
    const state = end.searchParams.get('state')!;
    await agent.get('/mon-espace').expect(401);
    await otherDevice.get('/mon-espace').expect(401);
    await otherDevice.get('/mes-donnees/telecharger.json').expect(401);
    const ended = page(await agent.get(`/deconnexion/fin?state=${state}`).expect(200));
    expect(ended.heading()).toBe('Votre compte est fermé');
    expect(ended.text('account-closed')).toContain('Votre compte P2V est fermé et vous êtes déconnecté.');

    // Contact details erased; the account's identity and the records stay.
    expect(await account(s.family.id)).toEqual({
      closedAt: expect.any(Date) as unknown,
      email: null,
      mobilePhone: null,
      givenName: 'Nguyễn',
    });
    expect(
      await queryOne(`SELECT contact_email AS "email", contact_phone AS "phone" FROM appointments WHERE id = $1`, [appointment.id]),
    ).toEqual({
      email: null,
      phone: null,
    });
    expect(await query(`SELECT id FROM permit_requests WHERE id = $1`, [granted.id])).toHaveLength(1);
    expect(await query(`SELECT id FROM permits WHERE id = $1 AND status = 'ACTIVE'`, [s.permit.id])).toHaveLength(1);
    expect(await query(`SELECT id FROM visits WHERE id = $1`, [past.id])).toHaveLength(1);

    const audit = await query<{ action: string; actorLabel: string; before: unknown; after: Record<string, unknown> }>(
      `SELECT action, actor_label AS "actorLabel", before, after FROM audit_log
        WHERE entity_id = $1 AND action IN ('FAMILY_ACCOUNT_CLOSED', 'FAMILY_SIGNED_OUT') ORDER BY id`,
      [s.family.id],
    );
    expect(audit.map((e) => e.action)).toEqual(['FAMILY_ACCOUNT_CLOSED', 'FAMILY_SIGNED_OUT']);
    expect(audit[0]).toMatchObject({
      actorLabel: 'Nguyễn Văn An',
      after: { closedAt: expect.any(String) as unknown, email: null, mobilePhone: null, appointmentContactsErased: 1 },
    });
    // The audit log keeps no trace of what was erased.
    expect(JSON.stringify(audit)).not.toContain(s.family.email);
    expect(JSON.stringify(audit)).not.toContain('+33611223344');
  });

  it('refuses the closure without its CSRF token, and the account stays open', async () => {
    const family = await insertFamily({ givenName: 'Ştefan', familyName: 'Ionescu' });
    const agent = await signInFamily(suite.app.url, family);
    await closurePage(agent);
    const refused = page(await agent.post('/mes-donnees/fermer-mon-compte').type('form').send({}).expect(403));
    expect(refused.mainText()).toContain('Le formulaire a expiré');
    await agent.post('/mes-donnees/fermer-mon-compte').type('form').send({ _csrf: 'not-the-token' }).expect(403);
    expect(await account(family.id)).toMatchObject({ closedAt: null, email: family.email });
    await agent.get('/mes-donnees').expect(200);
  });

  it('reopens the same account when the family signs in again with FranceConnect: its records come back, its phone number does not', async () => {
    const s = await insertBookingSetup({ family: { givenName: 'Łucja', familyName: 'Wiśniewska' } });
    await setPhone(s.family.id);
    const agent = await signInFamily(suite.app.url, s.family);
    const confirm = await closurePage(agent);
    await agent.post('/mes-donnees/fermer-mon-compte').type('form').send({ _csrf: confirm.csrf() }).expect(303);
    expect(await account(s.family.id)).toMatchObject({ email: null, mobilePhone: null });

    const again = await signInFamily(suite.app.url, s.family);
    const home = page(await again.get('/mon-espace').expect(200));
    expect(home.text('greeting')).toBe('Bonjour Łucja Wiśniewska.');
    expect(home.text('mobile-phone')).toBe('non renseigné');
    expect(await account(s.family.id)).toEqual({ closedAt: null, email: s.family.email, mobilePhone: null, givenName: 'Łucja' });
    expect(await query(`SELECT id FROM family_accounts WHERE fc_subject = $1`, [`fc-custom-${s.family.email}`])).toHaveLength(1);
    const permits = page(await again.get('/permis').expect(200));
    expect(permits.mainText()).toContain(s.detainee.lastName);
    const reopened = await query<{ before: { closedAt: string } }>(
      `SELECT before FROM audit_log WHERE action = 'FAMILY_ACCOUNT_REOPENED' AND entity_id = $1`,
      [s.family.id],
    );
    expect(reopened).toEqual([{ before: { closedAt: expect.any(String) as unknown } }]);
  });
});

describe('closing the account while a booking is made (real concurrency, PostgreSQL server)', () => {
  /** The embedded database runs one transaction at a time: there is no concurrency to prove there (CI runs these on PostgreSQL). */
  const onServer = () => Boolean(serverUrl());

  async function lockingClient(): Promise<Client> {
    const c = new Client({ connectionString: testDatabaseUrl() });
    await c.connect();
    await c.query('BEGIN');
    return c;
  }

  async function bookingForm(agent: Agent) {
    const form = page(await agent.get('/visites/reserver').expect(200));
    const [slot] = form.options('slot');
    return { ...form.formFields('/visites/reserver'), slot };
  }

  async function setupWithPastAppointment(): Promise<{ s: BookingSetup; appointmentId: string }> {
    const s = await insertBookingSetup({
      family: { givenName: 'Ayşe', familyName: 'Yılmaz' },
      detainee: { firstName: 'محمد', lastName: 'Haddad' },
    });
    const past = await insertAppointment({
      establishmentId: s.establishment.id,
      familyAccountId: s.family.id,
      startsAt: new Date(Date.now() - 3 * DAY),
    });
    await query(`UPDATE appointments SET contact_email = $2 WHERE id = $1`, [past.id, s.family.email]);
    return { s, appointmentId: past.id };
  }

  it('lets no booking slip in: a booking made while the account closes waits for it, then is refused', async () => {
    if (!onServer()) return;
    const { s, appointmentId } = await setupWithPastAppointment();
    const closing = await signInFamily(suite.app.url, s.family);
    const booking = await signInFamily(suite.app.url, s.family);
    const confirm = await closurePage(closing);
    const fields = await bookingForm(booking);
    // Holds the closure after it locked the account: its erasure of the old appointment's contact waits for this row.
    const blocker = await lockingClient();
    try {
      await blocker.query(`SELECT id FROM appointments WHERE id = $1 FOR UPDATE`, [appointmentId]);
      const closed = closing
        .post('/mes-donnees/fermer-mon-compte')
        .type('form')
        .send({ _csrf: confirm.csrf() })
        .then((r) => r);
      await waitingOnLock('UPDATE appointments%');
      const booked = booking
        .post('/visites/reserver')
        .type('form')
        .send(fields)
        .then((r) => r);
      await waitingOnLock('INSERT INTO visits%');
      await blocker.query('COMMIT');
      expect((await closed).status).toBe(303);
      const refused = await booked;
      expect(refused.status).toBe(401);
      expect(page(refused).mainText()).toContain('Votre compte P2V a été fermé : cette demande n’a pas été enregistrée.');
    } finally {
      await blocker.end();
    }
    expect(await query(`SELECT id FROM visits WHERE family_account_id = $1`, [s.family.id])).toEqual([]);
    expect((await account(s.family.id)).closedAt).not.toBeNull();
  });

  it('a booking committed first keeps the account open: the closure waits for it, then names the visit', async () => {
    if (!onServer()) return;
    const { s } = await setupWithPastAppointment();
    const agent = await signInFamily(suite.app.url, s.family);
    const confirm = await closurePage(agent);
    const booking = await lockingClient();
    const startsAt = at(dayIn(9), '10:00');
    try {
      // An online booking under way: its visit is written, not yet committed (the trigger holds the account FOR KEY SHARE).
      const slot = await booking.query<{ id: string }>(
        `INSERT INTO visit_slots (room_id, starts_at, ends_at, capacity, booked) VALUES ($1, $2, $3, 10, 1) RETURNING id`,
        [s.room.id, startsAt, new Date(startsAt.getTime() + 3_600_000)],
      );
      await booking.query(
        `INSERT INTO visits (establishment_id, slot_id, detainee_id, family_account_id, reference, channel, during)
         VALUES ($1, $2, $3, $4, $5, 'ONLINE', tstzrange($6, $7))`,
        [
          s.establishment.id,
          slot.rows[0].id,
          s.detainee.id,
          s.family.id,
          unique('V').slice(-12),
          startsAt,
          new Date(startsAt.getTime() + 3_600_000),
        ],
      );
      const closed = agent
        .post('/mes-donnees/fermer-mon-compte')
        .type('form')
        .send({ _csrf: confirm.csrf() })
        .then((r) => r);
      await waitingOnLock('SELECT "FamilyAccount"%');
      await booking.query('COMMIT');
      const refused = page(await closed);
      expect(refused.texts('blocker-when')).toEqual([
        `Vous pourrez fermer votre compte après votre visite du ${PARIS_DAY.format(startsAt)}, ou si vous l’annulez.`,
      ]);
    } finally {
      await booking.end();
    }
    expect((await account(s.family.id)).closedAt).toBeNull();
  });
});
