import { query, queryOne, withClient } from './helpers/db';
import { appForTests } from './helpers/app';
import { type HtmlPage, page } from './helpers/html';
import { waitFor } from './helpers/processes';
import { signInAgent, signInFamily, type Agent } from './helpers/sign-in';
import { type AgentRow, grantRole, insertAgentElsewhere, insertDetainee, insertEstablishment, insertFamily } from './factories/people';
import { insertPermit } from './factories/permits';
import { at, dayIn, insertRoom, insertSlot, insertSlotTemplate, insertVisit, insertWaitlistEntry, weekdayOf } from './factories/visits';

/**
 * Changes of the visiting-room calendar that hit booked visits (a closure, a room or a weekly slot
 * edited or deactivated): the administrator sees the visits first, then they are cancelled and each
 * family is told why, with a link to choose another slot; no reminder goes for a visit cancelled or
 * "À revoir"; and the visiting room's own cancellations say the reason chosen from a list.
 */
const suite = appForTests();

let adminRow: AgentRow;
let admin: Agent;
let parloirRow: AgentRow;
let parloir: Agent;
beforeAll(async () => {
  adminRow = await insertAgentElsewhere('ADMIN', { givenName: 'Oğuz', usualName: 'Çelik' });
  admin = await signInAgent(suite.app.url, adminRow);
  parloirRow = await insertAgentElsewhere('PARLOIR_AGENT', { givenName: 'Siobhán', usualName: 'Ó Briain' });
  parloir = await signInAgent(suite.app.url, parloirRow);
});

/** The day in three days (the weekly slot below) and the same day as the forms type it. */
const DAY = dayIn(3);
const DAY_FR = `${DAY.slice(8, 10)}/${DAY.slice(5, 7)}/${DAY.slice(0, 4)}`;

/** An establishment administered by the file's administrator, with a room and a weekly slot in three days at 10:00. */
async function establishmentWithSlot(o: { cabins?: number; capacity?: number } = {}) {
  const establishment = await insertEstablishment();
  await grantRole(adminRow.id, establishment.id, 'ADMIN');
  await grantRole(parloirRow.id, establishment.id, 'PARLOIR_AGENT');
  const room = await insertRoom(establishment.id, { name: 'Parloir Ünal', cabins: o.cabins ?? 4 });
  const template = await insertSlotTemplate(room.id, {
    dayOfWeek: weekdayOf(DAY),
    start: '10:00',
    end: '11:00',
    capacity: o.capacity ?? 4,
  });
  const base = `/etablissements/${establishment.code}/parloirs`;
  return { establishment, room, template, base };
}

/** A family holding a permit for a condamné of its own, signed in, that books the slot from its booking form. */
async function familyBooks(establishmentId: string, templateId: string, givenName: string, familyName: string, mobilePhone?: string) {
  const detainee = await insertDetainee(establishmentId, { firstName: 'Yusuf', lastName: `Demir${givenName.length}` });
  const f = await insertFamily({ givenName, familyName, mobilePhone });
  const permit = await insertPermit({
    establishmentId,
    detaineeId: detainee.id,
    familyAccountId: f.id,
    visitorGivenName: givenName,
    visitorFamilyName: familyName,
  });
  const agent = await signInFamily(suite.app.url, f);
  const form = page(await agent.get('/visites/reserver').expect(200));
  const slot = form.options('slot').find((v) => v.startsWith(`${templateId}|`));
  if (!slot) throw new Error('slot not offered');
  await agent
    .post('/visites/reserver')
    .type('form')
    .send({ ...form.formFields('/visites/reserver'), slot, action: 'book' })
    .expect(303);
  const visit = await queryOne<{ id: string; reference: string; appointmentId: string; slotId: string }>(
    `SELECT id, reference, appointment_id AS "appointmentId", slot_id AS "slotId" FROM visits WHERE family_account_id = $1`,
    [f.id],
  );
  return { family: f, agent, permitId: permit.id, detaineeId: detainee.id, visit };
}

/** Posts a form of the "Parloirs" pages with the page's CSRF token. */
async function post(base: string, path: string, fields: Record<string, string | string[]>) {
  return admin
    .post(`${base}/${path}`)
    .type('form')
    .send({ _csrf: page(await admin.get(base).expect(200)).csrf(), ...fields });
}

/** Confirms a read-back: its form posted as the browser sends it (every visit shown, each once). */
function confirm(p: HtmlPage, action: string) {
  const form = p.$('[data-testid="confirm-form"]');
  const fields: Record<string, string | string[]> = {};
  form.find('input[type="hidden"]').each((_, e) => {
    const name = p.$(e).attr('name')!;
    const value = p.$(e).attr('value') ?? '';
    if (name === 'visites') fields.visites = [...((fields.visites as string[] | undefined) ?? []), value];
    else fields[name] = value;
  });
  expect(form.attr('action')).toBe(action);
  return admin.post(action).type('form').send(fields);
}

/** The cells of the read-back's table, one row per visit. */
function rows(p: HtmlPage): string[][] {
  return p
    .testId('impact-visit')
    .toArray()
    .map((row) =>
      p
        .$(row)
        .find('td')
        .toArray()
        .map((td) => p.$(td).text().replace(/\s+/g, ' ').trim()),
    );
}

function messages(appointmentId: string) {
  return query<{ channel: string; body: string }>(
    `SELECT channel, body_text AS body FROM notifications WHERE entity_id = $1 AND template = 'appointment-cancelled' ORDER BY channel`,
    [appointmentId],
  );
}

