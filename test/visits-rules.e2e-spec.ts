import { addDays, subYears } from 'date-fns';
import { query, queryOne } from './helpers/db';
import { appForTests } from './helpers/app';
import { type HtmlPage, page } from './helpers/html';
import { type Agent, signInAgent, signInFamily } from './helpers/sign-in';
import { insertAgent, insertDetainee, insertEstablishment } from './factories/people';
import { insertPermit, insertPermitRequest } from './factories/permits';
import {
  at,
  dayIn,
  insertBookingSetup,
  insertRoom,
  insertSlotTemplate,
  insertVisit,
  setVisitSettings,
  weekdayOf,
} from './factories/visits';

/*
 * The rules corrected in issue 13: minors in ordinary parloirs (16 and more alone with the
 * parental-authority holders' written consent recorded on the permit, never under 16, majority 18),
 * the weekly figures of L341-2/3 as floors under the establishment's cap, visits that did not take
 * place because of the visitor not using the week, and the visiting room booking over the cap with a reason.
 */
const suite = appForTests();

/** The day of the first bookable slot (the booking setups' weekly slot falls on it). */
const DAY = dayIn(3);

/** A birth date `years` years before `day`, moved by `days` (+1: the day after, so one year younger on `day`). */
function bornBefore(day: string, years: number, days = 0): string {
  return addDays(subYears(new Date(`${day}T12:00:00Z`), years), days)
    .toISOString()
    .slice(0, 10);
}

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Why a slot cannot be taken, as the page says it (its own line, or its day's); null when it is offered. */
function whyNot(p: HtmlPage, slot: string): string | null {
  const own = p.$(`[data-testid="slot-unavailable"][data-slot="${slot}"] [data-testid="slot-reason"]`);
  if (own.length) return squash(own.text());
  const day = p.$(`[data-testid="slot-day"][data-day="${slot.split('|')[1]}"] [data-testid="slot-day-unavailable"]`);
  return day.length ? squash(day.text()) : null;
}

/** The booking page shows one week: `?semaine=` the week of a slot (its day). */
const weekOf = (slot: string) => `?semaine=${slot.split('|')[1]}`;

async function familyForm(family: Agent, query = ''): Promise<HtmlPage> {
  return page(await family.get(`/visites/reserver${query}`).expect(200));
}

/** Sends the family's booking form as the browser would, with `fields` on top. */
async function sendBooking(family: Agent, fields: Record<string, string | string[]>, query = '') {
  const form = await familyForm(family, query);
  return family
    .post('/visites/reserver')
    .type('form')
    .send({ ...form.formFields('/visites/reserver'), ...fields });
}

const CONSENT_MISSING =
  'Un mineur de 16 ou 17 ans vient sans adulte seulement avec l’autorisation écrite des titulaires de l’autorité parentale, ' +
  'enregistrée sur son permis par le greffe. Sinon, il vient accompagné d’un adulte titulaire d’un permis de visite.';
const UNDER_16 =
  'Un enfant de moins de 16 ans vient accompagné d’un adulte titulaire d’un permis de visite. Choisissez aussi un adulte qui vient avec lui.';

describe('minors in an ordinary parloir', () => {
  it('a visitor of 16 on the visit day comes alone only once the greffe records the parental consent on the permit, and the door reads it', async () => {
    // Zofia is 15 today and turns 16 on the day of the first slot.
    const setup = await insertBookingSetup({
      family: { givenName: 'Łucja', familyName: 'Wiśniewska' },
      visitor: { givenName: 'Zofia', familyName: 'Wiśniewska', birthdate: bornBefore(DAY, 16) },
    });
    const { establishment, permit } = setup;
    const slot = `${setup.template.id}|${DAY}`;
    const family = await signInFamily(suite.app.url, setup.family);
    const before = await familyForm(family, weekOf(slot));
    expect(before.options('slot')).toEqual([]);
    expect(whyNot(before, slot)).toBe(CONSENT_MISSING);
    const refused = await sendBooking(family, { slot });
    expect(refused.status).toBe(400);
    expect(page(refused).errors()).toEqual([CONSENT_MISSING]);

    // The greffe records the consent of the parental-authority holders on the permit.
    const officer = await signInAgent(
      suite.app.url,
      await insertAgent([{ establishmentId: establishment.id, role: 'PERMITS_OFFICER' }], { givenName: 'Oğuz', usualName: 'Çelik' }),
    );
    const permitUrl = `/etablissements/${establishment.code}/permis/${permit.id}`;
    const permitPage = page(await officer.get(permitUrl).expect(200));
    expect(permitPage.text('unaccompanied-consent-state')).toContain(
      'Mineur : vient accompagné d’un adulte titulaire d’un permis de visite.',
    );
    const csrf = permitPage.csrf();
    const empty = await officer.post(`${permitUrl}/visite-sans-adulte`).type('form').send({ _csrf: csrf, note: ' ' });
    expect(empty.status).toBe(400);
    expect(page(empty).errors()).toEqual(['Choisissez l’autorisation jointe à la demande ou décrivez l’autorisation reçue sur papier.']);
    const note = 'Autorisation signée des deux parents, reçue le 20/11, classée au dossier';
    await officer.post(`${permitUrl}/visite-sans-adulte`).type('form').send({ _csrf: csrf, note }).expect(303);
    const recorded = page(await officer.get(permitUrl).expect(200));
    expect(recorded.text('unaccompanied-consent-state')).toContain('Autorisation parentale enregistrée');
    expect(recorded.text('unaccompanied-consent-state')).toContain(note);
    // Still 15 today: the page says she may come alone from her 16th birthday.
    expect(recorded.text('unaccompanied-consent')).toContain(
      'Ce visiteur a 15 ans : il vient accompagné d’un adulte titulaire d’un permis jusqu’à ses 16 ans',
    );
    expect(
      await query(`SELECT action, actor_label AS label FROM audit_log WHERE entity_id = $1 AND action LIKE 'PERMIT_UNACCOMPANIED%'`, [
        permit.id,
      ]),
    ).toEqual([{ action: 'PERMIT_UNACCOMPANIED_CONSENT_RECORDED', label: 'Oğuz Çelik' }]);

    // 16 on the day of the visit, with the consent: the slot is offered and booked.
    const after = await familyForm(family, weekOf(slot));
    expect(after.options('slot')).toContain(slot);
    await sendBooking(family, { slot }).then((res) => expect(res.status).toBe(303));

    // At the door, the agent reads that she may come without an adult.
    const visit = await queryOne<{ id: string }>(`SELECT id FROM visits WHERE family_account_id = $1`, [setup.family.id]);
    const door = await signInAgent(
      suite.app.url,
      await insertAgent([{ establishmentId: establishment.id, role: 'PARLOIR_AGENT' }], { givenName: 'Aylin', usualName: 'Öztürk' }),
    );
    const check = page(await door.get(`/etablissements/${establishment.code}/parloir/visites/${visit.id}`).expect(200));
    expect(check.text('visitor-minor')).toBe(
      'Mineur de 16 ans : peut venir sans adulte (autorisation écrite des titulaires de l’autorité parentale enregistrée sur le permis).',
    );

    // The visit booked with her alone is flagged « à revoir » (no reminder, the parloir calls the family);
    // one where she comes with an adult holding a permit is not.
    const withAdult = await insertVisit({
      establishmentId: establishment.id,
      roomId: setup.room.id,
      detaineeId: setup.detainee.id,
      startsAt: at(dayIn(10), '14:00'),
      permitIds: [
        permit.id,
        (
          await insertPermit({
            establishmentId: establishment.id,
            detaineeId: setup.detainee.id,
            visitorGivenName: 'Ewa',
            visitorFamilyName: 'Wiśniewska',
            visitorBirthdate: '1980-03-02',
          })
        ).id,
      ],
    });
    // The consent withdrawn (confirmed first): she comes with an adult again; audited.
    const noConfirm = await officer.post(`${permitUrl}/visite-sans-adulte/retrait`).type('form').send({ _csrf: csrf });
    expect(noConfirm.status).toBe(400);
    expect(page(noConfirm).errors()).toEqual(['Cochez la case pour confirmer le retrait de l’autorisation.']);
    await officer.post(`${permitUrl}/visite-sans-adulte/retrait`).type('form').send({ _csrf: csrf, confirm: 'oui' }).expect(303);
    const withdrawn = page(await door.get(`/etablissements/${establishment.code}/parloir/visites/${visit.id}`).expect(200));
    expect(withdrawn.text('visitor-minor')).toBe('Mineur de 16 ans : vient accompagné d’un adulte titulaire d’un permis de visite.');
    expect(withdrawn.text('review-reason')).toBe('Visite à revoir : Autorisation de venir sans adulte retirée (Zofia Wiśniewska)');
    expect(
      await query(`SELECT id, review_reason IS NOT NULL AS flagged FROM visits WHERE id IN ($1, $2) ORDER BY lower(during)`, [
        visit.id,
        withAdult.id,
      ]),
    ).toEqual([
      { id: visit.id, flagged: true },
      { id: withAdult.id, flagged: false },
    ]);
    expect(
      await query(`SELECT action FROM audit_log WHERE entity_id = $1 AND action LIKE 'PERMIT_UNACCOMPANIED%' ORDER BY id`, [permit.id]),
    ).toEqual([{ action: 'PERMIT_UNACCOMPANIED_CONSENT_RECORDED' }, { action: 'PERMIT_UNACCOMPANIED_CONSENT_WITHDRAWN' }]);
  });

  it('the greffe records a consent sent with the permit’s request, never another request’s document, and none for an adult visitor', async () => {
    const setup = await insertBookingSetup({
      family: { givenName: 'Amira', familyName: 'Ben Saïd' },
      visitor: { givenName: 'Yasmine', familyName: 'Ben Saïd', birthdate: bornBefore(DAY, 17) },
    });
    const { establishment, permit, detainee } = setup;
    const request = await insertPermitRequest({
      familyAccountId: setup.family.id,
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      status: 'GRANTED',
    });
    const other = await insertPermitRequest({
      familyAccountId: setup.family.id,
      establishmentId: establishment.id,
      detaineeId: detainee.id,
    });
    await query(`UPDATE permits SET request_id = $2 WHERE id = $1`, [permit.id, request.id]);
    const document = (requestId: string, name: string) =>
      queryOne<{ id: string }>(
        `INSERT INTO permit_documents (request_id, kind, storage_key, content_type, size_bytes, sha256, original_name)
         VALUES ($1, 'PARENTAL_CONSENT', $2, 'application/pdf', 10, repeat('0', 64), $3) RETURNING id`,
        [requestId, `test-${requestId}-${name}`, name],
      );
    const consent = await document(request.id, 'autorisation-parents.pdf');
    const foreign = await document(other.id, 'autre-demande.pdf');
    const officer = await signInAgent(
      suite.app.url,
      await insertAgent([{ establishmentId: establishment.id, role: 'PERMITS_OFFICER' }], { givenName: 'Ewa', usualName: 'Kowalczyk' }),
    );
    const permitUrl = `/etablissements/${establishment.code}/permis/${permit.id}`;
    const form = page(await officer.get(permitUrl).expect(200));
    expect(form.options('documentId')).toEqual([consent.id]);
    expect(squash(form.$(`option[value="${consent.id}"]`).text())).toMatch(
      /^autorisation-parents\.pdf \(reçue le \d{1,2} [a-zéû]+ \d{4}\)$/,
    );
    const wrong = await officer.post(`${permitUrl}/visite-sans-adulte`).type('form').send({ _csrf: form.csrf(), documentId: foreign.id });
    expect(wrong.status).toBe(400);
    expect(page(wrong).fieldError('documentId')).toBe('Choisissez une autorisation jointe à la demande de ce permis.');
    await officer.post(`${permitUrl}/visite-sans-adulte`).type('form').send({ _csrf: form.csrf(), documentId: consent.id }).expect(303);
    const recorded = page(await officer.get(permitUrl).expect(200));
    expect(recorded.text('permit-minor')).toBe('mineur de 16 ans : peut venir sans adulte (autorisation parentale enregistrée)'); // today; 17 on the visit day;
    expect(recorded.link('autorisation jointe à la demande')).toBe(`/etablissements/${establishment.code}/permis/documents/${consent.id}`);
    expect(await queryOne(`SELECT unaccompanied_consent_document_id AS "documentId" FROM permits WHERE id = $1`, [permit.id])).toEqual({
      documentId: consent.id,
    });

    // An adult visitor needs no consent: nothing is offered, and a forged request is refused.
    const adult = await insertPermit({ establishmentId: establishment.id, detaineeId: detainee.id, visitorBirthdate: '1980-01-01' });
    const adultUrl = `/etablissements/${establishment.code}/permis/${adult.id}`;
    const adultPage = page(await officer.get(adultUrl).expect(200));
    expect(adultPage.has('unaccompanied-consent')).toBe(false);
    const forged = await officer
      .post(`${adultUrl}/visite-sans-adulte`)
      .type('form')
      .send({ _csrf: adultPage.csrf(), note: 'Autorisation des parents' });
    expect(forged.status).toBe(409);
    expect(page(forged).errors()).toEqual(['Le visiteur est majeur : il vient sans adulte, aucune autorisation n’est nécessaire.']);
  });

  it('a visitor under 16 never comes alone, even with the consent, at the family’s or the visiting room’s booking, and comes with an adult who holds a permit', async () => {
    // Şükrü turns 16 the day after the first slot: 15 on it, 16 a week later.
    const setup = await insertBookingSetup({
      family: { givenName: 'Ayşe', familyName: 'Yılmaz' },
      visitor: { givenName: 'Şükrü', familyName: 'Yılmaz', birthdate: bornBefore(DAY, 16, 1) },
    });
    const { establishment, permit, detainee } = setup;
    await query(
      `UPDATE permits SET unaccompanied_consent_at = now(), unaccompanied_consent_note = 'Autorisation des deux parents' WHERE id = $1`,
      [permit.id],
    );
    const slot = `${setup.template.id}|${DAY}`;
    const nextWeek = `${setup.template.id}|${addDays(new Date(`${DAY}T12:00:00Z`), 7)
      .toISOString()
      .slice(0, 10)}`;
    const family = await signInFamily(suite.app.url, setup.family);
    const form = await familyForm(family, weekOf(slot));
    expect(whyNot(form, slot)).toBe(UNDER_16);
    // The first week he may come alone is the one shown by default.
    expect((await familyForm(family)).options('slot')).toContain(nextWeek);
    const alone = await sendBooking(family, { slot });
    expect(page(alone).errors()).toEqual([UNDER_16]);

    // The visiting room cannot book it either.
    const agent = await signInAgent(
      suite.app.url,
      await insertAgent([{ establishmentId: establishment.id, role: 'PARLOIR_AGENT' }], { givenName: 'Nguyễn', usualName: 'Văn An' }),
    );
    const url = `/etablissements/${establishment.code}/visites/reserver`;
    const staffForm = page(await agent.get(`${url}?ecrou=${detainee.ecrouNumber}&semaine=${DAY}`).expect(200));
    expect(whyNot(staffForm, slot)).toBe(UNDER_16);
    const staff = await agent
      .post(url)
      .type('form')
      .send({ ...staffForm.formFields(url), permitIds: permit.id, slot, channel: 'PHONE' });
    expect(staff.status).toBe(400);
    expect(page(staff).errors()).toEqual([UNDER_16]);

    // With his mother, who holds a permit too, the family books that day.
    const mother = await insertPermit({
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      familyAccountId: setup.family.id,
      visitorGivenName: 'Ayşe',
      visitorFamilyName: 'Yılmaz',
      visitorBirthdate: '1980-02-02',
    });
    const both = `?detenu=${detainee.id}&visiteurs=${permit.id}&visiteurs=${mother.id}`;
    const withMother = await familyForm(family, `${both}&semaine=${DAY}`);
    expect(withMother.options('slot')).toContain(slot);
    const booked = await sendBooking(family, { slot, permitIds: [permit.id, mother.id] }, both);
    expect(booked.status).toBe(303);
  });
});

describe('the weekly visits of L341-2/3 are floors under the establishment’s cap', () => {
  it('a no-show or a refusal at the door does not use the week: the family books again that week; a visit that took place does', async () => {
    const setup = await insertBookingSetup({
      family: { givenName: 'Ionuț', familyName: 'Ştefănescu' },
      detainee: { firstName: 'محمد', lastName: 'Haddad', legalStatus: 'CONDAMNE' },
    });
    const slot = `${setup.template.id}|${DAY}`;
    // Earlier that week (same day, morning): a visit of the family that did not take place.
    const missed = await insertVisit({
      establishmentId: setup.establishment.id,
      roomId: setup.room.id,
      detaineeId: setup.detainee.id,
      startsAt: at(DAY, '09:00'),
      permitIds: [setup.permit.id],
      familyAccountId: setup.family.id,
    });
    const family = await signInFamily(suite.app.url, setup.family);
    const setStatus = (status: string) => query(`UPDATE visits SET status = $2 WHERE id = $1`, [missed.id, status]);

    await setStatus('NO_SHOW');
    expect(whyNot(await familyForm(family, weekOf(slot)), slot)).toBeNull();
    await setStatus('DONE');
    expect(whyNot(await familyForm(family, weekOf(slot)), slot)).toMatch(
      /^Vous avez déjà une visite cette semaine-là : .+ à 09 h 00\. La personne détenue a droit à 1 visite par semaine\. Choisissez un créneau d’une autre semaine\.$/,
    );
    await setStatus('REFUSED');
    const form = await familyForm(family, weekOf(slot));
    expect(form.options('slot')).toContain(slot);
    expect((await sendBooking(family, { slot })).status).toBe(303);
  });

  it('under an establishment’s cap of 2 a week for a condamné, the family books two visits that week, not a third; the next week is open', async () => {
    const setup = await insertBookingSetup({
      family: { givenName: 'Đặng', familyName: 'Thị Hương' },
      detainee: { firstName: 'Trần', lastName: 'Văn Đức', legalStatus: 'CONDAMNE' },
      dayOfWeek: 2,
    });
    // The cap above the law's floor of 1; open on public holidays, so that no chosen day is closed.
    await setVisitSettings(setup.establishment.id, { weeklyCondamne: 2, openOnHolidays: true });
    const onWednesday = await insertSlotTemplate(setup.room.id, { dayOfWeek: 3 });
    const onThursday = await insertSlotTemplate(setup.room.id, { dayOfWeek: 4 });
    // One local week (Monday to Sunday) at least 2 days ahead, and the next one.
    let monday = dayIn(2);
    for (let k = 3; weekdayOf(monday) !== 1; k++) monday = dayIn(k);
    const dayOf = (n: number) =>
      addDays(new Date(`${monday}T12:00:00Z`), n)
        .toISOString()
        .slice(0, 10);
    const tuesday = `${setup.template.id}|${dayOf(1)}`;
    const wednesday = `${onWednesday.id}|${dayOf(2)}`;
    const thursday = `${onThursday.id}|${dayOf(3)}`;
    const nextTuesday = `${setup.template.id}|${dayOf(8)}`;
    const family = await signInFamily(suite.app.url, setup.family);
    expect((await familyForm(family, weekOf(tuesday))).options('slot')).toEqual(expect.arrayContaining([tuesday, wednesday, thursday]));
    expect((await familyForm(family, weekOf(nextTuesday))).options('slot')).toContain(nextTuesday);

    expect((await sendBooking(family, { slot: tuesday })).status).toBe(303);
    expect((await sendBooking(family, { slot: wednesday })).status).toBe(303);

    // The third of that week: shown as unavailable before it is chosen, with the week's reason, and refused.
    const longDay = (n: number) =>
      new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(
        new Date(`${dayOf(n)}T12:00:00Z`),
      );
    const weekUsed =
      `Vous avez déjà une visite cette semaine-là : ${longDay(1)} à 14 h 00, ${longDay(2)} à 14 h 00. ` +
      'La personne détenue a droit à 2 visites par semaine. Choisissez un créneau d’une autre semaine.';
    const form = await familyForm(family, weekOf(thursday));
    expect(form.options('slot')).not.toContain(thursday);
    expect(whyNot(form, thursday)).toBe(weekUsed);
    const third = await sendBooking(family, { slot: thursday });
    expect(third.status).toBe(409);
    expect(page(third).errors()).toEqual([weekUsed]);
    // The next week is still offered.
    const next = await familyForm(family, weekOf(nextTuesday));
    expect(next.options('slot')).toContain(nextTuesday);
    expect(whyNot(next, nextTuesday)).toBeNull();
    expect(await query(`SELECT status FROM visits WHERE detainee_id = $1 ORDER BY lower(during)`, [setup.detainee.id])).toEqual([
      { status: 'BOOKED' },
      { status: 'BOOKED' },
    ]);
  });

  it('the visiting room books over the week’s cap only with a reason, read back and audited', async () => {
    const establishment = await insertEstablishment();
    const room = await insertRoom(establishment.id, { name: 'Parloir A' });
    const template = await insertSlotTemplate(room.id, { dayOfWeek: weekdayOf(DAY) });
    const detainee = await insertDetainee(establishment.id, { firstName: 'Łukasz', lastName: 'Wiśniewski', legalStatus: 'CONDAMNE' });
    const permit = await insertPermit({
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      visitorGivenName: 'شكري',
      visitorFamilyName: 'Benali',
      visitorBirthdate: '1975-05-05',
    });
    await insertVisit({ establishmentId: establishment.id, roomId: room.id, detaineeId: detainee.id, startsAt: at(DAY, '09:00') });
    const agentRow = await insertAgent([{ establishmentId: establishment.id, role: 'PARLOIR_AGENT' }], {
      givenName: 'Aylin',
      usualName: 'Öztürk',
    });
    const agent = await signInAgent(suite.app.url, agentRow);
    const url = `/etablissements/${establishment.code}/visites/reserver`;
    const slot = `${template.id}|${DAY}`;
    const form = page(await agent.get(`${url}?ecrou=${detainee.ecrouNumber}&semaine=${DAY}`).expect(200));
    // The slot stays offered to the visiting room, saying it is over the cap.
    expect(form.options('slot')).toContain(slot);
    expect(form.labelOf('slot', slot)).toMatch(
      /Au-delà du plafond de la semaine : Visite déjà réservée cette semaine-là : .+ à 09 h 00\. La personne détenue a droit à 1 visite par semaine\. Motif de la dérogation obligatoire\.$/,
    );
    const base = { ...form.formFields(url), permitIds: permit.id, slot, channel: 'IN_PERSON' };
    const noReason = await agent.post(url).type('form').send(base);
    expect(noReason.status).toBe(409);
    expect(page(noReason).fieldError('overCapReason')).toMatch(
      /La personne détenue a droit à 1 visite par semaine\. Pour réserver au-delà du plafond de l’établissement, indiquez le motif de la dérogation\.$/,
    );
    const reason = 'Famille venue de Martinique pour une seule semaine';
    const readBack = page(
      await agent
        .post(url)
        .type('form')
        .send({ ...base, overCapReason: reason })
        .expect(200),
    );
    expect(readBack.text('read-back-over-cap')).toBe(reason);
    const confirm = readBack.$('form[data-testid="confirm-form"]');
    const fields = Object.fromEntries(
      confirm
        .find('input[type="hidden"]')
        .toArray()
        .map((e) => [readBack.$(e).attr('name')!, readBack.$(e).attr('value') ?? '']),
    );
    const ok = await agent.post(confirm.attr('action')!).type('form').send(fields).expect(303);
    const reference = /reservee=([A-Z0-9]{8})$/.exec(ok.headers.location)![1];
    const audit = await queryOne<{ label: string; reason: string }>(
      `SELECT a.actor_label AS label, a.after->>'overCapReason' AS reason FROM audit_log a JOIN visits v ON v.id = a.entity_id::uuid
        WHERE a.action = 'VISIT_BOOKED' AND v.reference = $1`,
      [reference],
    );
    expect(audit).toEqual({ label: 'Aylin Öztürk', reason });
  });

  it('the establishment’s cap can never be set below the law’s floors: the form says it and the database refuses it', async () => {
    const establishment = await insertEstablishment();
    const admin = await signInAgent(
      suite.app.url,
      await insertAgent([{ establishmentId: establishment.id, role: 'ADMIN' }], { givenName: 'Đorđe', usualName: 'Ölçer' }),
    );
    const base = `/etablissements/${establishment.code}/parloirs`;
    const csrf = page(await admin.get(base).expect(200)).csrf();
    const settings = {
      _csrf: csrf,
      minNoticeHours: '24',
      horizonDays: '28',
      cancelDeadlineHours: '24',
      maxAdults: '3',
      maxChildren: '3',
      weeklyPrevenu: '3',
      weeklyCondamne: '0',
      onlineBooking: 'oui',
      waitlistOfferHours: '12',
    };
    const low = await admin.post(`${base}/reglages`).type('form').send(settings);
    expect(low.status).toBe(400);
    expect(page(low).errors()).toEqual([
      'Plafond de visites par semaine pour une personne condamnée (1 au moins, article L341-3) : un nombre entier entre 1 et 21',
    ]);
    // No field sets the majority: it is the law's 18.
    expect(page(low).has('majorityAge') || page(low).$('[name="majorityAge"]').length > 0).toBe(false);
    await admin
      .post(`${base}/reglages`)
      .type('form')
      .send({ ...settings, weeklyPrevenu: '5', weeklyCondamne: '2' })
      .expect(303);
    await setVisitSettings(establishment.id, {});
    await expect(query(`UPDATE visit_settings SET weekly_prevenu = 2 WHERE establishment_id = $1`, [establishment.id])).rejects.toThrow(
      /visit_settings_weekly_prevenu_check/,
    );
    await expect(query(`UPDATE visit_settings SET weekly_condamne = 0 WHERE establishment_id = $1`, [establishment.id])).rejects.toThrow(
      /visit_settings_weekly_condamne_check/,
    );
  });
});
