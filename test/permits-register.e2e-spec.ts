import { insertAgent, insertDetainee, insertEstablishment, insertFamily, type EstablishmentRow, type FamilyRow } from './factories/people';
import { insertPermit, insertPermitRequest, insertRequestDocuments } from './factories/permits';
import { insertProposedMeasure, sendDocument, setPermitFlags, setRequestTimes } from './factories/register';
import { setPermitTerms } from './factories/validity';
import { at, dayIn, insertRoom, insertVisit } from './factories/visits';
import { query } from './helpers/db';
import { onePagePdf, photoPng } from './helpers/files';
import { page } from './helpers/html';
import { filesIn, newRequest, permitsApp, postStep, refusedUpload, uploadStep } from './helpers/permits';
import { type Agent, signInAgent, signInFamily } from './helpers/sign-in';

/**
 * Issue 10, the request itself and the staff side: complementary documents, a minor's request,
 * withdrawal by the family, the permits register, the head's dashboard, the litigation hold.
 */
const suite = permitsApp();

let establishment: EstablishmentRow;
let elsewhere: EstablishmentRow;
let detainee: { id: string; ecrouNumber: string; lastName: string };
const as = {} as Record<'greffe' | 'chef' | 'parloir' | 'greffeElsewhere', Agent>;
let chefId: string;

beforeAll(async () => {
  establishment = await insertEstablishment({ name: 'Centre de détention de Şanlıurfa' });
  elsewhere = await insertEstablishment();
  detainee = await insertDetainee(establishment.id, { firstName: 'Ștefan', lastName: 'Łukasiewicz', legalStatus: 'CONDAMNE' });
  const role = (r: 'PERMITS_OFFICER' | 'HEAD_OF_ESTABLISHMENT' | 'PARLOIR_AGENT', at = establishment) => [
    { establishmentId: at.id, role: r },
  ];
  const greffe = await insertAgent(role('PERMITS_OFFICER'), { givenName: 'Ayşe', usualName: 'Yılmaz' });
  const chef = await insertAgent(role('HEAD_OF_ESTABLISHMENT'), { givenName: 'Zofia', usualName: 'Wiśniewska' });
  chefId = chef.id;
  const parloir = await insertAgent(role('PARLOIR_AGENT'), { givenName: 'Thị Lan', usualName: 'Nguyễn' });
  const other = await insertAgent(role('PERMITS_OFFICER', elsewhere), { givenName: 'Gül', usualName: 'Demir' });
  as.greffe = await signInAgent(suite.app.url, greffe);
  as.chef = await signInAgent(suite.app.url, chef);
  as.parloir = await signInAgent(suite.app.url, parloir);
  as.greffeElsewhere = await signInAgent(suite.app.url, other);
});

async function family(): Promise<{ family: FamilyRow; agent: Agent }> {
  const created = await insertFamily({ givenName: 'Łucja', familyName: 'Nguyễn-Şahin' });
  return { family: created, agent: await signInFamily(suite.app.url, created) };
}

async function sentRequest(familyAccountId: string, status: 'SUBMITTED' | 'INCOMPLETE' | 'READY' = 'SUBMITTED') {
  const r = await insertPermitRequest({
    familyAccountId,
    establishmentId: establishment.id,
    detaineeId: detainee.id,
    status,
    visitorGivenName: 'Đặng',
    visitorFamilyName: 'محمود',
  });
  return { ...r, documents: await insertRequestDocuments(suite.docs, r.id) };
}