describe('a closure that hits booked visits', () => {
  it('reads them back with the families’ names and counts, then cancels them and tells each family why, with a link to book again', async () => {
    const { establishment, template, base } = await establishmentWithSlot();
    const lukasz = await familyBooks(establishment.id, template.id, 'Łukasz', 'Wiśniewski', '+33612345678');
    const sukru = await familyBooks(establishment.id, template.id, 'Şükrü', 'Yılmaz');
    // A family waits for a place on that slot (as if it were full).
    const waiting = await insertWaitlistEntry({
      establishmentId: establishment.id,
      templateId: template.id,
      day: DAY,
      startsAt: at(DAY, '10:00'),
      familyAccountId: sukru.family.id,
      detaineeId: sukru.detaineeId,
      permitIds: [sukru.permitId],
    });

    const readBack = await post(base, 'fermetures', { day: DAY_FR, roomId: '', templateId: '', reason: 'Grève du personnel' }).then((r) => {
      expect(r.status).toBe(200);
      return page(r);
    });
    expect(readBack.heading()).toBe('Vérifiez les visites qui seront annulées');
    expect(readBack.text('impact-summary')).toContain('Ce changement annule 2 visites réservées (2 visiteurs)');
    const shown = rows(readBack);
    expect(shown).toHaveLength(2);
    expect(shown.find((r) => r[3].includes('Łukasz'))!.slice(4)).toEqual(['par e-mail et par SMS', 'Grève du personnel']);
    expect(shown.find((r) => r[3].includes('Şükrü'))!.slice(4)).toEqual(['par e-mail', 'Grève du personnel']);
    expect(shown[0][1]).toBe('Parloir Ünal');
    // Nothing is changed before the confirmation.
    expect(await query(`SELECT count(*)::int AS n FROM closures WHERE establishment_id = $1`, [establishment.id])).toEqual([{ n: 0 }]);
    expect(await query(`SELECT DISTINCT status FROM visits WHERE establishment_id = $1`, [establishment.id])).toEqual([
      { status: 'BOOKED' },
    ]);

    const done = await confirm(readBack, `${base}/fermetures`).then((r) => {
      expect(r.status).toBe(303);
      return r.headers.location;
    });
    expect(done).toBe(`${base}?fait=fermeture&annulees=2`);
    expect(page(await admin.get(done).expect(200)).text('done')).toBe(
      'La fermeture est enregistrée : les familles ne peuvent plus réserver ce créneau. 2 visites annulées : les familles sont prévenues.',
    );
    expect(await query(`SELECT DISTINCT status FROM visits WHERE establishment_id = $1`, [establishment.id])).toEqual([
      { status: 'CANCELLED' },
    ]);
    expect(await queryOne(`SELECT booked, held FROM visit_slots WHERE id = $1`, [lukasz.visit.slotId])).toEqual({ booked: 0, held: 0 });
    // The place is not offered to anyone: the slot is closed, and nobody waits for it any more.
    expect(await queryOne(`SELECT status FROM visit_waitlist WHERE id = $1`, [waiting.id])).toEqual({ status: 'EXPIRED' });

    // Each family is told why, with a link to choose another slot; the SMS names no place.
    const [email, sms] = await messages(lukasz.visit.appointmentId);
    expect(email.channel).toBe('EMAIL');
    expect(email.body).toContain('Motif : Fermeture du parloir : Grève du personnel');
    expect(email.body).toMatch(/Choisissez un autre créneau quand vous le souhaitez : http\S+\/visites\/reserver/);
    expect(sms.channel).toBe('SMS');
    expect(sms.body).toContain(`réf. ${lukasz.visit.reference}, est annulé (fermeture exceptionnelle)`);
    expect(sms.body).toMatch(/Autre créneau : http\S+\/visites\/reserver/);
    expect(sms.body).not.toContain('Grève');
    const sukruMessages = await messages(sukru.visit.appointmentId);
    expect(sukruMessages.map((m) => m.channel)).toEqual(['EMAIL']);
    expect(sukruMessages[0].body).toContain('Motif : Fermeture du parloir : Grève du personnel');

    const audit = await queryOne<{ label: string; after: { cancelledVisits: string[] } }>(
      `SELECT actor_label AS label, after FROM audit_log WHERE action = 'CLOSURE_CREATED' AND establishment_id = $1`,
      [establishment.id],
    );
    expect(audit.label).toBe('Oğuz Çelik');
    expect(audit.after.cancelledVisits.sort()).toEqual([lukasz.visit.reference, sukru.visit.reference].sort());
  });

  it('never cancels a visit booked after the read-back unseen: the read-back comes again with it (409)', async () => {
    const { establishment, template, base } = await establishmentWithSlot();
    await familyBooks(establishment.id, template.id, 'Ngọc', 'Phạm');
    const readBack = page(await post(base, 'fermetures', { day: DAY_FR, reason: 'Exercice de sécurité' }).then((r) => r));
    expect(rows(readBack)).toHaveLength(1);
    await familyBooks(establishment.id, template.id, 'Aylin', 'Öztürk');
    const again = await confirm(readBack, `${base}/fermetures`);
    expect(again.status).toBe(409);
    const second = page(again);
    expect(second.text('impact-warning')).toBe('Des visites ont été réservées entre-temps : vérifiez la liste avant de confirmer.');
    expect(rows(second)).toHaveLength(2);
    expect(await query(`SELECT count(*)::int AS n FROM closures WHERE establishment_id = $1`, [establishment.id])).toEqual([{ n: 0 }]);
    expect(await confirm(second, `${base}/fermetures`).then((r) => r.status)).toBe(303);
    expect(
      await query(`SELECT count(*)::int AS n FROM visits WHERE establishment_id = $1 AND status = 'CANCELLED'`, [establishment.id]),
    ).toEqual([{ n: 2 }]);
  });

  it('closes the waiting list of a slot it takes away: the place offered is released, each family waiting or offered it is told why', async () => {
    const { establishment, room, template, base } = await establishmentWithSlot({ capacity: 1 });
    // The slot was full; a place was freed and offered to Ngọc (held for her), Şükrü waits behind her.
    const slot = await insertSlot({ roomId: room.id, templateId: template.id, startsAt: at(DAY, '10:00'), capacity: 1, held: 1 });
    const waitingFamily = async (givenName: string, familyName: string, mobilePhone?: string) => {
      const detainee = await insertDetainee(establishment.id, { firstName: 'Yusuf', lastName: `Demir${givenName.length}` });
      const f = await insertFamily({ givenName, familyName, mobilePhone });
      const permit = await insertPermit({
        establishmentId: establishment.id,
        detaineeId: detainee.id,
        familyAccountId: f.id,
        visitorGivenName: givenName,
        visitorFamilyName: familyName,
      });
      return { family: f, detaineeId: detainee.id, permitId: permit.id };
    };
    const ngoc = await waitingFamily('Ngọc', 'Phạm', '+33612345679');
    const sukru = await waitingFamily('Şükrü', 'Yılmaz');
    const entry = (f: typeof ngoc, offerExpiresAt?: Date) =>
      insertWaitlistEntry({
        establishmentId: establishment.id,
        templateId: template.id,
        day: DAY,
        startsAt: at(DAY, '10:00'),
        familyAccountId: f.family.id,
        detaineeId: f.detaineeId,
        permitIds: [f.permitId],
        offerExpiresAt,
      });
    const offered = await entry(ngoc, new Date(Date.now() + 6 * 3600_000));
    const waiting = await entry(sukru);

    // No visit is booked on the slot: the closure is made at once.
    expect(
      (await post(base, 'fermetures', { day: DAY_FR, roomId: '', templateId: template.id, reason: 'Panne de chauffage' })).status,
    ).toBe(303);
    expect(await query(`SELECT id, status FROM visit_waitlist WHERE id IN ($1, $2) ORDER BY created_at`, [offered.id, waiting.id])).toEqual(
      [
        { id: offered.id, status: 'EXPIRED' },
        { id: waiting.id, status: 'EXPIRED' },
      ],
    );
    expect(await queryOne(`SELECT booked, held FROM visit_slots WHERE id = $1`, [slot.id])).toEqual({ booked: 0, held: 0 });

    // Each family is told why; the one offered the place, that it is no longer hers; the SMS gives no reason typed by staff.
    const told = (id: string) =>
      query<{ channel: string; body: string }>(
        `SELECT channel, body_text AS body FROM notifications WHERE entity_id = $1 AND template = 'waitlist-cancelled' ORDER BY channel`,
        [id],
      );
    const [email, sms] = await told(offered.id);
    expect(email.body).toContain('Motif : Panne de chauffage');
    expect(email.body).toContain("La place qui vous était proposée n'est donc plus disponible.");
    expect(email.body).toMatch(/Vous pouvez réserver un autre créneau : http\S+\/visites\/reserver/);
    expect(sms.channel).toBe('SMS');
    expect(sms.body).toContain('(fermeture exceptionnelle)');
    expect(sms.body).not.toContain('chauffage');
    const sukruTold = await told(waiting.id);
    expect(sukruTold.map((m) => m.channel)).toEqual(['EMAIL']);
    expect(sukruTold[0].body).toContain('Motif : Panne de chauffage');
    expect(sukruTold[0].body).not.toContain('proposée');

    // The offer can no longer be confirmed.
    const family = await signInFamily(suite.app.url, ngoc.family);
    const offerPage = await family.get(`/visites/liste-attente/${offered.id}`);
    expect(offerPage.status).toBe(404);
    const csrf = page(await family.get('/visites/reserver').expect(200)).csrf();
    const refused = await family.post(`/visites/liste-attente/${offered.id}/confirmer`).type('form').send({ _csrf: csrf });
    expect(refused.status).toBe(409);
    expect(page(refused).errors()).toEqual([
      'Aucune place ne vous est proposée pour ce créneau. Retrouvez vos inscriptions dans « Mes visites et rendez-vous ».',
    ]);
    const audited = await query<{ id: string; label: string }>(
      `SELECT entity_id AS id, actor_label AS label FROM audit_log WHERE action = 'WAITLIST_CLOSED' AND establishment_id = $1`,
      [establishment.id],
    );
    expect(audited.map((a) => a.id).sort()).toEqual([offered.id, waiting.id].sort());
    expect(audited.map((a) => a.label)).toEqual(['Oğuz Çelik', 'Oğuz Çelik']);
  });

  it('a closure that hits no visit is made at once, and can be lifted (audited)', async () => {
    const { establishment, template, base } = await establishmentWithSlot();
    expect((await post(base, 'fermetures', { day: dayIn(10), reason: 'Travaux' })).status).toBe(303);
    const closure = await queryOne<{ id: string }>(`SELECT id FROM closures WHERE establishment_id = $1`, [establishment.id]);
    const family = await familyBooks(establishment.id, template.id, 'Thảo', 'Nguyễn');
    expect(family.visit.reference).toBeTruthy();
    expect((await post(base, `fermetures/${closure.id}/lever`, {})).headers.location).toBe(`${base}?fait=levee`);
    const after = page(await admin.get(`${base}?fait=levee`).expect(200));
    expect(after.text('done')).toBe('La fermeture est levée : les familles peuvent de nouveau réserver.');
    expect(after.has('closure')).toBe(false);
    expect(
      await query(`SELECT action FROM audit_log WHERE establishment_id = $1 AND action LIKE 'CLOSURE_%' ORDER BY id`, [establishment.id]),
    ).toEqual([{ action: 'CLOSURE_CREATED' }, { action: 'CLOSURE_LIFTED' }]);
    expect(await query(`SELECT status FROM visits WHERE id = $1`, [family.visit.id])).toEqual([{ status: 'BOOKED' }]);
  });
});

