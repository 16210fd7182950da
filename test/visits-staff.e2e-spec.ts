import { mondayOf, weekLabel } from '../src/visits/booking-weeks.rules';
import { query, queryOne } from './helpers/db';
import { appForTests } from './helpers/app';
import { type HtmlPage, page } from './helpers/html';
import { signInAgent, type Agent } from './helpers/sign-in';
import {
  type AgentRow,
  insertAgent,
  grantRole,
  insertAgentElsewhere,
  insertDetainee,
  insertEstablishment,
  insertFamily,
} from './factories/people';
import { insertPermit } from './factories/permits';
import { at, dayIn, insertRoom, insertSlotTemplate, insertVisit, setVisitSettings, weekdayOf } from './factories/visits';

const suite = appForTests();
let agentRow: AgentRow;
let agent: Agent;
beforeAll(async () => {
  // The visiting-room agent of the file; each test gives them a role in its own establishment.
  agentRow = await insertAgentElsewhere('PARLOIR_AGENT', {
    givenName: 'Aylin',
    usualName: 'Öztürk',
  });
  agent = await signInAgent(suite.app.url, agentRow);
});

/** An establishment with a weekly slot, where the agent works, and a detainee holding a paper permit. */
async function desk(o: { familyAccountId?: string } = {}) {
  const establishment = await insertEstablishment();
  const room = await insertRoom(establishment.id, { name: 'Parloir A' });
  const template = await insertSlotTemplate(room.id, { dayOfWeek: weekdayOf(dayIn(3)) });
  const detainee = await insertDetainee(establishment.id, { firstName: 'Ştefan', lastName: 'Ionescu' });
  const permit = await insertPermit({
    establishmentId: establishment.id,
    detaineeId: detainee.id,
    familyAccountId: o.familyAccountId ?? null,
    visitorGivenName: 'Łucja',
    visitorFamilyName: 'Nguyễn-Şahin',
    visitorBirthdate: '1970-05-05',
  });
  await grantRole(agentRow.id, establishment.id, 'PARLOIR_AGENT');
  return { establishment, room, template, detainee, permit, url: `/etablissements/${establishment.code}/visites/reserver` };
}

