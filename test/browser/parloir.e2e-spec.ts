import type { BrowserContextOptions, Page } from 'playwright-core';
import { query, queryOne } from '../helpers/db';
import { appAndBrowser, axeViolations, consoleErrors, signInBrowser } from '../helpers/browser';
import type { AgentIdentity, FamilyIdentity } from '../helpers/sign-in';
import { insertAgent, insertDetainee, insertFamily } from '../factories/people';
import { insertPermit } from '../factories/permits';
import { mondayOf } from '../../src/visits/booking-weeks.rules';
import {
  at,
  dayIn,
  insertBookingSetup,
  insertSlotTemplate,
  insertVisit,
  insertVisitingDay,
  setVisitSettings,
  weekdayOf,
} from '../factories/visits';
import type { AbstractPage } from './pages/abstract-page';
import { ParloirDayPage } from './pages/parloir-day';
import {
  ParloirImportPage,
  ParloirMovementsPage,
  ParloirPrintPage,
  ParloirReviewPage,
  ParloirStatisticsPage,
} from './pages/parloir-day-pages';
import { ParloirVisitPage } from './pages/parloir-visit';
import { BookingPage, MyVisitsPage } from './pages/visit-family';
import { VisitMovePage } from './pages/visit-move';
import { StaffBookingCheckPage, StaffBookingPage } from './pages/visit-staff-booking';

// The agent's morning is one journey of about twenty pages in Chromium, each checked by axe-core
// (about half a second a page on the 2-core CI machine, more when the other worker is busy): more than
// the 20 s default. It stays one journey: splitting it would sign in again for each part.
jest.setTimeout(90_000);

const suite = appAndBrowser();
const TABLET: BrowserContextOptions = { viewport: { width: 1024, height: 768 }, hasTouch: true };
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true };

/** A tap that loads a new page (a link, a form button): waits for that page, not the one tapped on. */
function navigating(page: Page, action: () => Promise<unknown>) {
  return Promise.all([page.waitForNavigation({ waitUntil: 'load' }), action()]);
}

/** Signs in (helpers/browser.ts: the session without the provider's pages); with `violations`, the page signed in on is checked with axe. */
async function signInAgent(page: Page, who: AgentIdentity, violations: string[]) {
  await signInBrowser(page, suite.app.url, who);
  violations.push(...(await axeViolations(page)));
}
const signInFamily = (page: Page, who: FamilyIdentity) => signInBrowser(page, suite.app.url, who);

/** « Mardi 24 novembre », the heading of a day's slots. */
function dayHeading(day: string): string {
  const label = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' }).format(
    new Date(`${day}T12:00:00Z`),
  );
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/** Each visitor's check and the visit's status, by visitor. */
function checks(visitId: string) {
  return query(
    `SELECT p.visitor_given_name AS name, vv.check_status AS "check", vv.refusal_reason AS reason, v.status
       FROM visit_visitors vv JOIN permits p ON p.id = vv.permit_id JOIN visits v ON v.id = vv.visit_id
      WHERE v.id = $1 ORDER BY p.visitor_given_name`,
    [visitId],
  );
}

/** Today's visits at a new establishment and its visiting-room agent. */
async function morning() {
  const day = await insertVisitingDay();
  const agent = await insertAgent([{ establishmentId: day.establishment.id, role: 'PARLOIR_AGENT' }], {
    givenName: 'Małgorzata',
    usualName: 'Wójcik',
  });
  return { ...day, agent };
}