/** A day as the forms type it: JJ/MM/AAAA. */
const fr = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;

describe('a closure edited', () => {
  /** A closure of the whole establishment in ten days (no visit then), made from the page. */
  async function closureInTenDays(base: string, establishmentId: string) {
    expect((await post(base, 'fermetures', { day: fr(dayIn(10)), roomId: '', templateId: '', reason: 'Travaux' })).status).toBe(303);
    return queryOne<{ id: string }>(`SELECT id FROM closures WHERE establishment_id = $1`, [establishmentId]);
  }

  it('moved to a day with a booked visit reads the visit back, then cancels it and tells the family the new reason', async () => {
    const { establishment, template, base } = await establishmentWithSlot();
    const closure = await closureInTenDays(base, establishment.id);
    const family = await familyBooks(establishment.id, template.id, 'Łukasz', 'Wiśniewski', '+33612345678');

    const overview = page(await admin.get(base).expect(200));
    expect(overview.$(`[data-testid="closure"] a[href="${base}/fermetures/${closure.id}"]`).text()).toContain('Modifier');
    const edit = page(await admin.get(`${base}/fermetures/${closure.id}`).expect(200));
    expect(edit.heading()).toMatch(/^Modifier la fermeture du /);
    expect(edit.value('day')).toBe(fr(dayIn(10)));
    expect(edit.value('reason')).toBe('Travaux');
    expect(edit.value('roomId')).toBe('');

    const readBack = page(
      await admin
        .post(`${base}/fermetures/${closure.id}`)
        .type('form')
        .send({ _csrf: edit.csrf(), day: DAY_FR, roomId: '', templateId: '', reason: 'Grève du personnel' })
        .expect(200),
    );
    expect(readBack.heading()).toBe('Vérifiez les visites qui seront annulées');
    expect(readBack.text('impact-change')).toContain('Grève du personnel');
    const shown = rows(readBack);
    expect(shown).toHaveLength(1);
    expect(shown[0][3]).toContain('Łukasz');
    expect(shown[0].slice(4)).toEqual(['par e-mail et par SMS', 'Grève du personnel']);
    // Nothing is changed before the confirmation.
    expect(await query(`SELECT to_char(day, 'YYYY-MM-DD') AS day, reason FROM closures WHERE id = $1`, [closure.id])).toEqual([
      { day: dayIn(10), reason: 'Travaux' },
    ]);
    expect(await query(`SELECT status FROM visits WHERE id = $1`, [family.visit.id])).toEqual([{ status: 'BOOKED' }]);

    const done = await confirm(readBack, `${base}/fermetures/${closure.id}`).then((r) => {
      expect(r.status).toBe(303);
      return r.headers.location;
    });
    expect(done).toBe(`${base}?fait=fermeture-modifiee&annulees=1`);
    expect(page(await admin.get(done).expect(200)).text('done')).toBe(
      'La fermeture est modifiée. 1 visite annulée : les familles sont prévenues.',
    );
    // The same closure, edited: one row, its new day and reason.
    expect(
      await query(`SELECT id, to_char(day, 'YYYY-MM-DD') AS day, reason FROM closures WHERE establishment_id = $1`, [establishment.id]),
    ).toEqual([{ id: closure.id, day: DAY, reason: 'Grève du personnel' }]);
    expect(await query(`SELECT status FROM visits WHERE id = $1`, [family.visit.id])).toEqual([{ status: 'CANCELLED' }]);
    const [email, sms] = await messages(family.visit.appointmentId);
    expect(email.body).toContain('Motif : Fermeture du parloir : Grève du personnel');
    expect(email.body).toMatch(/Choisissez un autre créneau quand vous le souhaitez : http\S+\/visites\/reserver/);
    expect(sms.body).toContain('(fermeture exceptionnelle)');
    const audit = await queryOne<{ label: string; before: { day: string; reason: string }; after: { cancelledVisits: string[] } }>(
      `SELECT actor_label AS label, before, after FROM audit_log WHERE action = 'CLOSURE_CHANGED' AND entity_id = $1`,
      [closure.id],
    );
    expect(audit.label).toBe('Oğuz Çelik');
    expect(audit.before).toMatchObject({ day: dayIn(10), reason: 'Travaux' });
    expect(audit.after.cancelledVisits).toEqual([family.visit.reference]);
  });

  it('with only its reason changed and no visit hit, is saved at once (audited)', async () => {
    const { establishment, template, base } = await establishmentWithSlot();
    const closure = await closureInTenDays(base, establishment.id);
    await familyBooks(establishment.id, template.id, 'Şükrü', 'Yılmaz');
    const saved = await post(base, `fermetures/${closure.id}`, {
      day: fr(dayIn(10)),
      roomId: '',
      templateId: '',
      reason: 'Travaux de toiture',
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`${base}?fait=fermeture-modifiee`);
    expect(await query(`SELECT to_char(day, 'YYYY-MM-DD') AS day, reason FROM closures WHERE id = $1`, [closure.id])).toEqual([
      { day: dayIn(10), reason: 'Travaux de toiture' },
    ]);
    expect(
      await query(`SELECT action FROM audit_log WHERE establishment_id = $1 AND action LIKE 'CLOSURE_%' ORDER BY id`, [establishment.id]),
    ).toEqual([{ action: 'CLOSURE_CREATED' }, { action: 'CLOSURE_CHANGED' }]);
    expect(await query(`SELECT DISTINCT status FROM visits WHERE establishment_id = $1`, [establishment.id])).toEqual([
      { status: 'BOOKED' },
    ]);
  });

  it('another establishment’s closure is not found, a past one cannot be edited, nor moved to a past day', async () => {
    const mine = await establishmentWithSlot();
    const theirs = await establishmentWithSlot();
    const closure = await closureInTenDays(mine.base, mine.establishment.id);
    const their = await closureInTenDays(theirs.base, theirs.establishment.id);
    const fields = { day: fr(dayIn(11)), roomId: '', templateId: '', reason: 'Grève' };
    await admin.get(`${mine.base}/fermetures/${their.id}`).expect(404);
    expect((await post(mine.base, `fermetures/${their.id}`, fields)).status).toBe(404);
    await admin.get(`${mine.base}/fermetures/pas-un-identifiant`).expect(404);
    expect(await query(`SELECT reason FROM closures WHERE id = $1`, [their.id])).toEqual([{ reason: 'Travaux' }]);

    const toThePast = await post(mine.base, `fermetures/${closure.id}`, { ...fields, day: fr(dayIn(-2)) });
    expect(toThePast.status).toBe(400);
    expect(page(toThePast).fieldError('day')).toBe('Choisissez un jour à venir : une fermeture ne peut pas être déplacée dans le passé.');
    const theirRoom = await post(mine.base, `fermetures/${closure.id}`, { ...fields, roomId: theirs.room.id });
    expect(theirRoom.status).toBe(400);
    expect(page(theirRoom).fieldError('roomId')).toBe('Parloir inconnu.');

    const past = await queryOne<{ id: string }>(
      `INSERT INTO closures (establishment_id, day, reason) VALUES ($1, $2, 'Grève') RETURNING id`,
      [mine.establishment.id, dayIn(-2)],
    );
    await admin.get(`${mine.base}/fermetures/${past.id}`).expect(409);
    const refused = await post(mine.base, `fermetures/${past.id}`, fields);
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('Cette fermeture est passée : elle ne peut plus être modifiée.');
    expect(await query(`SELECT to_char(day, 'YYYY-MM-DD') AS day FROM closures WHERE id = $1`, [past.id])).toEqual([{ day: dayIn(-2) }]);
    await parloir.get(`${mine.base}/fermetures/${closure.id}`).expect(403);
  });
});

describe('a booking while the calendar changes', () => {
  it('waits for the change under the calendar lock, then sees the closure: no visit is booked on a slot being closed', async () => {
    const { establishment, template } = await establishmentWithSlot();
    const detainee = await insertDetainee(establishment.id);
    const f = await insertFamily({ givenName: 'Jiří', familyName: 'Dvořák' });
    await insertPermit({ establishmentId: establishment.id, detaineeId: detainee.id, familyAccountId: f.id });
    const agent = await signInFamily(suite.app.url, f);
    const form = page(await agent.get('/visites/reserver').expect(200));
    const slot = form.options('slot').find((v) => v.startsWith(`${template.id}|${DAY}`))!;
    await withClient(async (c) => {
      // The administrator's change holds the calendar lock, exclusive, while it writes the closure.
      await c.query('BEGIN');
      await c.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`calendar:${establishment.id}`]);
      const booking = agent
        .post('/visites/reserver')
        .type('form')
        .send({ ...form.formFields('/visites/reserver'), slot, action: 'book' })
        .then((r) => r);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await c.query(`INSERT INTO closures (establishment_id, day, reason) VALUES ($1, $2, 'Grève')`, [establishment.id, DAY]);
      await c.query('COMMIT');
      const refused = await booking;
      expect(refused.status).toBe(400);
      expect(page(refused).errors()).toEqual(['Parloir fermé ce jour-là (Grève). Choisissez un autre jour.']);
    });
    expect(await query(`SELECT count(*)::int AS n FROM visits WHERE establishment_id = $1`, [establishment.id])).toEqual([{ n: 0 }]);
  });
});