const PARIS = 'Europe/Paris';
const LONG = new Intl.DateTimeFormat('fr-FR', { timeZone: PARIS, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const HOUR = new Intl.DateTimeFormat('fr-FR', { timeZone: PARIS, hour: '2-digit', minute: '2-digit' });

/** « mardi 24 novembre 2026 à 09 h 00 », as the pages write an instant on the establishment's clock. */
function whenOf(d: Date): string {
  return `${LONG.format(d)} à ${HOUR.format(d).replace(':', ' h ')}`;
}

/** « Mardi 24 novembre », the heading of a day's slots. */
function dayHeading(day: string): string {
  const label = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' }).format(
    new Date(`${day}T12:00:00Z`),
  );
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/** The hidden fields of a form of the page (a read-back's confirmation or « Modifier »), as a browser sends them, lists kept. */
function hiddenOf(p: HtmlPage, form: ReturnType<HtmlPage['$']>): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  for (const e of form.find('input[type="hidden"]').toArray()) {
    const name = p.$(e).attr('name')!;
    const value = p.$(e).attr('value') ?? '';
    const before = fields[name];
    fields[name] = before === undefined ? value : [...(Array.isArray(before) ? before : [before]), value];
  }
  return fields;
}

/** The link of the homonym with this écrou, in the search's list. */
function pathOfMatch(p: HtmlPage, ecrou: string): string {
  const li = p
    .testId('match')
    .toArray()
    .find((e) => p.$(e).text().includes(`écrou ${ecrou}`));
  if (!li) throw new Error(`No homonym with écrou ${ecrou}`);
  return p.$(li).find('a').attr('href')!;
}

/** The booking form for a detainee, as the agent finds them (a name or an écrou typed in the search box). */
async function formFor(url: string, search: string) {
  return page(await agent.get(`${url}?recherche=${encodeURIComponent(search)}`).expect(200));
}

/** The reason a slot of the page gives for not being offered (null when it is offered or absent). */
function reasonOf(p: HtmlPage, slot: string): string | null {
  const el = p.$(`[data-testid="slot-unavailable"][data-slot="${slot}"] [data-testid="slot-reason"]`);
  return el.length ? el.text().replace(/\s+/g, ' ').trim() : null;
}

describe('a visiting-room agent books on a family’s behalf', () => {
  it('finds the detainee by écrou, checks the same rules, reads the booking back before booking it, records the channel', async () => {
    const { establishment, detainee, permit, url } = await desk();
    const unknown = await formFor(url, '999999');
    expect(unknown.fieldError('recherche')).toBe(
      'Aucune personne détenue présente ne correspond à « 999999 » : vérifiez le nom ou le numéro d’écrou.',
    );
    const unknownEcrou = page(await agent.get(`${url}?ecrou=999999`).expect(200));
    expect(unknownEcrou.fieldError('recherche')).toBe('Aucune personne détenue présente n’a ce numéro d’écrou.');
    const form = await formFor(url, ` ${detainee.ecrouNumber.toLowerCase()} `);
    expect(form.text('found-detainee')).toBe(`Ştefan Ionescu (écrou ${detainee.ecrouNumber})`);
    // The only visitor holding a permit is the one who comes: the slots are shown for her at once.
    expect(form.options('permitIds')).toEqual([permit.id]);
    expect(form.text('coming')).toBe('Qui vient : Łucja Nguyễn-Şahin.');
    const [slot] = form.options('slot');
    const base = { ...form.formFields(url), permitIds: permit.id, slot };
    const noChannel = await agent.post(url).type('form').send(base).expect(400);
    expect(page(noChannel).errors()).toEqual(['Indiquez comment la famille a demandé la visite']);
    // A bad phone number is refused before the read-back.
    const badPhone = await agent
      .post(url)
      .type('form')
      .send({ ...base, channel: 'PHONE', phone: '0612' })
      .expect(400);
    expect(page(badPhone).fieldError('phone')).toContain('Le numéro de téléphone « 0612 » n’est pas valide');

    // The read-back: date, time, room and visitors, to read to the caller; nothing is booked yet.
    const typed = { ...base, channel: 'PHONE', phone: '06 12 34 56 78', email: 'lucja@example.fr' };
    const readBack = page(await agent.post(url).type('form').send(typed).expect(200));
    const day = slot.split('|')[1];
    const dayText = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })
      .format(new Date(`${day}T12:00:00Z`))
      .replace(/^./, (c) => c.toUpperCase());
    expect(readBack.heading()).toBe('Relisez la réservation à la personne');
    expect(readBack.text('read-back-day')).toBe(dayText);
    expect(readBack.text('read-back-time')).toBe('De 14 h 00 à 15 h 00');
    expect(readBack.text('read-back-room')).toBe('Parloir A');
    expect(readBack.texts('read-back-visitor')).toEqual(['Łucja Nguyễn-Şahin']);
    expect(readBack.text('read-back-detainee')).toBe(`Ştefan Ionescu (écrou ${detainee.ecrouNumber})`);
    expect(readBack.text('read-back-contact')).toBe('par e-mail à lucja@example.fr, rappel par SMS au 06 12 34 56 78');
    expect(readBack.text('read-back-text')).toBe(
      `Visite à Ştefan Ionescu le ${dayText.toLowerCase()}, de 14 h 00 à 15 h 00 (Parloir A). Viendront : Łucja Nguyễn-Şahin.`,
    );
    expect(await query(`SELECT count(*)::int AS n FROM visits WHERE establishment_id = $1`, [establishment.id])).toEqual([{ n: 0 }]);

    // « Modifier » shows the form again with everything typed.
    const modify = readBack.$('form[data-testid="modify-form"]');
    const modifyFields = hiddenOf(readBack, modify);
    const again = page(await agent.post(modify.attr('action')!).type('form').send(modifyFields).expect(200));
    expect(again.value('slot')).toBe(slot);
    expect(again.value('channel')).toBe('PHONE');
    expect(again.value('phone')).toBe('06 12 34 56 78');
    expect(again.value('email')).toBe('lucja@example.fr');
    expect(again.options('permitIds')).toEqual([permit.id]);

    // Confirmed: booked, with the channel, the agent and a convocation.
    const confirm = readBack.$('form[data-testid="confirm-form"]');
    const ok = await agent.post(confirm.attr('action')!).type('form').send(hiddenOf(readBack, confirm)).expect(303);
    const reference = /reservee=([A-Z0-9]{8})$/.exec(ok.headers.location)![1];
    expect(page(await agent.get(ok.headers.location).expect(200)).text('booked')).toContain(reference);
    const visit = await queryOne(
      `SELECT channel, booked_by_agent AS "bookedBy", appointment_id IS NOT NULL AS "hasAppointment" FROM visits WHERE reference = $1`,
      [reference],
    );
    expect(visit).toEqual({ channel: 'PHONE', bookedBy: agentRow.id, hasAppointment: true });
    const admin = await insertAgent([{ establishmentId: establishment.id, role: 'ADMIN' }]);
    await (await signInAgent(suite.app.url, admin)).get(url).expect(403);
  });

  it('finds the detainee by name, accents and order aside, and lists homonyms with écrou, building and cell', async () => {
    const { establishment, url } = await desk();
    const a = await insertDetainee(establishment.id, { firstName: 'Łukasz', lastName: 'Wiśniewski', housing: 'Bâtiment A, cellule 12' });
    const b = await insertDetainee(establishment.id, { firstName: 'Łukasz', lastName: 'Wiśniewski', birthDate: '1992-07-14' });
    const released = await insertDetainee(establishment.id, { firstName: 'Łukasz', lastName: 'Wiśniewski' });
    await query(`UPDATE detainees SET custody_status = 'LIBERE', left_at = now() WHERE id = $1`, [released.id]);
    await insertDetainee((await insertEstablishment()).id, { firstName: 'Łukasz', lastName: 'Wiśniewski' });
    const sukru = await insertDetainee(establishment.id, { firstName: 'Şükrü', lastName: 'Yılmaz', housing: 'Bâtiment C, cellule 4' });
    const nguyen = await insertDetainee(establishment.id, { firstName: 'Văn An', lastName: 'Nguyễn' });
    const arabic = await insertDetainee(establishment.id, { firstName: 'محمد', lastName: 'الحداد' });

    // Two present detainees of the establishment share the name: both listed, told apart; nobody else.
    const homonyms = await formFor(url, 'lukasz wisniewski');
    expect(homonyms.has('found-detainee')).toBe(false);
    expect(homonyms.text('matches-title')).toBe('2 personnes détenues correspondent à « lukasz wisniewski »');
    expect(homonyms.texts('match')).toEqual(
      expect.arrayContaining([
        `Łukasz Wiśniewski — écrou ${a.ecrouNumber} — Bâtiment A, cellule 12 — né(e) le 1 janvier 1980`,
        `Łukasz Wiśniewski — écrou ${b.ecrouNumber} — né(e) le 14 juillet 1992`,
      ]),
    );
    expect(homonyms.texts('match')).toHaveLength(2);
    // Choosing one opens its booking form.
    const chosen = page(await agent.get(pathOfMatch(homonyms, b.ecrouNumber)).expect(200));
    expect(chosen.text('found-detainee')).toBe(`Łukasz Wiśniewski (écrou ${b.ecrouNumber})`);

    // One match: found at once, with the building and cell.
    const one = await formFor(url, 'SUKRU');
    expect(one.text('found-detainee')).toBe(`Şükrü Yılmaz (écrou ${sukru.ecrouNumber})`);
    expect(one.text('found-housing')).toBe('Bâtiment C, cellule 4');
    expect((await formFor(url, 'nguyen van')).text('found-detainee')).toBe(`Văn An Nguyễn (écrou ${nguyen.ecrouNumber})`);
    expect((await formFor(url, 'الحداد')).text('found-detainee')).toBe(`محمد الحداد (écrou ${arabic.ecrouNumber})`);
    expect((await formFor(url, 'Kowalski')).fieldError('recherche')).toBe(
      'Aucune personne détenue présente ne correspond à « Kowalski » : vérifiez le nom ou le numéro d’écrou.',
    );
  });

  it('pre-fills the e-mail and mobile number of the family whose permits are chosen, and lets the agent change them', async () => {
    const family = await insertFamily({ givenName: 'Amira', familyName: 'Ben Saïd', mobilePhone: '+33612345678' });
    const { detainee, permit, url } = await desk({ familyAccountId: family.id });
    const paper = await insertPermit({
      establishmentId: permit.establishmentId,
      detaineeId: detainee.id,
      visitorGivenName: 'Şükrü',
      visitorFamilyName: 'Ionescu',
    });
    // Two visitors hold a permit: the agent says who comes first.
    const visitors = await formFor(url, detainee.ecrouNumber);
    expect(visitors.options('slot')).toEqual([]);
    expect(visitors.options('visiteurs').sort()).toEqual([permit.id, paper.id].sort());
    const none = page(await agent.get(`${url}?ecrou=${detainee.ecrouNumber}&etape=creneaux`).expect(400));
    expect(none.errors()).toEqual(['Choisissez qui vient à la visite']);

    const known = page(await agent.get(`${url}?ecrou=${detainee.ecrouNumber}&etape=creneaux&visiteurs=${permit.id}`).expect(200));
    expect(known.text('coming')).toContain('Qui vient : Łucja Nguyễn-Şahin.');
    expect(known.value('email')).toBe(family.email);
    expect(known.value('phone')).toBe('+33612345678');
    expect(known.text('contact-known')).toBe('Coordonnées connues du compte de Amira Ben Saïd : vérifiez-les avec la personne.');
    // A paper permit's holder has no account: nothing to pre-fill; with both, neither family's contact is assumed.
    const unknown = page(await agent.get(`${url}?ecrou=${detainee.ecrouNumber}&etape=creneaux&visiteurs=${paper.id}`).expect(200));
    expect(unknown.value('email')).toBe('');
    expect(unknown.value('phone')).toBe('');
    const both = page(
      await agent.get(`${url}?ecrou=${detainee.ecrouNumber}&etape=creneaux&visiteurs=${paper.id}&visiteurs=${permit.id}`).expect(200),
    );
    expect(both.text('coming')).toContain('Qui vient : Łucja Nguyễn-Şahin, Şükrü Ionescu.');
    expect(both.value('email')).toBe('');
    expect(both.has('contact-known')).toBe(false);
    // What the agent typed wins over the account's: a changed number is read back as typed.
    const [slot] = known.options('slot');
    const readBack = page(
      await agent
        .post(url)
        .type('form')
        .send({ ...known.formFields(url), slot, channel: 'PHONE', email: '', phone: '07 00 00 00 01' })
        .expect(200),
    );
    expect(readBack.text('read-back-contact')).toBe('rappel par SMS au 07 00 00 00 01');
  });

  it('shows before choosing the slots the visitors cannot take and why, by day, with places written out, and those over the week’s cap', async () => {
    const { establishment, detainee, permit, url, template } = await desk();
    const child = await insertPermit({
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      visitorGivenName: 'Zofia',
      visitorFamilyName: 'Nguyễn-Şahin',
      visitorBirthdate: '2015-06-01',
    });
    const firstDay = dayIn(3);
    const week2 = dayIn(10);
    // Another family's visit uses the detainee's week (a condamné: 1 a week); the agent sees its date.
    const room2 = await insertRoom(establishment.id, { name: 'Parloir B' });
    await insertVisit({ establishmentId: establishment.id, roomId: room2.id, detaineeId: detainee.id, startsAt: at(week2, '09:00') });
    // A slot with one place left.
    const small = await insertSlotTemplate(room2.id, { dayOfWeek: weekdayOf(firstDay), start: '16:00', end: '17:00', capacity: 2 });
    const someone = await insertDetainee(establishment.id);
    await insertVisit({
      establishmentId: establishment.id,
      roomId: room2.id,
      templateId: small.id,
      detaineeId: someone.id,
      startsAt: at(firstDay, '16:00'),
      capacity: 2,
    });

    const forBoth = `${url}?ecrou=${detainee.ecrouNumber}&etape=creneaux&visiteurs=${permit.id}&visiteurs=${child.id}`;
    // One week at a time: by default the first week with a slot they may take.
    const both = page(await agent.get(forBoth).expect(200));
    expect(both.texts('slot-day-label')).toEqual([dayHeading(firstDay)]);
    expect(both.labelOf('slot', `${template.id}|${firstDay}`)).toBe('14 h 00 – 15 h 00 · Parloir A 10 places libres');
    expect(both.labelOf('slot', `${small.id}|${firstDay}`)).toBe('16 h 00 – 17 h 00 · Parloir B 1 place libre');
    // The week is used: the visiting room may still take the slot over the establishment's cap, with a reason.
    const next = page(await agent.get(both.testId('week-next').attr('href')!).expect(200));
    expect(next.texts('slot-day-label')).toEqual([dayHeading(week2)]);
    const day2 = next.$(`[data-testid="slot-day"][data-day="${week2}"]`);
    expect(day2.find('[data-testid="slot-day-unavailable"]').length).toBe(0);
    expect(day2.find('[data-testid="slot-over-cap"]').length).toBe(2);
    expect(day2.find('[data-testid="slot-over-cap"]').first().text().replace(/\s+/g, ' ').trim()).toBe(
      `Au-delà du plafond de la semaine : Visite déjà réservée cette semaine-là : ${whenOf(at(week2, '09:00'))}. ` +
        'La personne détenue a droit à 1 visite par semaine. Motif de la dérogation obligatoire.',
    );
    expect(day2.find('input[name="slot"]').length).toBe(2);

    // The child alone cannot come: every slot says why, once a day, and none is offered.
    const alone = page(
      await agent.get(`${url}?ecrou=${detainee.ecrouNumber}&etape=creneaux&visiteurs=${child.id}&semaine=${firstDay}`).expect(200),
    );
    expect(alone.options('slot')).toEqual([]);
    expect(new Set(alone.texts('slot-day-unavailable'))).toEqual(
      new Set([
        'Un enfant de moins de 16 ans vient accompagné d’un adulte titulaire d’un permis de visite. Choisissez aussi un adulte qui vient avec lui.',
      ]),
    );
    expect(reasonOf(alone, `${template.id}|${firstDay}`)).toBeNull(); // said once for the day, not per slot
  });

  it('books for a family with an account where families may not book online themselves', async () => {
    const family = await insertFamily({ givenName: 'Amira', familyName: 'Ben Saïd' });
    const { establishment, detainee, permit, url } = await desk({ familyAccountId: family.id });
    await setVisitSettings(establishment.id, { onlineBooking: false });
    const form = await formFor(url, detainee.ecrouNumber);
    const [slot] = form.options('slot');
    await agent
      .post(url)
      .type('form')
      .send({ ...form.formFields(url), permitIds: permit.id, slot, channel: 'IN_PERSON', confirme: 'oui' })
      .expect(303);
    expect(await query(`SELECT channel, family_account_id AS "familyId" FROM visits WHERE detainee_id = $1`, [detainee.id])).toEqual([
      { channel: 'IN_PERSON', familyId: family.id },
    ]);
  });

  it('shows one week at a time, its links keeping the detainee and the visitors; a bad week says why; a refused form keeps its week', async () => {
    const { establishment, detainee, permit, url, template } = await desk();
    await setVisitSettings(establishment.id, { openOnHolidays: true }); // the same days whatever the date of the run
    const [d1, d2, d3] = [3, 10, 17].map((n) => dayIn(n));
    const slotOn = (day: string) => `${template.id}|${day}`;
    const first = await formFor(url, detainee.ecrouNumber);
    expect(first.text('week-label')).toBe(`Semaine ${weekLabel(mondayOf(d1))}`);
    expect(first.options('slot')).toEqual([slotOn(d1)]);
    const next = first.testId('week-next').attr('href')!;
    expect(next).toBe(`${url}?ecrou=${detainee.ecrouNumber}&visiteurs=${permit.id}&semaine=${mondayOf(d2)}#semaine`);
    const second = page(await agent.get(next).expect(200));
    expect(second.text('found-detainee')).toBe(`Ştefan Ionescu (écrou ${detainee.ecrouNumber})`);
    expect(second.text('coming')).toBe('Qui vient : Łucja Nguyễn-Şahin.');
    expect(second.options('slot')).toEqual([slotOn(d2)]);
    expect(second.testId('week-previous').attr('href')).toBe(
      `${url}?ecrou=${detainee.ecrouNumber}&visiteurs=${permit.id}&semaine=${mondayOf(d1)}#semaine`,
    );

    const bad = page(await agent.get(`${url}?ecrou=${detainee.ecrouNumber}&semaine=lundi`).expect(200));
    expect(bad.text('week-notice')).toBe('La semaine demandée n’existe pas. Voici la première semaine où réserver.');
    expect(bad.options('slot')).toEqual([slotOn(d1)]);
    const far = page(await agent.get(`${url}?ecrou=${detainee.ecrouNumber}&semaine=${dayIn(45)}`).expect(200));
    expect(far.text('week-notice')).toMatch(
      /n’est pas encore ouverte à la réservation : les visites se réservent au plus 28 jours à l’avance\./,
    );

    // The channel forgotten: the form again on the week of the slot chosen, the slot still ticked.
    const third = page(await agent.get(`${url}?ecrou=${detainee.ecrouNumber}&semaine=${d3}`).expect(200));
    const noChannel = await agent
      .post(url)
      .type('form')
      .send({ ...third.formFields(url), slot: slotOn(d3) })
      .expect(400);
    expect(page(noChannel).errors()).toEqual(['Indiquez comment la famille a demandé la visite']);
    expect(page(noChannel).text('week-label')).toBe(`Semaine ${weekLabel(mondayOf(d3))}`);
    expect(page(noChannel).value('slot')).toBe(slotOn(d3));
    // No slot chosen: the week the form showed.
    const noSlot = await agent
      .post(url)
      .type('form')
      .send({ ...third.formFields(url), channel: 'PHONE' })
      .expect(400);
    expect(page(noSlot).text('week-label')).toBe(`Semaine ${weekLabel(mondayOf(d3))}`);
  });

  it('refuses in French a visitor id that is not a UUID, a repeated écrou, and a NUL character', async () => {
    const { establishment, detainee, permit, url } = await desk();
    const form = await formFor(url, detainee.ecrouNumber);
    const [slot] = form.options('slot');
    const base = { ...form.formFields(url), permitIds: permit.id, slot, channel: 'PHONE' };

    const notUuid = await agent
      .post(url)
      .type('form')
      .send({ ...base, permitIds: ['x', permit.id] })
      .expect(400);
    expect(page(notUuid).errors()).toEqual(['Choisissez les visiteurs dans la liste']);

    const twice = await agent
      .post(url)
      .type('form')
      .send({ ...base, ecrou: [detainee.ecrouNumber, '1'] })
      .expect(400);
    expect(page(twice).fieldError('recherche')).toBe('Saisissez le numéro d’écrou de la personne détenue (un seul)');
    const searchedTwice = page(await agent.get(`${url}?ecrou=${detainee.ecrouNumber}&ecrou=1`).expect(400));
    expect(searchedTwice.fieldError('recherche')).toBe('Saisissez un seul numéro d’écrou (50 caractères au plus)');
    const typedTwice = page(await agent.get(`${url}?recherche=a&recherche=b`).expect(400));
    expect(typedTwice.fieldError('recherche')).toBe('Saisissez un seul nom ou numéro d’écrou (100 caractères au plus)');
    const badVisitor = page(await agent.get(`${url}?ecrou=${detainee.ecrouNumber}&visiteurs=x`).expect(400));
    expect(badVisitor.errors()).toEqual(['Choisissez les visiteurs dans la liste']);

    const nul = page(await agent.get(`${url}?recherche=12%0034`).expect(400));
    expect(nul.heading()).toBe('Requête incorrecte');
    expect(nul.mainText()).toContain('Votre saisie contient un caractère non autorisé');
    const nulPosted = await agent
      .post(url)
      .type('form')
      .send({ ...base, ecrou: `${detainee.ecrouNumber}\u0000` })
      .expect(400);
    expect(page(nulPosted).mainText()).toContain('Votre saisie contient un caractère non autorisé');
    expect(await query(`SELECT count(*)::int AS n FROM visits WHERE establishment_id = $1`, [establishment.id])).toEqual([{ n: 0 }]);
  });
});