describe('complementary documents', () => {
  it('a family adds a livret de famille to a sent request; the photo and the ID stay; staff see it with its label', async () => {
    const { family: f, agent } = await family();
    const r = await sentRequest(f.id);
    const sent = await sendDocument(agent, r.id, 'LIVRET_FAMILLE', await onePagePdf('Livret de famille'), 'livret-łucja.pdf');
    expect(sent.status).toBe(303);
    const second = await sendDocument(agent, r.id, 'LIVRET_FAMILLE', await onePagePdf('Livret, page 2'), 'livret-2.pdf');
    expect(second.status).toBe(303);
    const current = await query<{ kind: string; id: string }>(
      `SELECT kind, id FROM permit_documents WHERE request_id = $1 AND current ORDER BY kind, created_at`,
      [r.id],
    );
    expect(current.map((d) => d.kind)).toEqual(['ID_DOCUMENT', 'LIVRET_FAMILLE', 'LIVRET_FAMILLE', 'PHOTO', 'PROOF_OF_ADDRESS']);
    expect(current.find((d) => d.kind === 'PHOTO')!.id).toBe(r.documents.PHOTO.id);
    expect(current.find((d) => d.kind === 'ID_DOCUMENT')!.id).toBe(r.documents.ID_DOCUMENT.id);
    // While simply sent, the photo cannot be replaced (only when the establishment asks for it).
    const photo = await sendDocument(agent, r.id, 'PHOTO', await photoPng(), 'photo.png');
    expect(photo.status).toBe(303);
    expect(page(await agent.get(photo.headers.location).expect(400)).errors()).toEqual([
      'La photo, la pièce d’identité et le justificatif de domicile ne se remplacent que si l’établissement le demande.',
    ]);
    const detail = page(await agent.get(`/demandes/${r.id}`).expect(200));
    expect(detail.texts('document').filter((t) => t.startsWith('Livret de famille'))).toHaveLength(2);
    const staff = page(await as.greffe.get(`/etablissements/${establishment.code}/permis/demandes/${r.id}`).expect(200));
    expect(staff.texts('document-kind')).toEqual([
      'Pièce d’identité',
      'Livret de famille',
      'Livret de famille',
      'Photo d’identité',
      'Justificatif de domicile',
    ]);
    const audit = await query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'PERMIT_DOCUMENT_UPLOADED' AND after->>'request' = $1`,
      [r.id],
    );
    expect(audit).toEqual([{ n: 2 }]);
  });

  it('no document can be added once the request is ready for decision', async () => {
    const { family: f, agent } = await family();
    const r = await sentRequest(f.id, 'READY');
    const res = await sendDocument(agent, r.id, 'OTHER', await onePagePdf('Autre'), 'autre.pdf', '/demandes');
    expect(res.status).toBe(303);
    expect(page(await agent.get(res.headers.location).expect(400)).errors()).toEqual([
      'Cette demande ne peut plus recevoir de documents. Suivez-la dans « Mes demandes de permis ».',
    ]);
  });
});

describe('a minor visitor', () => {
  it('needs the parental-authority holders’ consent before sending, and may be identified by a birth certificate', async () => {
    const { agent } = await family();
    const id = await newRequest(agent);
    expect(
      (await postStep(agent, id, 1, { establishment: establishment.code, ecrou: detainee.ecrouNumber, lastName: detainee.lastName }))
        .status,
    ).toBe(303);
    expect((await postStep(agent, id, 2, { understood: 'oui' })).status).toBe(303);
    expect(
      (await postStep(agent, id, 3, { forWhom: 'autre', givenName: 'Zeynep', familyName: 'Şahin', birthdate: '14/03/2016' })).status,
    ).toBe(303);
    expect((await postStep(agent, id, 4, { relationship: 'DESCENDANT' })).status).toBe(303);
    expect((await uploadStep(agent, id, 5, await photoPng(), 'zeynep.png')).status).toBe(303);
    const step6 = page(await agent.get(`/demandes/${id}/etape/6`).expect(200));
    expect(step6.options('idType')).toEqual(expect.arrayContaining(['ACTE_NAISSANCE', 'LIVRET_FAMILLE', 'CNI']));
    expect(step6.has('minor-id-hint')).toBe(true);
    const birth = await uploadStep(agent, id, 6, await onePagePdf('Acte de naissance'), 'acte.pdf', { idType: 'ACTE_NAISSANCE' });
    expect(birth.status).toBe(303);
    expect((await uploadStep(agent, id, 7, await photoPng(), 'facture.png')).status).toBe(303);
    expect((await postStep(agent, id, 8, {})).status).toBe(303);
    const summary = page(await agent.get(`/demandes/${id}/etape/9`).expect(200));
    expect(summary.text('missing')).toBe('Il manque encore : l’autorisation des titulaires de l’autorité parentale.');
    const refused = await postStep(agent, id, 9, {});
    expect(refused.status).toBe(400);
    expect(page(refused).errors()).toEqual([
      'Il manque encore : l’autorisation des titulaires de l’autorité parentale. Complétez la demande, puis envoyez-la.',
    ]);
    const consent = await sendDocument(
      agent,
      id,
      'PARENTAL_CONSENT',
      await onePagePdf('Autorisation'),
      'autorisation.pdf',
      `/demandes/${id}/etape/9`,
    );
    expect(consent.status).toBe(303);
    const ready = page(await agent.get(`/demandes/${id}/etape/9`).expect(200));
    expect(ready.has('missing')).toBe(false);
    expect(ready.texts('summary-document')).toContain('Autorisation des titulaires de l’autorité parentale : autorisation.pdf');
    const sent = await postStep(agent, id, 9, {});
    expect(sent.status).toBe(303);
    expect(await query(`SELECT status, id_document_type FROM permit_requests WHERE id = $1`, [id])).toEqual([
      { status: 'SUBMITTED', id_document_type: 'ACTE_NAISSANCE' },
    ]);
  });

  it('an adult’s identity cannot be a birth certificate: not offered, refused if sent', async () => {
    const { family: f, agent } = await family();
    const draft = await insertPermitRequest({
      familyAccountId: f.id,
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      status: 'DRAFT',
      step: 6,
    });
    const step6 = page(await agent.get(`/demandes/${draft.id}/etape/6`).expect(200));
    expect(step6.options('idType')).not.toContain('ACTE_NAISSANCE');
    const res = await refusedUpload(
      agent,
      draft.id,
      6,
      await uploadStep(agent, draft.id, 6, await onePagePdf('Acte'), 'acte.pdf', { idType: 'ACTE_NAISSANCE' }),
    );
    expect(page(res).fieldError('idType')).toContain('Le livret de famille et l’acte de naissance ne servent que pour un enfant mineur');
  });
});

describe('withdrawal by the family', () => {
  it('withdraws its own request after a confirmation page; the queue no longer shows it; another family gets 404', async () => {
    const { family: f, agent } = await family();
    const r = await sentRequest(f.id, 'INCOMPLETE');
    const detail = page(await agent.get(`/demandes/${r.id}`).expect(200));
    expect(detail.testId('withdraw-link').attr('href')).toBe(`/demandes/${r.id}/retirer`);
    const other = await family();
    await other.agent.get(`/demandes/${r.id}/retirer`).expect(404);
    const confirm = page(await agent.get(`/demandes/${r.id}/retirer`).expect(200));
    expect(confirm.heading()).toBe(`Retirer la demande ${r.reference} ?`);
    const otherCsrf = page(await other.agent.get('/demandes').expect(200)).csrf();
    await other.agent.post(`/demandes/${r.id}/retirer`).type('form').send({ _csrf: otherCsrf }).expect(404);
    const done = await agent.post(`/demandes/${r.id}/retirer`).type('form').send({ _csrf: confirm.csrf() }).expect(303);
    expect(done.headers.location).toBe(`/demandes/${r.id}?retiree=1`);
    const after = page(await agent.get(done.headers.location).expect(200));
    expect(after.text('status')).toBe('Retirée par la famille');
    expect(after.has('withdraw-link')).toBe(false);
    expect(await query(`SELECT status, withdrawn_at IS NOT NULL AS withdrawn FROM permit_requests WHERE id = $1`, [r.id])).toEqual([
      { status: 'WITHDRAWN', withdrawn: true },
    ]);
    expect(
      await query(`SELECT actor_type, actor_label FROM audit_log WHERE action = 'PERMIT_REQUEST_WITHDRAWN' AND entity_id = $1`, [r.id]),
    ).toEqual([{ actor_type: 'FAMILY', actor_label: 'Łucja Nguyễn-Şahin' }]);
    const queue = page(await as.greffe.get(`/etablissements/${establishment.code}/permis/demandes?q=${r.reference}`).expect(200));
    expect(queue.texts('queue-reference')).toEqual([]);
    await agent.get(`/demandes/${r.id}/retirer`).expect(409);
  });
});

describe('a draft deleted by the family', () => {
  it('asks for confirmation, then deletes the draft, its records and its files', async () => {
    const { family: f, agent } = await family();
    const draft = await insertPermitRequest({
      familyAccountId: f.id,
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      status: 'DRAFT',
      step: 6,
    });
    expect((await uploadStep(agent, draft.id, 5, await photoPng(), 'photo.png')).status).toBe(303);
    const [{ storage_key: key }] = await query<{ storage_key: string }>(`SELECT storage_key FROM permit_documents WHERE request_id = $1`, [
      draft.id,
    ]);
    expect(filesIn(suite.docs.dir).some((p) => p.includes(key))).toBe(true);
    const mine = page(await agent.get('/demandes').expect(200));
    expect(mine.testId('delete-draft-link').attr('href')).toBe(`/demandes/${draft.id}/retirer`);
    const confirm = page(await agent.get(`/demandes/${draft.id}/retirer`).expect(200));
    expect(confirm.heading()).toBe('Supprimer cette demande en cours de saisie ?');
    const done = await agent.post(`/demandes/${draft.id}/retirer`).type('form').send({ _csrf: confirm.csrf() }).expect(303);
    expect(done.headers.location).toBe('/demandes?supprimee=1');
    expect(page(await agent.get(done.headers.location).expect(200)).text('notice')).toBe('La demande en cours de saisie est supprimée.');
    expect(await query(`SELECT id FROM permit_requests WHERE id = $1`, [draft.id])).toEqual([]);
    expect(await query(`SELECT id FROM permit_documents WHERE storage_key = $1`, [key])).toEqual([]);
    expect(filesIn(suite.docs.dir).some((p) => p.includes(key))).toBe(false);
    expect(
      await query(`SELECT actor_type FROM audit_log WHERE action = 'PERMIT_REQUEST_DRAFT_DELETED' AND entity_id = $1`, [draft.id]),
    ).toEqual([{ actor_type: 'FAMILY' }]);
  });
});

describe('the permits register', () => {
  it('lists 25 permits a page, searches by visitor, detainee or écrou, filters by state and origin; each row opens the permit', async () => {
    const place = await insertEstablishment({ name: 'Maison centrale de Łódź' });
    const d1 = await insertDetainee(place.id, { firstName: 'Иван', lastName: 'Petrović', ecrouNumber: 'R123456' });
    const d2 = await insertDetainee(place.id, { firstName: 'Ahmed', lastName: 'Benali' });
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const p = await insertPermit({
        establishmentId: place.id,
        detaineeId: i < 10 ? d1.id : d2.id,
        visitorGivenName: 'Ewa',
        visitorFamilyName: i === 0 ? 'Ślązak' : `Visiteur ${String(i).padStart(2, '0')}`,
        status: i >= 25 ? 'SUSPENDED' : 'ACTIVE',
        validTo: i >= 20 && i < 25 ? '2020-12-31' : null,
        validFrom: i >= 20 && i < 25 ? '2020-01-01' : '2026-01-01',
        origin: i % 3 === 0 ? 'MAGISTRATE' : 'PAPER',
      });
      ids.push(p.id);
    }
    const chef = await insertAgent([{ establishmentId: place.id, role: 'HEAD_OF_ESTABLISHMENT' }], {
      givenName: 'Ōta',
      usualName: 'Kenji',
    });
    const agent = await signInAgent(suite.app.url, chef);
    const base = `/etablissements/${place.code}/permis`;
    const first = page(await agent.get(base).expect(200));
    expect(first.text('register-total')).toBe('30 permis.');
    expect(first.texts('register-row')).toHaveLength(25);
    expect(page(await agent.get(`${base}?page=2`).expect(200)).texts('register-row')).toHaveLength(5);
    const byVisitor = page(await agent.get(`${base}?q=${encodeURIComponent('Ślązak')}`).expect(200));
    expect(byVisitor.texts('register-visitor')).toEqual(['Ewa Ślązak']);
    expect(page(await agent.get(`${base}?q=r123456`).expect(200)).text('register-total')).toBe('10 permis.');
    expect(page(await agent.get(`${base}?q=benali`).expect(200)).text('register-total')).toBe('20 permis.');
    const expired = page(await agent.get(`${base}?statut=EXPIRED`).expect(200));
    expect(expired.texts('register-state')).toEqual(Array(5).fill('Expiré'));
    expect(page(await agent.get(`${base}?statut=ACTIVE`).expect(200)).text('register-total')).toBe('20 permis.');
    expect(page(await agent.get(`${base}?statut=SUSPENDED`).expect(200)).text('register-total')).toBe('5 permis.');
    expect(page(await agent.get(`${base}?origine=MAGISTRATE`).expect(200)).text('register-total')).toBe('10 permis.');
    expect(page(await agent.get(`${base}?origine=MAGISTRATE&statut=SUSPENDED`).expect(200)).text('register-total')).toBe('1 permis.');
    const link = byVisitor.testId('register-visitor').find('a').attr('href')!;
    expect(link).toBe(`${base}/${ids[0]}`);
    await agent.get(link).expect(200);
    // Read-only for the visiting room; nobody else's establishment.
    await as.greffeElsewhere.get(base).expect(403);
    await as.greffe.get(base).expect(403);
  });

  it('shows and filters each permit’s state as « Mes permis » and the door do: visits used up, not yet valid', async () => {
    const place = await insertEstablishment({ name: 'Maison d’arrêt de Đà Lạt' });
    const d = await insertDetainee(place.id, { firstName: 'Yusuf', lastName: 'Çelik' });
    const room = await insertRoom(place.id);
    const permit = (visitorFamilyName: string, validFrom = '2026-01-01') =>
      insertPermit({ establishmentId: place.id, detaineeId: d.id, visitorGivenName: 'Ewa', visitorFamilyName, validFrom });
    const usedUp = await permit('Ślązak');
    await setPermitTerms(usedUp.id, { maxVisits: 1 });
    await insertVisit({
      establishmentId: place.id,
      roomId: room.id,
      detaineeId: d.id,
      startsAt: at(dayIn(3), '14:00'),
      permitIds: [usedUp.id],
    });
    // A cancelled visit does not use the permit.
    const cancelledOnly = await permit('Öztürk');
    await setPermitTerms(cancelledOnly.id, { maxVisits: 1 });
    const cancelled = await insertVisit({
      establishmentId: place.id,
      roomId: room.id,
      detaineeId: d.id,
      startsAt: at(dayIn(4), '14:00'),
      permitIds: [cancelledOnly.id],
    });
    await query(`UPDATE visits SET status = 'CANCELLED' WHERE id = $1`, [cancelled.id]);
    await permit('Ćosić', dayIn(10));
    await permit('Żak');
    const head = await insertAgent([{ establishmentId: place.id, role: 'HEAD_OF_ESTABLISHMENT' }], {
      givenName: 'Ōta',
      usualName: 'Kenji',
    });
    const agent = await signInAgent(suite.app.url, head);
    const base = `/etablissements/${place.code}/permis`;
    const states = (p: ReturnType<typeof page>) =>
      Object.fromEntries(p.texts('register-visitor').map((v, i) => [v, p.texts('register-state')[i]]));
    expect(states(page(await agent.get(base).expect(200)))).toEqual({
      'Ewa Ćosić': 'Pas encore valide',
      'Ewa Öztürk': 'Valide',
      'Ewa Ślązak': 'Expiré',
      'Ewa Żak': 'Valide',
    });
    expect(states(page(await agent.get(`${base}?statut=EXPIRED`).expect(200)))).toEqual({ 'Ewa Ślązak': 'Expiré' });
    expect(states(page(await agent.get(`${base}?statut=ACTIVE`).expect(200)))).toEqual({ 'Ewa Öztürk': 'Valide', 'Ewa Żak': 'Valide' });
    expect(states(page(await agent.get(`${base}?statut=NOT_YET_VALID`).expect(200)))).toEqual({ 'Ewa Ćosić': 'Pas encore valide' });
  });

  it('the visiting-room agents read it too, without the greffe’s actions', async () => {
    const res = page(await as.parloir.get(`/etablissements/${establishment.code}/permis`).expect(200));
    expect(res.heading()).toContain('Registre des permis de visite');
    expect(res.has('register-actions')).toBe(false);
    const greffe = page(await as.greffe.get(`/etablissements/${establishment.code}/permis`).expect(200));
    expect(
      greffe
        .testId('register-actions')
        .find('a')
        .map((_, a) => greffe.$(a).attr('href'))
        .get(),
    ).toEqual([`/etablissements/${establishment.code}/permis/enregistrer`, `/etablissements/${establishment.code}/permis/import`]);
  });
});

describe('the head’s dashboard', () => {
  it('shows the requests ready for decision, open requests by deadline, permits to review, measures due, and the period’s statistics', async () => {
    const place = await insertEstablishment({ name: 'Centre pénitentiaire de Żyrardów' });
    const d = await insertDetainee(place.id, { firstName: 'Mihai', lastName: 'Ionescu' });
    const head = await insertAgent([{ establishmentId: place.id, role: 'HEAD_OF_ESTABLISHMENT' }], {
      givenName: 'Ήρα',
      usualName: 'Παππάς',
    });
    const agent = await signInAgent(suite.app.url, head);
    const f = await insertFamily({ givenName: 'Łucja', familyName: 'Nguyễn' });
    const day = 86400_000;
    const now = Date.now();
    const req = (status: 'SUBMITTED' | 'READY' | 'INCOMPLETE' | 'GRANTED' | 'REFUSED' | 'IMPLICITLY_REJECTED', completeDaysAgo: number) =>
      insertPermitRequest({
        familyAccountId: f.id,
        establishmentId: place.id,
        detaineeId: d.id,
        status,
        submittedAt: new Date(now - (completeDaysAgo + 1) * day),
        completeAt: new Date(now - completeDaysAgo * day),
      });
    const ready = await req('READY', 50);
    const submitted = await req('SUBMITTED', 10);
    await req('INCOMPLETE', 5);
    // Decided: delays of 10, 20, 30 days (granted x2, refused x1); one implicit rejection; one withdrawal.
    for (const [status, delay] of [
      ['GRANTED', 10],
      ['GRANTED', 20],
      ['REFUSED', 30],
    ] as const) {
      const r = await req(status, 100);
      await setRequestTimes(r.id, { decidedAt: new Date(now - (100 - delay) * day) });
    }
    const implicit = await req('IMPLICITLY_REJECTED', 100);
    await setRequestTimes(implicit.id, { decidedAt: new Date(now - 40 * day) });
    const withdrawn = await req('SUBMITTED', 20);
    await setRequestTimes(withdrawn.id, { status: 'WITHDRAWN', withdrawnAt: new Date(now - 3 * day) });
    // Received long ago: outside the default 12 months.
    const old = await req('GRANTED', 500);
    await setRequestTimes(old.id, { decidedAt: new Date(now - 480 * day) });
    const permit = await insertPermit({ establishmentId: place.id, detaineeId: d.id, visitorGivenName: 'Ewa', visitorFamilyName: 'Żak' });
    await setPermitFlags(permit.id, { headReviewDue: true });
    const due = await insertPermit({ establishmentId: place.id, detaineeId: d.id, visitorGivenName: 'Ali', visitorFamilyName: 'Öztürk' });
    await insertProposedMeasure({ permitId: due.id, establishmentId: place.id, agentId: head.id, observationsDue: '2020-01-10' });
    const notYet = await insertPermit({ establishmentId: place.id, detaineeId: d.id, visitorGivenName: 'Ana', visitorFamilyName: 'Ćosić' });
    await insertProposedMeasure({ permitId: notYet.id, establishmentId: place.id, agentId: head.id, observationsDue: '2099-01-10' });

    const board = page(await agent.get(`/etablissements/${place.code}/permis/tableau-de-bord`).expect(200));
    expect(board.text('ready-count')).toBe('(1)');
    expect(board.testId('ready-table').text()).toContain(ready.reference!);
    expect(board.text('open-count')).toBe('(3)');
    // Closest deadline first: the ready one (complete 50 days ago), then the submitted one; the incomplete one last.
    const open = board.testId('open-table').find('tbody tr');
    expect(open.eq(0).text()).toContain(ready.reference!);
    expect(open.eq(1).text()).toContain(submitted.reference!);
    expect(board.texts('review-permit')).toEqual(['Ewa Żak — Mihai Ionescu (' + d.ecrouNumber + ')']);
    expect(board.texts('due-measure')).toHaveLength(1);
    expect(board.text('stat-received')).toBe('8');
    expect(board.text('stat-granted')).toBe('2');
    expect(board.text('stat-refused')).toBe('1');
    expect(board.text('stat-implicit')).toBe('1');
    expect(board.text('stat-withdrawn')).toBe('1');
    expect(board.text('stat-grant-rate')).toBe('50 %');
    expect(board.text('stat-refusal-rate')).toBe('50 %');
    expect(board.text('stat-median')).toBe('20 jours');
    expect(board.text('stat-p90')).toBe('28 jours');
    // A chosen period: only the old decision.
    const past = new Date(now - 490 * day).toISOString().slice(0, 10);
    const pastEnd = new Date(now - 470 * day).toISOString().slice(0, 10);
    const before = page(await agent.get(`/etablissements/${place.code}/permis/tableau-de-bord?du=${past}&au=${pastEnd}`).expect(200));
    expect(before.text('stat-granted')).toBe('1');
    expect(before.text('stat-grant-rate')).toBe('100 %');
    await as.parloir.get(`/etablissements/${establishment.code}/permis/tableau-de-bord`).expect(403);
    await as.greffeElsewhere.get(`/etablissements/${place.code}/permis/tableau-de-bord`).expect(403);
  });
});

describe('litigation hold', () => {
  it('staff record a recourse with a note on the instruction page, then lift it; both audited', async () => {
    const { family: f } = await family();
    const r = await insertPermitRequest({
      familyAccountId: f.id,
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      status: 'REFUSED',
    });
    const url = `/etablissements/${establishment.code}/permis/demandes/${r.id}`;
    const shown = page(await as.chef.get(url).expect(200));
    expect(shown.has('litigation-hold')).toBe(true);
    const empty = await as.chef.post(`${url}/contentieux`).type('form').send({ _csrf: shown.csrf(), action: 'poser', note: '' });
    expect(empty.status).toBe(400);
    expect(page(empty).fieldError('litigationNote')).toContain('Décrivez le recours formé');
    const set = await as.chef
      .post(`${url}/contentieux`)
      .type('form')
      .send({ _csrf: shown.csrf(), action: 'poser', note: 'Requête au tribunal administratif de Lille, reçue le 3 mars.' });
    expect(set.status).toBe(303);
    const held = page(await as.chef.get(url).expect(200));
    expect(held.text('litigation-active')).toContain('Requête au tribunal administratif de Lille');
    await as.chef.post(`${url}/contentieux`).type('form').send({ _csrf: held.csrf(), action: 'lever' }).expect(303);
    expect(await query(`SELECT litigation_hold_since, litigation_note FROM permit_requests WHERE id = $1`, [r.id])).toEqual([
      { litigation_hold_since: null, litigation_note: null },
    ]);
    expect(
      (await query<{ action: string }>(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`, [r.id])).map((a) => a.action),
    ).toEqual(['PERMIT_REQUEST_LITIGATION_HOLD_SET', 'PERMIT_REQUEST_LITIGATION_HOLD_LIFTED']);
    await as.greffeElsewhere.post(`${url}/contentieux`).type('form').send({ _csrf: held.csrf(), action: 'lever' }).expect(403);
    void chefId;
  });

  it('the database refuses a permit request held without a note, missing or blank', async () => {
    const { family: f } = await family();
    const r = await insertPermitRequest({
      familyAccountId: f.id,
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      status: 'REFUSED',
    });
    for (const note of [null, '   '])
      await expect(
        query(`UPDATE permit_requests SET litigation_hold_since = now(), litigation_note = $2 WHERE id = $1`, [r.id, note]),
      ).rejects.toThrow(/permit_requests_litigation/);
    await query(
      `UPDATE permit_requests SET litigation_hold_since = now(), litigation_note = 'Recours gracieux reçu le 2 mai.' WHERE id = $1`,
      [r.id],
    );
  });

  it('a hold form sent with an empty note shows the error on the whole instruction page: the head’s decision form, its legal grounds, the documents to ask for', async () => {
    const { family: f } = await family();
    const r = await sentRequest(f.id, 'READY');
    const url = `/etablissements/${establishment.code}/permis/demandes/${r.id}`;
    const shown = page(await as.chef.get(url).expect(200));
    const empty = await as.chef.post(`${url}/contentieux`).type('form').send({ _csrf: shown.csrf(), action: 'poser', note: '' });
    expect(empty.status).toBe(400);
    const again = page(empty);
    expect(again.errors().join(' ')).toContain('Décrivez le recours formé');
    expect(again.has('decision-heading')).toBe(true);
    expect(again.text('signatory')).toBe(shown.text('signatory'));
    expect(again.text('signatory')).toContain('Zofia WIŚNIEWSKA');
    expect(again.texts('ground')).toEqual(shown.texts('ground'));
    expect(again.texts('ground').length).toBeGreaterThan(0);
    expect(again.$('input[name="kinds"]').length).toBe(shown.$('input[name="kinds"]').length);
    expect(again.$('input[name="kinds"]').length).toBeGreaterThan(0);
  });

  it('a delegate in force keeps the decision form when the hold form is sent back with an error', async () => {
    const delegate = await insertAgent([{ establishmentId: establishment.id, role: 'PERMITS_OFFICER' }], {
      givenName: 'محمد',
      usualName: 'Haddad',
    });
    await query(
      `INSERT INTO signature_delegations (establishment_id, agent_id, valid_from, created_by) VALUES ($1, $2, '2020-01-01', $3)`,
      [establishment.id, delegate.id, chefId],
    );
    const agent = await signInAgent(suite.app.url, delegate);
    const { family: f } = await family();
    const r = await sentRequest(f.id, 'READY');
    const url = `/etablissements/${establishment.code}/permis/demandes/${r.id}`;
    const shown = page(await agent.get(url).expect(200));
    expect(shown.has('decision-heading')).toBe(true);
    const empty = await agent.post(`${url}/contentieux`).type('form').send({ _csrf: shown.csrf(), action: 'poser', note: '' });
    expect(empty.status).toBe(400);
    const again = page(empty);
    expect(again.errors().join(' ')).toContain('Décrivez le recours formé');
    expect(again.has('decision-heading')).toBe(true);
    expect(again.has('no-decision')).toBe(false);
    expect(again.text('signatory')).toContain('par délégation du chef d’établissement');
    expect(again.texts('ground').length).toBeGreaterThan(0);
  });
});