describe('no reminder for a visit cancelled by a closure or "À revoir"', () => {
  it('the outbox re-check drops the reminders of a visit "À revoir"; a closure cancels those of the visits it hits; others go', async () => {
    const { establishment, template, base } = await establishmentWithSlot();
    const room = await insertRoom(establishment.id, { name: 'Parloir Ğ' });
    const other = await insertSlotTemplate(room.id, { dayOfWeek: weekdayOf(DAY), start: '10:00', end: '11:00', capacity: 4 });
    const closed = await familyBooks(establishment.id, template.id, 'Łucja', 'Kowalczyk', '+33611223344');
    const flagged = await familyBooks(establishment.id, other.id, 'Kərim', 'Əliyev', '+33622334455');
    const kept = await familyBooks(establishment.id, other.id, 'Zeynep', 'Şahin', '+33633445566');

    // A closure of the first room only, confirmed on its read-back.
    const readBack = page(await post(base, 'fermetures', { day: DAY_FR, roomId: (await roomOf(template.id)).roomId, reason: 'Travaux' }));
    expect(rows(readBack)).toHaveLength(1);
    expect((await confirm(readBack, `${base}/fermetures`)).status).toBe(303);
    // A suspended permit flags the second visit « À revoir » (trigger), its convocation still booked.
    await query(`UPDATE permits SET status = 'SUSPENDED', status_reason = 'Incident' WHERE id = $1`, [flagged.permitId]);
    expect(await query(`SELECT review_reason FROM visits WHERE id = $1`, [flagged.visit.id])).toEqual([
      { review_reason: 'Permis suspendu (Kərim Əliyev)' },
    ]);
    expect(await query(`SELECT status FROM appointments WHERE id = $1`, [flagged.visit.appointmentId])).toEqual([{ status: 'BOOKED' }]);

    // Every reminder is due an hour before the visit.
    await suite.app.setClock(new Date(at(DAY, '10:00').getTime() - 3_600_000), { frozen: true });
    try {
      const reminders = (appointmentId: string) =>
        query<{ channel: string; status: string; reason: string | null }>(
          `SELECT channel, status, status_reason AS reason FROM notifications
            WHERE entity_id = $1 AND category = 'REMINDER' ORDER BY channel`,
          [appointmentId],
        );
      const settled = (rs: { status: string }[]) => rs.length === 2 && rs.every((r) => !['PENDING', 'SENDING'].includes(r.status));
      const keptReminders = await waitFor('reminders of the kept visit', async () => {
        const rs = await reminders(kept.visit.appointmentId);
        return settled(rs) ? rs : undefined;
      });
      expect(keptReminders.map((r) => [r.channel, r.status])).toEqual([
        ['EMAIL', 'SENT'],
        ['SMS', 'SENT'],
      ]);
      const flaggedReminders = await waitFor('reminders of the visit « À revoir »', async () => {
        const rs = await reminders(flagged.visit.appointmentId);
        return settled(rs) ? rs : undefined;
      });
      expect(flaggedReminders).toEqual([
        { channel: 'EMAIL', status: 'DROPPED', reason: 'Visite à revoir par l’établissement' },
        { channel: 'SMS', status: 'DROPPED', reason: 'Visite à revoir par l’établissement' },
      ]);
      expect((await reminders(closed.visit.appointmentId)).map((r) => r.status)).toEqual(['CANCELLED', 'CANCELLED']);
    } finally {
      await suite.app.resetClock();
    }
  });
});

