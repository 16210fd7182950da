import type { BrowserContextOptions, Page } from 'playwright-core';
import { query, queryOne } from '../helpers/db';
import { appAndBrowser, axeViolations, consoleErrors, signInBrowser } from '../helpers/browser';
import type { AgentIdentity } from '../helpers/sign-in';
import { insertAgent, insertDetainee } from '../factories/people';
import { insertPermit } from '../factories/permits';
import { at, dayIn, insertVisit, insertVisitingDay } from '../factories/visits';
import {
  IncidentPage,
  IncidentsPage,
  ParloirIncidentPage,
  ProposeMeasurePage,
  RestrictionConfirmPage,
  RestrictionsPage,
} from './pages/parloir-unexpected';

// Two people's journeys of a few pages each, every page checked by axe-core.
jest.setTimeout(90_000);

const suite = appAndBrowser();
const TABLET: BrowserContextOptions = { viewport: { width: 1024, height: 768 }, hasTouch: true };
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 900 } };

function navigating(page: Page, action: () => Promise<unknown>) {
  return Promise.all([page.waitForNavigation({ waitUntil: 'load' }), action()]);
}

/** Signs in (helpers/browser.ts: the session without the provider's pages); the page signed in on is checked with axe. */
async function signInAgent(page: Page, who: AgentIdentity, violations: string[]) {
  await signInBrowser(page, suite.app.url, who);
  violations.push(...(await axeViolations(page)));
}

describe('the unexpected on the day', () => {
  it('the agent interrupts a visit on the tablet (1024 px) and writes the report, the head reads it and opens a suspension: every page passes axe', async () => {
    const { establishment, kaya } = await insertVisitingDay();
    await query(`UPDATE visits SET status = 'IN_PROGRESS' WHERE id = $1`, [kaya.id]);
    await query(`UPDATE visit_visitors SET check_status = 'ARRIVED', checked_at = now() WHERE visit_id = $1`, [kaya.id]);
    const agent = await insertAgent([{ establishmentId: establishment.id, role: 'PARLOIR_AGENT' }], {
      givenName: 'Małgorzata',
      usualName: 'Wójcik',
    });
    const headOf = await insertAgent([{ establishmentId: establishment.id, role: 'HEAD_OF_ESTABLISHMENT' }], {
      givenName: 'Şükrü',
      usualName: 'Yılmaz',
    });
    const violations: string[] = [];

    // The agent, on the tablet.
    const tablet = await suite.browser.newContext(TABLET);
    const page = await tablet.newPage();
    const errors = consoleErrors(page);
    await signInAgent(page, agent, violations);
    await page.goto(`${suite.app.url}/etablissements/${establishment.code}/parloir/visites/${kaya.id}`);
    let visit = await ParloirIncidentPage.on(page, violations);
    await visit.openIncident();
    await visit.verifyOnPage(); // axe, with the report's form open
    const report = 'À 14 h 20, la visiteuse a tenté de remettre un téléphone portable à la personne détenue.';
    await visit.interrupt({ reason: 'Remise ou tentative de remise d’un objet interdit', visitor: 'Łucja KAYA', report });
    await navigating(page, () => visit.submit());
    visit = await ParloirIncidentPage.on(page, violations);
    expect(await visit.done()).toBe('Visite interrompue. Le compte-rendu d’incident est transmis au chef d’établissement.');
    expect(await visit.status()).toBe('Terminée');
    expect(await visit.incident()).toContain('Personne concernée : Łucja KAYA.');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    expect(await queryOne(`SELECT status FROM visits WHERE id = $1`, [kaya.id])).toEqual({ status: 'DONE' });
    expect(errors).toEqual([]);
    await tablet.close();

    // The head, on a desktop.
    const desktop = await suite.browser.newContext(DESKTOP);
    const headPage = await desktop.newPage();
    await signInAgent(headPage, headOf, violations);
    await headPage.goto(`${suite.app.url}/etablissements/${establishment.code}/incidents`);
    const list = await IncidentsPage.on(headPage, violations);
    expect(await list.rows()).toEqual([expect.stringContaining('Łucja KAYA')]);
    await navigating(headPage, () => list.open());
    const incident = await IncidentPage.on(headPage, violations);
    expect(await incident.report()).toBe(report);
    await navigating(headPage, () => incident.openSuspension());
    const measure = await ProposeMeasurePage.on(headPage, violations);
    expect(await measure.suspensionChosen()).toBe(true);
    expect(await measure.grounds()).toContain(`(visite réf. ${kaya.reference}) : remise ou tentative de remise d’un objet interdit.`);
    expect(violations).toEqual([]);
    await desktop.close();
  });

  it('the head records that a detainee is prevented: the visits are read back with the families’ names, then cancelled: every page passes axe', async () => {
    const { establishment, room } = await insertVisitingDay();
    const detainee = await insertDetainee(establishment.id, { firstName: 'Karim', lastName: 'Haddad' });
    const permit = await insertPermit({
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      visitorGivenName: 'فاطمة',
      visitorFamilyName: 'Haddad',
    });
    const visit = await insertVisit({
      establishmentId: establishment.id,
      roomId: room.id,
      detaineeId: detainee.id,
      permitIds: [permit.id],
      startsAt: at(dayIn(2), '14:00'),
    });
    const headOf = await insertAgent([{ establishmentId: establishment.id, role: 'HEAD_OF_ESTABLISHMENT' }], {
      givenName: 'Zofia',
      usualName: 'Wiśniewska',
    });
    const violations: string[] = [];
    const context = await suite.browser.newContext(DESKTOP);
    const page = await context.newPage();
    const errors = consoleErrors(page);
    await signInAgent(page, headOf, violations);
    await navigating(page, async () => {
      await page.getByRole('button', { name: 'Empêchements et incidents' }).click();
      await page.getByRole('link', { name: 'Détenus empêchés, cellule disciplinaire' }).click();
    });
    const restrictions = await RestrictionsPage.on(page, violations);
    await restrictions.prevent({ ecrou: detainee.ecrouNumber, cause: 'Extraction judiciaire', from: dayIn(1), to: dayIn(3) });
    await navigating(page, () => restrictions.check());
    const confirm = await RestrictionConfirmPage.on(page, violations);
    expect(await confirm.count()).toBe('1 visite sera annulée');
    expect(await confirm.visits()).toEqual([expect.stringContaining(`فاطمة HADDAD (réf. ${visit.reference})`)]);
    await navigating(page, () => confirm.confirm());
    const done = await RestrictionsPage.on(page, violations);
    expect(await done.done()).toBe('Période enregistrée. 1 visite annulée : la famille est prévenue.');
    expect(await queryOne(`SELECT status FROM visits WHERE id = $1`, [visit.id])).toEqual({ status: 'CANCELLED' });
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
