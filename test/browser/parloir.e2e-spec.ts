import type { Page } from 'playwright-core';
import { query } from '../helpers/db';
import { actAndCheck, appAndBrowser, axeViolations, consoleErrors } from '../helpers/browser';

const suite = appAndBrowser();

/** A tap that loads a new page (a link, a form button): waits for that page, not the one tapped on. */
function navigating(page: Page, action: () => Promise<unknown>) {
  return () => Promise.all([page.waitForNavigation({ waitUntil: 'load' }), action()]);
}

async function checks(familyName: string) {
  return query(
    `SELECT p.visitor_given_name AS name, vv.check_status, vv.refusal_reason, v.status FROM visit_visitors vv JOIN permits p ON p.id = vv.permit_id JOIN visits v ON v.id = vv.visit_id
      WHERE p.visitor_family_name = $1 AND v.reference LIKE 'DEMO%' ORDER BY p.visitor_given_name`,
    [familyName],
  );
}

describe('the agent’s morning at the visiting rooms, on a tablet (1024×768, touch)', () => {
  it('opens the day’s list, checks in a family with one tap per visitor, refuses one visitor with a reason: every page passes axe', async () => {
    const context = await suite.browser.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true });
    const page = await context.newPage();
    const errors = consoleErrors(page);
    const violations: string[] = [];
    let taps = 0;
    const tap = async (p: Page, action: () => Promise<unknown>) => {
      taps++;
      await actAndCheck(p, violations, navigating(p, action));
    };

    await page.goto(`${suite.app.url}/`);
    await page.click('a.fr-connect[href="/agents/connexion"]');
    await actAndCheck(page, violations, () => page.getByRole('button', { name: 'Se connecter en tant que Sophie Moreau' }).click());
    await actAndCheck(
      page,
      violations,
      navigating(page, () => page.getByRole('link', { name: 'Parloir du jour' }).first().click()),
    );
    expect(await page.textContent('h1')).toContain('Parloir du');
    expect(await page.textContent('main')).toContain('0 visiteur(s) arrivé(s) sur 6');

    // Normal check-in of a family of two: open the visit, one tap per visitor.
    taps = 0;
    await tap(page, () => page.locator('.p2v-day-visit', { hasText: 'Amina BENALI' }).getByRole('link').tap());
    await tap(page, () => page.getByRole('button', { name: 'Arrivé : Amina BENALI' }).tap());
    await tap(page, () => page.getByRole('button', { name: 'Arrivé : Yasmine BENALI' }).tap());
    expect(taps).toBe(3);
    expect(await checks('Benali')).toEqual([
      { name: 'Amina', check_status: 'ARRIVED', refusal_reason: null, status: 'IN_PROGRESS' },
      { name: 'Yasmine', check_status: 'ARRIVED', refusal_reason: null, status: 'IN_PROGRESS' },
    ]);
    expect(await page.textContent('main')).toContain('En cours');

    // Refusing a visitor takes a reason.
    await actAndCheck(
      page,
      violations,
      navigating(page, () => page.getByRole('link', { name: 'Liste du jour' }).tap()),
    );
    await actAndCheck(
      page,
      violations,
      navigating(page, () => page.locator('.p2v-day-visit', { hasText: 'Sophie LEMAIRE' }).getByRole('link').tap()),
    );
    await page.getByText('Refuser l’accès… : Sophie LEMAIRE').tap();
    violations.push(...(await axeViolations(page)));
    await page.getByRole('button', { name: 'Confirmer le refus : Sophie LEMAIRE' }).tap(); // no reason chosen: the browser asks for one
    expect(await checks('Lemaire')).toEqual([
      { name: 'Jean', check_status: null, refusal_reason: null, status: 'BOOKED' },
      { name: 'Sophie', check_status: null, refusal_reason: null, status: 'BOOKED' },
    ]);
    await page
      .locator('section.p2v-visitor', { hasText: 'Sophie LEMAIRE' })
      .getByLabel('Motif du refus (obligatoire)')
      .selectOption({ label: 'Identité non conforme' });
    await actAndCheck(
      page,
      violations,
      navigating(page, () => page.getByRole('button', { name: 'Confirmer le refus : Sophie LEMAIRE' }).tap()),
    );
    expect(await checks('Lemaire')).toEqual([
      { name: 'Jean', check_status: null, refusal_reason: null, status: 'BOOKED' },
      { name: 'Sophie', check_status: 'REFUSED', refusal_reason: 'ID_MISMATCH', status: 'BOOKED' },
    ]);
    expect(await page.textContent('main')).toContain('Refusé — Identité non conforme');

    // The other pages of the day, each checked.
    await actAndCheck(
      page,
      violations,
      navigating(page, () => page.getByRole('link', { name: 'Liste du jour' }).tap()),
    );
    for (const name of ['Mouvements', 'Version imprimable', 'Visites à revoir', 'Importer la liste GENESIS', 'Statistiques']) {
      await actAndCheck(
        page,
        violations,
        navigating(page, () => page.getByRole('link', { name, exact: true }).tap()),
      );
    }
    const [d] = await query(
      `SELECT d.ecrou_number FROM permits p JOIN detainees d ON d.id = p.detainee_id WHERE p.family_account_id IS NOT NULL LIMIT 1`,
    );
    await actAndCheck(page, violations, () => page.goto(`${suite.app.url}/etablissements/CPNORD/visites/reserver?ecrou=${d.ecrou_number}`));
    expect(await page.textContent('main')).toContain('Créneau');
    // A family calls to move its visit: the agent's move page, from the visit's page.
    const [camille] = await query(`SELECT id FROM visits WHERE family_account_id IS NOT NULL AND status = 'BOOKED' LIMIT 1`);
    await actAndCheck(page, violations, () => page.goto(`${suite.app.url}/etablissements/CPNORD/parloir/visites/${camille.id}`));
    await actAndCheck(
      page,
      violations,
      navigating(page, () => page.getByRole('link', { name: 'Déplacer la visite' }).tap()),
    );
    expect(await page.textContent('h1')).toContain('Déplacer la visite');

    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a family’s visit pages (mine, booking, moving) pass axe too', async () => {
    const context = await suite.browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    const errors = consoleErrors(page);
    const violations: string[] = [];
    await page.goto(`${suite.app.url}/connexion`);
    await page.getByRole('button', { name: 'Se connecter en tant que Camille Martin' }).click();
    await actAndCheck(page, violations, () => page.goto(`${suite.app.url}/visites`));
    await actAndCheck(
      page,
      violations,
      navigating(page, () =>
        page
          .getByRole('link', { name: /Déplacer/ })
          .first()
          .tap(),
      ),
    );
    expect(await page.textContent('h1')).toContain('Déplacer la visite');
    await actAndCheck(page, violations, () => page.goto(`${suite.app.url}/visites/reserver`));
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