async function roomOf(templateId: string) {
  return queryOne<{ roomId: string }>(`SELECT room_id AS "roomId" FROM slot_templates WHERE id = $1`, [templateId]);
}

describe('rooms and weekly slots edited or deactivated', () => {
  /** Two visits on the slot, booked by the visiting room (no convocation), the second one later. */
  async function twoVisits(establishmentId: string, roomId: string, templateId: string) {
    const visits = [];
    for (const [given, family] of [
      ['Małgorzata', 'Wójcik'],
      ['عمر', 'الحسن'],
    ]) {
      const detainee = await insertDetainee(establishmentId);
      const permit = await insertPermit({ establishmentId, detaineeId: detainee.id, visitorGivenName: given, visitorFamilyName: family });
      visits.push(
        await insertVisit({
          establishmentId,
          roomId,
          templateId,
          detaineeId: detainee.id,
          permitIds: [permit.id],
          startsAt: at(DAY, '10:00'),
          capacity: 3,
        }),
      );
      await query(`UPDATE visits SET created_at = now() + make_interval(secs => $2) WHERE id = $1`, [visits.at(-1)!.id, visits.length]);
    }
    return visits;
  }

  it('fewer cabins in a room cancel its last booked visit after the read-back, and the slot keeps within the cabins', async () => {
    const { establishment, room, template, base } = await establishmentWithSlot({ cabins: 3, capacity: 3 });
    const [first, second] = await twoVisits(establishment.id, room.id, template.id);
    const edit = page(await admin.get(`${base}/salles/${room.id}`).expect(200));
    expect(edit.heading()).toBe('Modifier le parloir Parloir Ünal');
    expect(edit.value('cabins')).toBe('3');
    const readBack = await admin
      .post(`${base}/salles/${room.id}`)
      .type('form')
      .send({ _csrf: edit.csrf(), name: 'Parloir Ünal', kind: 'ORDINARY', cabins: '1', active: 'oui' })
      .expect(200);
    const shown = rows(page(readBack));
    expect(shown).toHaveLength(1);
    expect(shown[0][3]).toContain('عمر');
    expect(shown[0].slice(4)).toEqual([
      `à appeler (réf. ${second.reference})`,
      'le nombre de places du créneau de votre visite a été réduit',
    ]);
    expect(page(readBack).text('impact-summary')).toContain('1 visite n’a ni e-mail ni téléphone : appelez ces familles.');
    expect((await confirm(page(readBack), `${base}/salles/${room.id}`)).status).toBe(303);
    expect(await query(`SELECT id, status FROM visits WHERE establishment_id = $1 ORDER BY status`, [establishment.id])).toEqual([
      { id: first.id, status: 'BOOKED' },
      { id: second.id, status: 'CANCELLED' },
    ]);
    expect(await queryOne(`SELECT capacity FROM slot_templates WHERE id = $1`, [template.id])).toEqual({ capacity: 1 });
    expect(await queryOne(`SELECT capacity, booked FROM visit_slots WHERE id = $1`, [first.slotId])).toEqual({ capacity: 1, booked: 1 });
    expect(
      await query(`SELECT actor_label AS label, entity_id AS "entityId" FROM audit_log WHERE action = 'VISITING_ROOM_CHANGED'`, []).then(
        (r) => r.filter((x) => x.entityId === room.id),
      ),
    ).toEqual([{ label: 'Oğuz Çelik', entityId: room.id }]);
  });

  it('a weekly slot moved to other hours, or deactivated, reads back the visits it no longer gives; a room without visits is deactivated at once', async () => {
    const { establishment, room, template, base } = await establishmentWithSlot({ cabins: 3, capacity: 3 });
    const [first, second] = await twoVisits(establishment.id, room.id, template.id);
    const edit = page(await admin.get(`${base}/creneaux/${template.id}`).expect(200));
    expect(edit.value('start')).toBe('10:00');
    const fields = { _csrf: edit.csrf(), dayOfWeek: String(weekdayOf(DAY)), start: '15:00', end: '16:00', capacity: '3' };
    const readBack = page(
      await admin
        .post(`${base}/creneaux/${template.id}`)
        .type('form')
        .send({ ...fields, validFrom: '01/01/2026', validTo: '' })
        .expect(200),
    );
    expect(rows(readBack).map((r) => r[5])).toEqual([
      'le créneau de votre visite est supprimé ou ses horaires ont changé',
      'le créneau de votre visite est supprimé ou ses horaires ont changé',
    ]);
    // Going back changes nothing; deactivating the slot reads back the same visits.
    expect(await queryOne(`SELECT to_char(start_time, 'HH24:MI') AS start FROM slot_templates WHERE id = $1`, [template.id])).toEqual({
      start: '10:00',
    });
    const unconfirmed = await admin.post(`${base}/creneaux/${template.id}/desactiver`).type('form').send({ _csrf: edit.csrf() });
    expect(unconfirmed.status).toBe(400);
    const deactivate = page(
      await admin.post(`${base}/creneaux/${template.id}/desactiver`).type('form').send({ _csrf: edit.csrf(), confirm: 'oui' }).expect(200),
    );
    expect(rows(deactivate)).toHaveLength(2);
    expect((await confirm(deactivate, `${base}/creneaux/${template.id}/desactiver`)).headers.location).toBe(
      `${base}?fait=creneau&annulees=2`,
    );
    expect(await query(`SELECT DISTINCT status FROM visits WHERE id = ANY($1::uuid[])`, [[first.id, second.id]])).toEqual([
      { status: 'CANCELLED' },
    ]);
    const overview = page(await admin.get(base).expect(200));
    expect(overview.has('template')).toBe(false);

    // No visit left: the room is deactivated at once.
    const roomPage = page(await admin.get(`${base}/salles/${room.id}`).expect(200));
    const deactivated = await admin
      .post(`${base}/salles/${room.id}`)
      .type('form')
      .send({ _csrf: roomPage.csrf(), name: 'Parloir Ünal', kind: 'ORDINARY', cabins: '3' })
      .expect(303);
    expect(deactivated.headers.location).toBe(`${base}?fait=salle`);
    expect(page(await admin.get(base).expect(200)).texts('room')).toEqual([
      'Parloir Ünal — Ordinaire, 3 cabine(s) ou table(s) (désactivé)',
    ]);
  });

  it('a room deactivated with booked visits reads them back, then cancels them and tells each family why', async () => {
    const { establishment, room, template, base } = await establishmentWithSlot();
    const lukasz = await familyBooks(establishment.id, template.id, 'Łukasz', 'Wiśniewski', '+33612345678');
    const sukru = await familyBooks(establishment.id, template.id, 'Şükrü', 'Yılmaz');
    const edit = page(await admin.get(`${base}/salles/${room.id}`).expect(200));
    expect(edit.$('#active').attr('checked')).toBeDefined();
    // The box « reçoit des visites » unticked: no `active` field.
    const readBack = page(
      await admin
        .post(`${base}/salles/${room.id}`)
        .type('form')
        .send({ _csrf: edit.csrf(), name: 'Parloir Ünal', kind: 'ORDINARY', cabins: '4' })
        .expect(200),
    );
    expect(readBack.text('impact-change')).toBe('Parloir Ünal : le parloir ne reçoit plus de visites.');
    expect(readBack.text('impact-summary')).toContain('Ce changement annule 2 visites réservées (2 visiteurs)');
    const shown = rows(readBack);
    expect(shown).toHaveLength(2);
    expect(shown.some((r) => r[3].includes('Łukasz'))).toBe(true);
    expect(shown.some((r) => r[3].includes('Şükrü'))).toBe(true);
    expect(shown.map((r) => r[5])).toEqual([
      'le parloir de votre visite ne reçoit plus de visites',
      'le parloir de votre visite ne reçoit plus de visites',
    ]);
    // Nothing is changed before the confirmation.
    expect(await queryOne(`SELECT active FROM visiting_rooms WHERE id = $1`, [room.id])).toEqual({ active: true });
    expect(await query(`SELECT DISTINCT status FROM visits WHERE establishment_id = $1`, [establishment.id])).toEqual([
      { status: 'BOOKED' },
    ]);

    expect((await confirm(readBack, `${base}/salles/${room.id}`)).headers.location).toBe(`${base}?fait=salle&annulees=2`);
    expect(await queryOne(`SELECT active FROM visiting_rooms WHERE id = $1`, [room.id])).toEqual({ active: false });
    expect(await query(`SELECT DISTINCT status FROM visits WHERE establishment_id = $1`, [establishment.id])).toEqual([
      { status: 'CANCELLED' },
    ]);
    const [email, sms] = await messages(lukasz.visit.appointmentId);
    expect(email.channel).toBe('EMAIL');
    expect(email.body).toContain('Motif : Visite annulée par l’établissement : le parloir de votre visite ne reçoit plus de visites');
    expect(email.body).toMatch(/Choisissez un autre créneau quand vous le souhaitez : http\S+\/visites\/reserver/);
    expect(sms.channel).toBe('SMS');
    expect(sms.body).toContain(`réf. ${lukasz.visit.reference}, est annulé (changement des horaires de visite)`);
    const sukruMessages = await messages(sukru.visit.appointmentId);
    expect(sukruMessages.map((m) => m.channel)).toEqual(['EMAIL']);
    expect(sukruMessages[0].body).toContain('le parloir de votre visite ne reçoit plus de visites');
    const audit = await queryOne<{ after: { cancelledVisits: string[] } }>(
      `SELECT after FROM audit_log WHERE action = 'VISITING_ROOM_CHANGED' AND entity_id = $1`,
      [room.id],
    );
    expect(audit.after.cancelledVisits.sort()).toEqual([lukasz.visit.reference, sukru.visit.reference].sort());
  });

  it('another establishment’s room or slot is not found, and a slot keeps within its room’s cabins', async () => {
    const mine = await establishmentWithSlot({ cabins: 3, capacity: 3 });
    const theirs = await establishmentWithSlot();
    const csrf = page(await admin.get(mine.base).expect(200)).csrf();
    await admin.get(`${mine.base}/salles/${theirs.room.id}`).expect(404);
    await admin.get(`${mine.base}/creneaux/${theirs.template.id}`).expect(404);
    await admin
      .post(`${mine.base}/salles/${theirs.room.id}`)
      .type('form')
      .send({ _csrf: csrf, name: 'X', kind: 'ORDINARY', cabins: '1' })
      .expect(404);
    const tooMany = await admin
      .post(`${mine.base}/creneaux/${mine.template.id}`)
      .type('form')
      .send({ _csrf: csrf, dayOfWeek: '3', start: '10:00', end: '11:00', capacity: '5', validFrom: '01/01/2026' })
      .expect(400);
    expect(page(tooMany).fieldError('capacity')).toBe(
      'Le parloir n’a que 3 cabine(s) : la capacité du créneau ne peut pas dépasser ce nombre.',
    );
    await parloir.get(`${mine.base}/salles/${mine.room.id}`).expect(403);
  });
});

