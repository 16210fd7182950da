import type { BrowserContextOptions, Page } from 'playwright-core';
import { query } from '../helpers/db';
import { appAndBrowser, consoleErrors, signInBrowser } from '../helpers/browser';
import { insertAppointment } from '../factories/appointments';
import { insertStay } from '../factories/family-visits-entitlement';
import { insertAuthorisedCase, insertUnit } from '../factories/family-visits-units';
import { insertAgent, insertFamily } from '../factories/people';
import { insertPermit, insertPermitRequest } from '../factories/permits';
import { setPermitTerms } from '../factories/validity';
import { at, dayIn, insertBookedVisit, insertBookingSetup, insertVisitingDay } from '../factories/visits';
import { MonEspacePage } from './pages/families-space-page';
import { AgendaPage, widths } from './pages/family-space-pages';
import { ParloirDayPage } from './pages/parloir-day';
import { MyPermitsPage } from './pages/permit-claim-pages';
import { DemoIdentityPage, PermitRequestsPage, PhotoStepPage, RequestPage } from './pages/permit-request-pages';

// Two people on their devices, a dozen pages each checked with axe-core and measured.
jest.setTimeout(90_000);

const suite = appAndBrowser();
// A French family's phone: the family side speaks the browser's language (issue #16), these pages are checked in French.
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, locale: 'fr-FR' };
const TABLET: BrowserContextOptions = { viewport: { width: 1024, height: 768 }, hasTouch: true };
const DAY = 24 * 3_600_000;

async function open(page: Page, path: string): Promise<void> {
  await page.goto(`${suite.app.url}${path}`, { waitUntil: 'load' });
}

/** The page does not scroll sideways on a screen `width` wide (a phone's layout grows to what sticks out: both are read). */
async function expectNoSideScroll(page: Page, width: number): Promise<void> {
  const { scrollWidth, innerWidth } = await widths(page, 'body');
  expect({ path: new URL(page.url()).pathname, scrollWidth, innerWidth }).toEqual({
    path: new URL(page.url()).pathname,
    scrollWidth: width,
    innerWidth: width,
  });
}

/** Every element of `selector` is on the screen and more than `min` px wide (a button one can read and tap): how many there are. */
async function expectWideOnScreen(page: Page, selector: string, width: number, min: number): Promise<number> {
  const { boxes } = await widths(page, selector);
  const wrong = boxes.filter((b) => b.left < 0 || b.right > width || b.width <= min);
  expect({ path: new URL(page.url()).pathname, selector, wrong }).toEqual({ path: new URL(page.url()).pathname, selector, wrong: [] });
  return boxes.length;
}