describe('the agent’s morning at the visiting rooms, on a tablet (1024×768, touch)', () => {
  it('opens the day’s list, checks in a family with one tap per visitor, refuses one visitor with a reason: every page passes axe', async () => {
    const { agent, establishment, room, kaya, lemaire } = await morning();
    // A weekly slot to book, and a visit next week a family asks to move.
    await insertSlotTemplate(room.id, { dayOfWeek: weekdayOf(dayIn(3)) });
    const detainee = await insertDetainee(establishment.id, { firstName: 'Ilyas', lastName: 'Şen' });
    const permit = await insertPermit({
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      visitorGivenName: 'Ngọc',
      visitorFamilyName: 'Phạm',
    });
    const later = await insertVisit({
      establishmentId: establishment.id,
      roomId: room.id,
      detaineeId: detainee.id,
      permitIds: [permit.id],
      startsAt: at(dayIn(7), '14:00'),
    });
    const context = await suite.browser.newContext(TABLET);
    const page = await context.newPage();
    const errors = consoleErrors(page);
    const violations: string[] = [];
    let taps = 0;
    /** One tap of the agent that opens a page. */
    const tap = async (action: () => Promise<unknown>) => {
      taps++;
      await navigating(page, action);
    };

    await signInAgent(page, agent, violations);
    await navigating(page, () => page.getByRole('link', { name: 'Parloir du jour' }).first().click());
    let day = await ParloirDayPage.on(page, violations);
    expect(await day.summary()).toContain('0 visiteur(s) arrivé(s) sur 6');

    // Normal check-in of a family of two: open the visit, one tap per visitor.
    taps = 0;
    await tap(() => day.openVisit('Ayşe KAYA'));
    let visit = await ParloirVisitPage.on(page, violations);
    await tap(() => visit.arrived('Ayşe KAYA'));
    visit = await ParloirVisitPage.on(page, violations);
    await tap(() => visit.arrived('Łucja KAYA'));
    visit = await ParloirVisitPage.on(page, violations);
    expect(taps).toBe(3);
    expect(await checks(kaya.id)).toEqual([
      { name: 'Ayşe', check: 'ARRIVED', reason: null, status: 'IN_PROGRESS' },
      { name: 'Łucja', check: 'ARRIVED', reason: null, status: 'IN_PROGRESS' },
    ]);
    expect(await visit.status()).toBe('En cours');

    // Refusing a visitor takes a reason.
    await navigating(page, () => visit.backToDay());
    await navigating(page, async () => (await ParloirDayPage.on(page, violations)).openVisit('Sophie LEMAIRE'));
    visit = await ParloirVisitPage.on(page, violations);
    await visit.openRefusal('Sophie LEMAIRE');
    await visit.verifyOnPage(); // axe, with the refusal open
    await visit.confirmRefusal('Sophie LEMAIRE'); // no reason chosen: the browser asks for one
    expect(await checks(lemaire.id)).toEqual([
      { name: 'Jean', check: null, reason: null, status: 'BOOKED' },
      { name: 'Sophie', check: null, reason: null, status: 'BOOKED' },
    ]);
    await visit.chooseReason('Sophie LEMAIRE', 'Identité non conforme');
    await navigating(page, () => visit.confirmRefusal('Sophie LEMAIRE'));
    visit = await ParloirVisitPage.on(page, violations);
    expect(await checks(lemaire.id)).toEqual([
      { name: 'Jean', check: null, reason: null, status: 'BOOKED' },
      { name: 'Sophie', check: 'REFUSED', reason: 'ID_MISMATCH', status: 'BOOKED' },
    ]);
    expect(await visit.checkOf('Sophie LEMAIRE')).toMatch(/^Refusé — Identité non conforme à /);

    // The other pages of the day, each checked.
    await navigating(page, () => visit.backToDay());
    day = await ParloirDayPage.on(page, violations);
    const base = `${suite.app.url}/etablissements/${establishment.code}`;
    const menu: [string, new (page: Page, violations: string[]) => AbstractPage][] = [
      ['Mouvements', ParloirMovementsPage],
      ['Version imprimable', ParloirPrintPage],
      ['Visites à revoir', ParloirReviewPage],
      ['Importer la liste GENESIS', ParloirImportPage],
      ['Statistiques', ParloirStatisticsPage],
    ];
    for (const [name, Next] of menu) {
      await navigating(page, () => day.openMenu(name));
      await new Next(page, violations).verifyOnPage();
      day = new ParloirDayPage(page, violations); // the menu is on every page of the day
    }

    await page.goto(`${base}/visites/reserver?ecrou=${detainee.ecrouNumber}`);
    const booking = await StaffBookingPage.on(page, violations);
    expect(await booking.foundDetainee()).toBe(`Ilyas Şen (écrou ${detainee.ecrouNumber})`);
    expect(await page.getByRole('group', { name: 'Créneau' }).getByRole('radio').count()).toBeGreaterThan(0);

    // A family calls to move its visit: the agent's move page, from the visit's page.
    await page.goto(`${base}/parloir/visites/${later.id}`);
    visit = await ParloirVisitPage.on(page, violations);
    await navigating(page, () => visit.openMove());
    const move = await VisitMovePage.on(page, violations);
    expect((await move.slotLabels()).length).toBeGreaterThan(0);

    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the agent books a phone call: finds the detainee by name among homonyms, reads the booking back, changes it, confirms: every page passes axe', async () => {
    const { agent, establishment, room } = await morning();
    await setVisitSettings(establishment.id, { openOnHolidays: true }); // the same days whatever the date of the run
    await insertSlotTemplate(room.id, { dayOfWeek: weekdayOf(dayIn(3)) });
    await insertDetainee(establishment.id, { firstName: 'Łukasz', lastName: 'Wiśniewski', housing: 'Bâtiment A, cellule 12' });
    const detainee = await insertDetainee(establishment.id, {
      firstName: 'Łukasz',
      lastName: 'Wiśniewski',
      housing: 'Bâtiment B, cellule 3',
    });
    const family = await insertFamily({ givenName: 'Şükrü', familyName: 'Yılmaz', mobilePhone: '+33612345678' });
    await insertPermit({
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      familyAccountId: family.id,
      visitorGivenName: 'Şükrü',
      visitorFamilyName: 'Yılmaz',
    });
    await insertPermit({
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      visitorGivenName: 'Zofia',
      visitorFamilyName: 'Wiśniewska',
      visitorBirthdate: '2015-06-01',
    });
    const context = await suite.browser.newContext(TABLET);
    const page = await context.newPage();
    const errors = consoleErrors(page);
    const violations: string[] = [];
    await signInAgent(page, agent, violations);
    await page.goto(`${suite.app.url}/etablissements/${establishment.code}/visites/reserver`);
    let booking = await StaffBookingPage.on(page, violations);

    // By name, accents aside: the two homonyms, told apart by écrou and building.
    await navigating(page, () => booking.search('lukasz wisniewski'));
    booking = await StaffBookingPage.on(page, violations);
    expect(await booking.matches()).toEqual([
      expect.stringMatching(/^Łukasz Wiśniewski — écrou \S+ — Bâtiment A, cellule 12 — né\(e\) le 1 janvier 1980$/),
      `Łukasz Wiśniewski — écrou ${detainee.ecrouNumber} — Bâtiment B, cellule 3 — né(e) le 1 janvier 1980`,
    ]);
    await navigating(page, () => booking.chooseMatch(detainee.ecrouNumber));
    booking = await StaffBookingPage.on(page, violations);
    expect(await booking.foundDetainee()).toBe(`Łukasz Wiśniewski (écrou ${detainee.ecrouNumber})`);

    // Who comes, then the slots for them by day, one week at a time; the family's known contact is pre-filled.
    await booking.chooseVisitors(['Şükrü Yılmaz']);
    await navigating(page, () => booking.showSlots());
    booking = await StaffBookingPage.on(page, violations);
    expect(await booking.slots.days()).toEqual([dayHeading(dayIn(3))]);
    await navigating(page, () => booking.slots.nextWeek());
    booking = await StaffBookingPage.on(page, violations);
    expect(await booking.slots.days()).toEqual([dayHeading(dayIn(10))]);
    expect(await booking.slots.fits()).toBe(true);
    expect(await booking.field('Téléphone portable pour les rappels (facultatif)').inputValue()).toBe('+33612345678');
    expect(await booking.field('E-mail de la famille pour la convocation (facultatif)').inputValue()).toBe(family.email);
    await booking.slots.choose(dayHeading(dayIn(10)), /^14 h 00 – 15 h 00/);
    await booking.chooseChannel('Par téléphone');
    await booking.field('Téléphone portable pour les rappels (facultatif)').fill('06 98 76 54 32');

    // The read-back, then « Modifier » keeps everything typed, then confirmed.
    await navigating(page, () => booking.check());
    let check = await StaffBookingCheckPage.on(page, violations);
    expect(await check.readBack()).toMatch(
      new RegExp(
        `^Visite à Łukasz Wiśniewski le ${dayHeading(dayIn(10)).toLowerCase()} \\d{4}, de 14 h 00 à 15 h 00 \\(Parloir familles 1\\)\\. Viendront : Şükrü Yılmaz\\.$`,
      ),
    );
    expect(await check.detail('contact')).toBe(`par e-mail à ${family.email}, rappel par SMS au 06 98 76 54 32`);
    await navigating(page, () => check.modify());
    booking = await StaffBookingPage.on(page, violations);
    // The week of the slot chosen, the slot still ticked.
    expect(await booking.slots.days()).toEqual([dayHeading(dayIn(10))]);
    expect(
      await page
        .getByRole('group', { name: dayHeading(dayIn(10)) })
        .getByRole('radio', { name: /^14 h 00 – 15 h 00/ })
        .isChecked(),
    ).toBe(true);
    expect(await booking.field('Téléphone portable pour les rappels (facultatif)').inputValue()).toBe('06 98 76 54 32');
    expect(await page.getByRole('radio', { name: 'Par téléphone' }).isChecked()).toBe(true);
    await navigating(page, () => booking.check());
    check = await StaffBookingCheckPage.on(page, violations);
    await navigating(page, () => check.confirm());
    booking = await StaffBookingPage.on(page, violations);
    expect(await booking.booked()).toMatch(/^Visite réservée\. Référence à donner à la famille : [A-Z0-9]{8}\.$/);
    expect(await query(`SELECT channel, family_account_id AS "familyId" FROM visits WHERE detainee_id = $1`, [detainee.id])).toEqual([
      { channel: 'PHONE', familyId: family.id },
    ]);

    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('a family’s visits on a phone (390×844, touch)', () => {
  it('mine, booking and moving: slots by day, the week used said before choosing, a slot booked with a tap, every page passes axe', async () => {
    const setup = await insertBookingSetup({
      family: { givenName: 'Łucja', familyName: 'Nguyễn-Şahin' },
      detainee: { firstName: 'محمد', lastName: 'Haddad' },
    });
    await setVisitSettings(setup.establishment.id, { openOnHolidays: true }); // the same days whatever the date of the run
    const visit = await insertVisit({
      establishmentId: setup.establishment.id,
      roomId: setup.room.id,
      templateId: setup.template.id,
      detaineeId: setup.detainee.id,
      familyAccountId: setup.family.id,
      permitIds: [setup.permit.id],
      startsAt: at(dayIn(3), '14:00'),
      channel: 'ONLINE',
    });
    const context = await suite.browser.newContext(PHONE);
    const page = await context.newPage();
    const errors = consoleErrors(page);
    const violations: string[] = [];
    await signInFamily(page, setup.family);
    await page.goto(`${suite.app.url}/visites`);
    const mine = await MyVisitsPage.on(page, violations);
    await navigating(page, () => mine.moveVisit(visit.reference));
    const move = await VisitMovePage.on(page, violations);
    expect(await move.slots.dayUnavailable(dayIn(3))).toBe('C’est l’horaire actuel de la visite.');
    expect(await move.slots.fits()).toBe(true);

    // Booking, one week at a time: the first with a slot to take, then the week of the visit booked says why.
    await page.goto(`${suite.app.url}/visites/reserver`);
    let booking = await BookingPage.on(page, violations);
    expect(await booking.chosen()).toBe(`Visite à محمد Haddad — ${setup.establishment.name}.`);
    expect(await booking.coming()).toBe('Qui vient : Łucja Nguyễn-Şahin.');
    const shortDay = (d: string) => dayHeading(d).toLowerCase().split(' ').slice(0, 2).join(' ');
    expect(await booking.slots.week()).toMatch(new RegExp(`^Semaine du ${shortDay(mondayOf(dayIn(10)))} `));
    expect(await booking.slots.days()).toEqual([dayHeading(dayIn(10))]);
    expect(await booking.slots.skipped()).toMatch(new RegExp(`^Aucun créneau n’est disponible avant le ${shortDay(mondayOf(dayIn(10)))}`));
    expect(await booking.slots.offered()).toEqual([expect.stringMatching(/^14 h 00 – 15 h 00 · .+\s+10 places libres$/)]);
    expect(await booking.slots.fits()).toBe(true);
    await navigating(page, () => booking.slots.previousWeek());
    booking = await BookingPage.on(page, violations);
    expect(await booking.slots.days()).toEqual([dayHeading(dayIn(3))]);
    expect(await booking.slots.dayUnavailable(dayIn(3))).toMatch(
      /^Vous avez déjà une visite cette semaine-là : .+ à 14 h 00\. La personne détenue a droit à 1 visite par semaine\. Choisissez un créneau d’une autre semaine\.$/,
    );
    expect(await booking.slots.offered()).toEqual([]);
    expect(await booking.slots.fits()).toBe(true);
    await navigating(page, () => booking.slots.nextWeek());
    booking = await BookingPage.on(page, violations);
    await booking.slots.choose(dayHeading(dayIn(10)), /^14 h 00 – 15 h 00/);
    await navigating(page, () => booking.book());
    const booked = await MyVisitsPage.on(page, violations);
    expect(await booked.booked()).toContain('Votre visite est réservée');

    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
    expect(await queryOne(`SELECT status FROM visits WHERE id = $1`, [visit.id])).toEqual({ status: 'BOOKED' });
    expect(
      await query(`SELECT count(*)::int AS n FROM visits WHERE family_account_id = $1 AND status = 'BOOKED'`, [setup.family.id]),
    ).toEqual([{ n: 2 }]);
  });
});