describe('the visiting room cancels a visit with a reason chosen from a list', () => {
  it('asks for the reason (and a precision for « Autre »), and the family’s message states it', async () => {
    const { establishment, template } = await establishmentWithSlot();
    const family = await familyBooks(establishment.id, template.id, 'Thảo', 'Nguyễn', '+33644556677');
    const base = `/etablissements/${establishment.code}/parloir/visites/${family.visit.id}`;
    const visitPage = page(await parloir.get(base).expect(200));
    expect(visitPage.options('reason')).toEqual(['FAMILY_REQUEST', 'DETAINEE_PREVENTED', 'ROOM_CLOSED', 'SECURITY', 'OTHER']);
    expect(visitPage.$('#reason option[value="DETAINEE_PREVENTED"]').text()).toBe('La personne détenue est empêchée');
    const noReason = await parloir.post(`${base}/annuler`).type('form').send({ _csrf: visitPage.csrf(), confirm: 'oui' }).expect(400);
    expect(page(noReason).errors()).toEqual(['Choisissez le motif de l’annulation']);
    const vague = await parloir
      .post(`${base}/annuler`)
      .type('form')
      .send({ _csrf: visitPage.csrf(), confirm: 'oui', reason: 'OTHER', details: '' })
      .expect(400);
    expect(page(vague).errors()).toEqual(['Précisez le motif (la famille le lira)']);
    expect(page(vague).value('reason')).toBe('OTHER');
    await parloir
      .post(`${base}/annuler`)
      .type('form')
      .send({ _csrf: visitPage.csrf(), confirm: 'oui', reason: 'DETAINEE_PREVENTED' })
      .expect(303);
    expect(await query(`SELECT status FROM visits WHERE id = $1`, [family.visit.id])).toEqual([{ status: 'CANCELLED' }]);
    const [email, sms] = await messages(family.visit.appointmentId);
    expect(email.body).toContain('Motif : Visite annulée par l’établissement : la personne détenue est empêchée de vous recevoir');
    expect(email.body).toMatch(/Choisissez un autre créneau quand vous le souhaitez : http\S+\/visites\/reserver/);
    expect(sms.body).toContain('est annulé (personne visitée indisponible)');
    expect(await queryOne(`SELECT cancel_reason AS reason FROM appointments WHERE id = $1`, [family.visit.appointmentId])).toEqual({
      reason: 'Visite annulée par l’établissement : la personne détenue est empêchée de vous recevoir',
    });
  });
});