describe('the family’s pages on a phone (390×844, touch)', () => {
  it('lists visits, stays and appointments as cards, never scroll sideways, keep buttons wide and pass axe, whatever the page', async () => {
    const s = await insertBookingSetup({
      family: { givenName: 'Łukasz', familyName: 'Şükrüoğlu-Nguyễn' },
      detainee: { firstName: 'محمد', lastName: 'Al-Haddad' },
    });
    const startsAt = at(dayIn(3), '14:00');
    const visit = await insertBookedVisit(s, startsAt);
    await insertAppointment({
      establishmentId: s.establishment.id,
      familyAccountId: s.family.id,
      kind: 'SPIP_INTERVIEW',
      startsAt: at(dayIn(2), '10:00'),
    });
    const unit = await insertUnit(s.establishment.id, { kind: 'PF', name: 'Parloir familial Les Acacias' });
    const pf = await insertAuthorisedCase(s.establishment.id, { kind: 'PF', familyAccountId: s.family.id });
    await insertStay({ caseId: pf.caseId, unitId: unit.id, from: new Date(Date.now() + 8 * DAY), hours: 6 });
    const granted = await insertPermitRequest({
      familyAccountId: s.family.id,
      establishmentId: s.establishment.id,
      detaineeId: s.detainee.id,
      status: 'GRANTED',
      visitorGivenName: 'Łucja',
      visitorFamilyName: 'Şükrüoğlu-Nguyễn',
    });
    const permit = await insertPermit({
      establishmentId: s.establishment.id,
      detaineeId: s.detainee.id,
      familyAccountId: s.family.id,
      visitorGivenName: 'Łucja',
      visitorFamilyName: 'Şükrüoğlu-Nguyễn',
      origin: 'ONLINE',
    });
    await query(`UPDATE permits SET request_id = $2 WHERE id = $1`, [permit.id, granted.id]);
    await setPermitTerms(permit.id, { validTo: '2027-12-31', roomCondition: 'SEPARATION', allowedDays: [3, 6] });
    const sent = await insertPermitRequest({
      familyAccountId: s.family.id,
      establishmentId: s.establishment.id,
      detaineeId: s.detainee.id,
    });
    const draft = await insertPermitRequest({
      familyAccountId: s.family.id,
      establishmentId: s.establishment.id,
      detaineeId: s.detainee.id,
      status: 'DRAFT',
      step: 5,
    });

    const context = await suite.browser.newContext(PHONE);
    const page = await context.newPage();
    const errors = consoleErrors(page);
    const violations: string[] = [];
    // The provider's page on a phone too (the other files start signed in: helpers/browser.ts).
    await open(page, '/connexion');
    await (await DemoIdentityPage.on(page, violations)).signInAs(s.family);

    // « Mon espace »: the next visits first, as cards, their buttons full width.
    await MonEspacePage.on(page, violations);
    await expectNoSideScroll(page, 390);
    await expectWideOnScreen(page, 'main .fr-btn', 390, 100);
    expect(await page.locator('main h2').first().innerText()).toBe('Mes prochaines visites et rendez-vous');
    expect(await expectWideOnScreen(page, '[data-testid="upcoming-appointment"] .fr-btn', 390, 300)).toBeGreaterThanOrEqual(3);
    // Two requests in progress (sent, draft) and three permits (the booking's, the granted request's, the PF visitor's).
    expect(await expectWideOnScreen(page, '[data-testid="request-in-progress"], [data-testid="permit"]', 390, 300)).toBe(5);

    // « Mes visites et rendez-vous »: the interview, the visit (move, cancel), the PF stay, one card each, one above the other.
    await open(page, '/mes-rendez-vous');
    const agenda = await AgendaPage.on(page, violations);
    await expectNoSideScroll(page, 390);
    await expectWideOnScreen(page, 'main .fr-btn', 390, 100);
    expect(await agenda.cards().count()).toBe(3);
    expect(await page.locator('main table').count()).toBe(0);
    expect(await expectWideOnScreen(page, '[data-testid="upcoming-appointment"]', 390, 340)).toBe(3);
    expect(await expectWideOnScreen(page, '[data-testid="upcoming-appointment"] .fr-btn', 390, 300)).toBe(4);
    const move = page.getByRole('link', { name: `Déplacer la visite ${visit.reference}` });
    const cancel = page.getByRole('link', { name: `Annuler la visite ${visit.reference}` });
    expect(await move.isVisible()).toBe(true);
    expect(await cancel.isVisible()).toBe(true);

    // « Mes demandes » and « Mes permis »: cards too.
    await open(page, '/demandes');
    await PermitRequestsPage.on(page, violations);
    await expectNoSideScroll(page, 390);
    await expectWideOnScreen(page, 'main .fr-btn', 390, 100);
    expect(await expectWideOnScreen(page, '[data-testid="request"]', 390, 340)).toBe(3);
    await open(page, '/permis');
    await MyPermitsPage.on(page, violations);
    await expectNoSideScroll(page, 390);
    await expectWideOnScreen(page, 'main .fr-btn', 390, 100);
    expect(await expectWideOnScreen(page, '[data-testid="permit"]', 390, 340)).toBe(3);

    // The granted request shows its permit and « Réserver une visite ».
    await open(page, `/demandes/${granted.id}`);
    const grantedPage = await RequestPage.on(page, violations);
    await expectNoSideScroll(page, 390);
    await expectWideOnScreen(page, 'main .fr-btn', 390, 100);
    expect(await grantedPage.testId('permit-number').innerText()).toBe(granted.reference);
    expect(await expectWideOnScreen(page, '[data-testid="permit-book"]', 390, 300)).toBe(1);

    // The acknowledgement: what happens next, and the reference on one line (never cut at its hyphen).
    await open(page, `/demandes/${sent.id}?envoyee=1`);
    const ack = await RequestPage.on(page, violations);
    await expectNoSideScroll(page, 390);
    await expectWideOnScreen(page, 'main .fr-btn', 390, 100);
    expect(await ack.testId('next-steps').isVisible()).toBe(true);
    for (const reference of [ack.testId('sent-reference'), page.locator('h1 .p2v-nowrap')])
      expect(await reference.evaluate((e) => e.getClientRects().length)).toBe(1);

    // Step 5 of 9: the stepper draws 5 ninths; with an error shown, the photo step still fits the screen.
    await open(page, `/demandes/${draft.id}/etape/5`);
    const photo = await PhotoStepPage.on(page, violations);
    // The DSFR draws (100 % + gap) × current / steps − gap: without a count of 9 the drawing is dropped (« auto »).
    const drawn = await page.locator('.fr-stepper__steps').evaluate((e) => getComputedStyle(e).backgroundSize);
    expect(drawn).toMatch(/^calc\(55\.55\d*% - [\d.]+px\) 100%, 100% 100%$/);
    expect(await page.locator('.fr-stepper__state').innerText()).toContain('Étape 5 sur 9');
    await photo.send({ name: 'photo.txt', mimeType: 'text/plain', buffer: Buffer.from('pas une photo') });
    // As in the permit journey: the page the refused upload leads to has the error summary.
    await page.getByTestId('error-summary').waitFor();
    const refused = await PhotoStepPage.on(page, violations);
    expect((await refused.errors()).length).toBe(1);
    await expectNoSideScroll(page, 390);
    await expectWideOnScreen(page, 'main .fr-btn', 390, 100);

    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('says in a sentence that nothing is to come, with no empty table, and passes axe', async () => {
    const family = await insertFamily({ givenName: 'Zofia', familyName: 'Wójcik' });
    const context = await suite.browser.newContext(PHONE);
    const page = await context.newPage();
    const violations: string[] = [];
    await signInBrowser(page, suite.app.url, family);
    await MonEspacePage.on(page, violations);
    await expectNoSideScroll(page, 390);
    await open(page, '/mes-rendez-vous');
    const agenda = await AgendaPage.on(page, violations);
    await expectNoSideScroll(page, 390);
    expect(await agenda.testId('no-upcoming-appointment').innerText()).toBe('Vous n’avez aucune visite ni aucun rendez-vous à venir.');
    expect(await page.locator('main table').count()).toBe(0);
    expect(violations).toEqual([]);
    await context.close();
  });
});

describe('the visiting-room day on a tablet (1024×768, touch)', () => {
  it('shows « Jour précédent », « Aujourd’hui » and « Jour suivant » whole, wide enough to tap, on another day and today', async () => {
    const day = await insertVisitingDay();
    const agent = await insertAgent([{ establishmentId: day.establishment.id, role: 'PARLOIR_AGENT' }], {
      givenName: 'Małgorzata',
      usualName: 'Wójcik',
    });
    const context = await suite.browser.newContext(TABLET);
    const page = await context.newPage();
    const violations: string[] = [];
    await signInBrowser(page, suite.app.url, agent);
    for (const [path, buttons] of [
      [`/etablissements/${day.establishment.code}/parloir?jour=${dayIn(1)}`, ['Jour précédent', 'Aujourd’hui', 'Jour suivant']],
      [`/etablissements/${day.establishment.code}/parloir`, ['Jour précédent', 'Jour suivant']],
    ] as const) {
      await open(page, path);
      await ParloirDayPage.on(page, violations);
      await expectNoSideScroll(page, 1024);
      const nav = page.getByRole('navigation', { name: 'Autres jours' });
      expect(await nav.getByRole('link').allInnerTexts()).toEqual(buttons);
      expect(await expectWideOnScreen(page, 'nav[aria-label="Autres jours"] .fr-btn', 1024, 100)).toBe(buttons.length);
      // Each label is whole: nothing of it is cut off inside its button.
      const clipped = await nav.getByRole('link').evaluateAll((links) => links.filter((a) => a.scrollWidth > a.clientWidth).length);
      expect(clipped).toBe(0);
      expect(await expectWideOnScreen(page, 'nav[aria-label="Parloir"] .fr-btn', 1024, 80)).toBe(6);
    }
    expect(violations).toEqual([]);
    await context.close();
  });
});
