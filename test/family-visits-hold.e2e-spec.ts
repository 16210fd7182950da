import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import {
  insertDetaineeRequest,
  insertFamilyVisitCase,
  insertFamilyVisitDocument,
  insertVisitorRequest,
} from './factories/family-visits-instruction';
import { insertAgent, insertDetainee, insertEstablishment, type DetaineeRow, type EstablishmentRow } from './factories/people';
import { query, queryOne } from './helpers/db';
import { page } from './helpers/html';
import { frozenClock, openDataSource, testConfig } from './helpers/notifications';
import { permitsApp } from './helpers/permits';
import { type Agent, signInAgent } from './helpers/sign-in';

/* The built modules, as the app runs them. */
/* eslint-disable @typescript-eslint/no-require-imports */
const { installTransactionGuard } = require('../dist/src/database/transaction-guard') as typeof import('../src/database/transaction-guard');
const { FamilyVisitRetentionService } =
  require('../dist/src/family-visits/retention.service') as typeof import('../src/family-visits/retention.service');
const { PermitFileStore } = require('../dist/src/permits/permit-files') as typeof import('../src/permits/permit-files');
const { AuditService } = require('../dist/src/common/audit.service') as typeof import('../src/common/audit.service');
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * The litigation hold of UVF / PF requests (docs/retention.md): recorded and lifted by the head on the
 * case page, through HTTP with the CSRF token; the retention job run in-process on a set clock (the
 * app's own runs on the real clock, for which every document here is recent).
 */
const suite = permitsApp();
const DAY = 86_400_000;
const NOTE = 'Recours contentieux devant le tribunal administratif de Lyon, requête n° 2701234, reçue le 3 mars.';

let establishment: EstablishmentRow;
let elsewhere: EstablishmentRow;
let detainee: DetaineeRow;
const as = {} as Record<'head' | 'spip' | 'headElsewhere', Agent>;
let base: string;
let ds: DataSource;

beforeAll(async () => {
  // Nouméa (UTC+11): the day shown is the establishment's, not Paris's.
  establishment = await insertEstablishment({ name: 'Centre pénitentiaire de Nouméa-Camp-Est', timeZone: 'Pacific/Noumea' });
  elsewhere = await insertEstablishment();
  base = `/etablissements/${establishment.code}/uvf/dossiers`;
  detainee = await insertDetainee(establishment.id, { firstName: 'يوسف', lastName: 'Ben Ałi', legalStatus: 'CONDAMNE' });
  as.head = await signInAgent(
    suite.app.url,
    await insertAgent([{ establishmentId: establishment.id, role: 'HEAD_OF_ESTABLISHMENT' }], {
      givenName: 'Zofia',
      usualName: 'Łukasiewicz',
    }),
  );
  as.spip = await signInAgent(
    suite.app.url,
    await insertAgent([{ establishmentId: establishment.id, role: 'SPIP_COUNSELLOR' }], { givenName: 'Małgorzata', usualName: 'Wójcik' }),
  );
  as.headElsewhere = await signInAgent(
    suite.app.url,
    await insertAgent([{ establishmentId: elsewhere.id, role: 'HEAD_OF_ESTABLISHMENT' }], { givenName: 'Gül', usualName: 'Yılmaz' }),
  );
  installTransactionGuard();
  ds = await openDataSource(2);
});
afterAll(async () => {
  await ds?.destroy();
});

/**
 * A case whose detainee's request was granted and whose visitor's (Łucja's) was refused `decidedAt`,
 * each with its signed rules stored.
 */
async function decidedCase(decidedAt = new Date(Date.now() - 10 * DAY)) {
  const c = await insertFamilyVisitCase({ establishmentId: establishment.id, detaineeId: detainee.id, status: 'DECIDED' });
  const detaineeRequest = await insertDetaineeRequest(c.id);
  const visitorRequest = await insertVisitorRequest(
    { caseId: c.id, establishmentId: establishment.id, detaineeId: detainee.id },
    { visitorGivenName: 'Łucja', visitorFamilyName: 'Nguyễn-Şahin' },
  );
  await query(`UPDATE family_visit_requests SET status = 'GRANTED', granted_hours = 24, decided_at = $2, updated_at = $2 WHERE id = $1`, [
    detaineeRequest.id,
    decidedAt,
  ]);
  await query(
    `UPDATE family_visit_requests SET status = 'REFUSED', decided_at = $2, updated_at = $2, refusal_ground = 'GOOD_ORDER',
            decision_facts = 'Incidents répétés au parloir.', decision_motivation = 'Motivation en fait et en droit du refus, pour le test.'
      WHERE id = $1`,
    [visitorRequest.id, decidedAt],
  );
  const detaineeDoc = await insertFamilyVisitDocument(suite.docs, detaineeRequest.id);
  const visitorDoc = await insertFamilyVisitDocument(suite.docs, visitorRequest.id);
  return { ...c, detaineeRequest, visitorRequest, detaineeDoc, visitorDoc };
}

const tokens = new Map<Agent, string>();

/** The CSRF token of the agent's session, read once from a page of theirs with a form (the counsellor's case page may have none). */
async function csrfOf(who: Agent): Promise<string> {
  const from =
    who === as.spip
      ? `/etablissements/${establishment.code}/uvf/demandes/nouvelle`
      : `/etablissements/${(who === as.head ? establishment : elsewhere).code}/delegations`;
  if (!tokens.has(who)) tokens.set(who, page(await who.get(from).expect(200)).csrf());
  return tokens.get(who)!;
}

/** Posts the hold form of a case page as `who`, with their CSRF token, to the case's address at `establishmentCode`. */
async function postHold(who: Agent, caseId: string, fields: Record<string, string>, establishmentCode = establishment.code) {
  return who
    .post(`/etablissements/${establishmentCode}/uvf/dossiers/${caseId}/contentieux`)
    .type('form')
    .send({ _csrf: await csrfOf(who), ...fields });
}

/** Lifts a hold as the head: the confirmation page first, then its form sent as is. */
async function lift(caseId: string, requestId: string) {
  const confirmation = await postHold(as.head, caseId, { action: 'lever', requestId });
  expect(confirmation.status).toBe(200);
  const read = page(confirmation);
  const res = await as.head
    .post(`${base}/${caseId}/contentieux`)
    .type('form')
    .send(read.formFields(`${base}/${caseId}/contentieux`));
  return { confirmation: read, res };
}

const holdOf = (requestId: string) =>
  queryOne<{ since: Date | null; note: string | null }>(
    `SELECT litigation_hold_since AS since, litigation_note AS note FROM family_visit_requests WHERE id = $1`,
    [requestId],
  );

/** The establishment's day of an instant, as a French date (« 3 mars 2027 »). */
const dayFr = (at: Date) =>
  new Intl.DateTimeFormat('fr-FR', { timeZone: establishment.timeZone, day: 'numeric', month: 'long', year: 'numeric' }).format(at);

function retentionAt(at: Date) {
  return new FamilyVisitRetentionService(
    ds,
    new AuditService(),
    frozenClock(at),
    testConfig(),
    new PermitFileStore(join(suite.docs.dir, 'family-visits'), suite.docs.key),
  );
}

const fileOf = async (docId: string) => {
  const { storageKey } = await queryOne<{ storageKey: string }>(
    `SELECT storage_key AS "storageKey" FROM family_visit_documents WHERE id = $1`,
    [docId],
  );
  return new PermitFileStore(join(suite.docs.dir, 'family-visits'), suite.docs.key).filePath(storageKey);
};

describe('the litigation hold of a UVF / PF request', () => {
  it('the head records a recourse on a refused request from the case page, then lifts it after a confirmation; both audited', async () => {
    const c = await decidedCase();
    const shown = page(await as.head.get(`${base}/${c.id}`).expect(200));
    expect(shown.has('litigation-active')).toBe(false);
    expect(shown.texts('litigation-option')).toEqual(['La personne détenue (accordée)', 'Łucja NGUYỄN-ŞAHIN (refusée)']);

    const set = await postHold(as.head, c.id, { action: 'poser', requestId: c.visitorRequest.id, note: `  ${NOTE}  ` });
    expect(set.status).toBe(303);
    expect(set.headers.location).toBe(`${base}/${c.id}#contentieux`);
    const hold = await holdOf(c.visitorRequest.id);
    expect(hold.note).toBe(NOTE);
    expect(hold.since).not.toBeNull();

    const held = page(await as.head.get(`${base}/${c.id}`).expect(200));
    expect(held.texts('litigation-text')).toEqual([`Contentieux en cours depuis le ${dayFr(hold.since!)} : ${NOTE}`]);
    expect(held.text('litigation-active')).toContain('Łucja NGUYỄN-ŞAHIN');
    // The held request leaves the list of those a hold may be recorded on.
    expect(held.texts('litigation-option')).toEqual(['La personne détenue (accordée)']);
    expect(held.texts('event')[0]).toContain('Recours enregistré sur la demande de Łucja NGUYỄN-ŞAHIN : ses documents sont conservés');
    expect(held.texts('event')[0]).toContain('(Zofia Łukasiewicz)');

    // Lifting reads back the recourse and what the retention will do, and changes nothing yet.
    const { confirmation, res } = await lift(c.id, c.visitorRequest.id);
    expect(confirmation.heading()).toBe('Lever la conservation pour contentieux ?');
    expect(confirmation.text('lift-summary')).toContain(`Contentieux en cours depuis le ${dayFr(hold.since!)} : ${NOTE}`);
    expect(confirmation.text('lift-summary')).toContain('Łucja NGUYỄN-ŞAHIN (refusée)');
    const decidedAt = (
      await queryOne<{ at: Date }>(`SELECT decided_at AS at FROM family_visit_requests WHERE id = $1`, [c.visitorRequest.id])
    ).at;
    expect(confirmation.text('lift-consequence')).toContain(
      `Ses documents (1) suivront de nouveau la durée de conservation : ils seront supprimés à partir du ${dayFr(new Date(decidedAt.getTime() + 365 * DAY))}`,
    );
    expect(res.status).toBe(303);
    expect(await holdOf(c.visitorRequest.id)).toEqual({ since: null, note: null });
    const lifted = page(await as.head.get(`${base}/${c.id}`).expect(200));
    expect(lifted.has('litigation-active')).toBe(false);
    expect(lifted.texts('event')[0]).toContain('Conservation pour contentieux levée sur la demande de Łucja NGUYỄN-ŞAHIN');

    const audit = await query<{ action: string; actor_label: string; establishment_id: string; before: unknown; after: unknown }>(
      `SELECT action, actor_label, establishment_id, before, after FROM audit_log WHERE entity_id = $1 ORDER BY id`,
      [c.visitorRequest.id],
    );
    const since = hold.since!.toISOString();
    expect(audit).toEqual([
      {
        action: 'FAMILY_VISIT_LITIGATION_HOLD_SET',
        actor_label: 'Zofia Łukasiewicz',
        establishment_id: establishment.id,
        before: { since: null, note: null },
        after: { since, note: NOTE },
      },
      {
        action: 'FAMILY_VISIT_LITIGATION_HOLD_LIFTED',
        actor_label: 'Zofia Łukasiewicz',
        establishment_id: establishment.id,
        before: { since, note: NOTE },
        after: { since: null, note: null },
      },
    ]);
  });

  it('an empty or too long note is refused in French with the whole case page again (400), nothing recorded', async () => {
    const c = await decidedCase();
    const empty = await postHold(as.head, c.id, { action: 'poser', requestId: c.visitorRequest.id, note: '   ' });
    expect(empty.status).toBe(400);
    const again = page(empty);
    expect(again.heading()).toBe(`Dossier ${c.reference} — Unité de vie familiale (UVF)`);
    expect(again.errors()).toEqual(['Décrivez le recours formé : lequel, reçu quand.']);
    expect(again.fieldError('litigationNote')).toBe('Décrivez le recours formé : lequel, reçu quand.');
    // The rest of the page is there: the decisions, the requests.
    expect(again.texts('decision-row')).toHaveLength(2);
    expect(again.texts('applicant-name')).toHaveLength(2);

    const long = 'Requête au tribunal administratif de Lyon. '.repeat(24);
    const tooLong = await postHold(as.head, c.id, { action: 'poser', requestId: c.visitorRequest.id, note: long });
    expect(tooLong.status).toBe(400);
    const kept = page(tooLong);
    expect(kept.fieldError('litigationNote')).toBe('La note ne doit pas dépasser 1 000 caractères');
    expect(kept.value('note')).toBe(long);
    expect(kept.$('#litigationRequest option[selected]').attr('value')).toBe(c.visitorRequest.id);

    // A request not yet decided takes no hold.
    const open = await insertVisitorRequest(
      { caseId: c.id, establishmentId: establishment.id, detaineeId: detainee.id },
      { visitorGivenName: 'Şükrü', visitorFamilyName: 'Trần' },
    );
    const undecided = await postHold(as.head, c.id, { action: 'poser', requestId: open.id, note: NOTE });
    expect(undecided.status).toBe(409);
    expect(page(undecided).fieldError('litigationRequest')).toContain('Cette demande n’est pas encore décidée');

    expect(await holdOf(c.visitorRequest.id)).toEqual({ since: null, note: null });
    expect(await holdOf(open.id)).toEqual({ since: null, note: null });
    expect(await query(`SELECT 1 FROM audit_log WHERE entity_id = ANY($1::text[])`, [[c.visitorRequest.id, open.id]])).toEqual([]);
  });

  it('the SPIP counsellor reads the hold on the case page but may neither record nor lift it (403)', async () => {
    const c = await decidedCase();
    // Held since 20:00 UTC on 2 March: 3 March in Nouméa.
    await query(`UPDATE family_visit_requests SET litigation_hold_since = '2027-03-02T20:00:00Z', litigation_note = $2 WHERE id = $1`, [
      c.visitorRequest.id,
      NOTE,
    ]);
    const seen = page(await as.spip.get(`${base}/${c.id}`).expect(200));
    expect(seen.texts('litigation-text')).toEqual([`Contentieux en cours depuis le 3 mars 2027 : ${NOTE}`]);
    expect(seen.has('litigation-form')).toBe(false);
    expect(seen.has('litigation-lift')).toBe(false);

    const set = await postHold(as.spip, c.id, { action: 'poser', requestId: c.detaineeRequest.id, note: NOTE });
    expect(set.status).toBe(403);
    expect(page(set).errors()).toEqual([
      'Seul le chef d’établissement, ou un agent qui a reçu délégation de signature, peut enregistrer ou lever une conservation pour contentieux.',
    ]);
    const lifted = await postHold(as.spip, c.id, { action: 'lever', requestId: c.visitorRequest.id, confirme: 'oui' });
    expect(lifted.status).toBe(403);
    expect(await holdOf(c.detaineeRequest.id)).toEqual({ since: null, note: null });
    expect(await holdOf(c.visitorRequest.id)).toEqual({ since: new Date('2027-03-02T20:00:00Z'), note: NOTE });
    expect(await query(`SELECT 1 FROM audit_log WHERE entity_id = ANY($1::text[])`, [[c.detaineeRequest.id, c.visitorRequest.id]])).toEqual(
      [],
    );
  });

  it('the staff of another establishment get 404 for the case; a request of another case is 404 too', async () => {
    const c = await decidedCase();
    const other = await decidedCase();
    const fields = { action: 'poser', requestId: c.visitorRequest.id, note: NOTE };
    expect((await postHold(as.headElsewhere, c.id, fields, elsewhere.code)).status).toBe(404);
    expect((await postHold(as.headElsewhere, c.id, { action: 'lever', requestId: c.visitorRequest.id }, elsewhere.code)).status).toBe(404);
    // At this establishment's address, the guard refuses them: they hold no role here.
    expect((await postHold(as.headElsewhere, c.id, fields)).status).toBe(403);
    const mixed = await postHold(as.head, c.id, { action: 'poser', requestId: other.visitorRequest.id, note: NOTE });
    expect(mixed.status).toBe(404);
    expect(await holdOf(c.visitorRequest.id)).toEqual({ since: null, note: null });
    expect(await holdOf(other.visitorRequest.id)).toEqual({ since: null, note: null });
  });

  it('the retention keeps a held request’s documents however old, the sweep too; once the hold is lifted the decision’s clock applies at the next run', async () => {
    // Decided (and withdrawn) 100 days ago: past the 365 days at the clock below, 300 days ahead.
    const decidedAt = new Date(Date.now() - 100 * DAY);
    const c = await decidedCase(decidedAt);
    const withdrawn = await insertVisitorRequest(
      { caseId: c.id, establishmentId: establishment.id, detaineeId: detainee.id },
      { visitorGivenName: 'Nguyễn', visitorFamilyName: 'Thị Hoa' },
    );
    await query(`UPDATE family_visit_requests SET status = 'WITHDRAWN', updated_at = $2 WHERE id = $1`, [withdrawn.id, decidedAt]);
    const withdrawnDoc = await insertFamilyVisitDocument(suite.docs, withdrawn.id);
    const later = new Date(Date.now() + 300 * DAY);
    for (const requestId of [c.visitorRequest.id, withdrawn.id])
      expect((await postHold(as.head, c.id, { action: 'poser', requestId, note: NOTE })).status).toBe(303);

    const files = {
      visitor: await fileOf(c.visitorDoc.id),
      withdrawn: await fileOf(withdrawnDoc.id),
      detainee: await fileOf(c.detaineeDoc.id),
    };
    // Only the request without a hold loses its documents.
    await retentionAt(later).purgeDocuments();
    expect([existsSync(files.visitor), existsSync(files.withdrawn), existsSync(files.detainee)]).toEqual([true, true, false]);
    // Live records: the orphan sweep keeps them, however old the files.
    await retentionAt(later).sweepOrphanFiles();
    expect([existsSync(files.visitor), existsSync(files.withdrawn)]).toEqual([true, true]);

    for (const requestId of [c.visitorRequest.id, withdrawn.id]) expect((await lift(c.id, requestId)).res.status).toBe(303);
    // Neither the hold nor its lifting moved the withdrawal's clock (its last change).
    expect((await queryOne<{ at: Date }>(`SELECT updated_at AS at FROM family_visit_requests WHERE id = $1`, [withdrawn.id])).at).toEqual(
      decidedAt,
    );
    expect(await retentionAt(later).purgeDocuments()).toBe(2);
    expect([existsSync(files.visitor), existsSync(files.withdrawn)]).toEqual([false, false]);
    expect(
      await query(
        `SELECT entity_id FROM audit_log WHERE action = 'FAMILY_VISIT_DOCUMENT_DELETED' AND entity_id = ANY($1::text[]) ORDER BY entity_id`,
        [[c.visitorDoc.id, withdrawnDoc.id]],
      ),
    ).toHaveLength(2);
  });

  it('the database refuses a hold without a note, or with a blank one', async () => {
    const c = await decidedCase();
    for (const note of [null, '', '   '])
      await expect(
        query(`UPDATE family_visit_requests SET litigation_hold_since = now(), litigation_note = $2 WHERE id = $1`, [
          c.visitorRequest.id,
          note,
        ]),
      ).rejects.toThrow(/family_visit_requests_litigation/);
    await query(`UPDATE family_visit_requests SET litigation_hold_since = now(), litigation_note = $2 WHERE id = $1`, [
      c.visitorRequest.id,
      NOTE,
    ]);
    expect((await holdOf(c.visitorRequest.id)).note).toBe(NOTE);
  });
});
