import { appAndBrowser, consoleErrors, signInBrowser } from '../helpers/browser';
import { FAMILY } from '../helpers/sign-in';
import { FamilyVisitRequestsPage } from './pages/family-visit-family-pages';

jest.setTimeout(90_000);

const suite = appAndBrowser();

describe('« Mes demandes UVF / parloir familial » on a phone', () => {
  it('Camille reads her request under instruction with its convocation and her authorised visit with its stay: no sideways scrolling, every page passes axe (WCAG 2.1 AA)', async () => {
    const context = await suite.browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    const errors = consoleErrors(page);
    const violations: string[] = [];

    await signInBrowser(page, suite.app.url, { demo: FAMILY.camille });
    await page.goto(`${suite.app.url}/uvf`, { waitUntil: 'load' });
    const list = await FamilyVisitRequestsPage.on(page, violations);

    const open = await list.open('Reçue, en cours d’instruction');
    expect(await open.texts('interview-status')).toEqual(['Prévu']);
    expect(await open.texts('interview-cancel')).toEqual([expect.stringMatching(/^Annuler ce rendez-vous/)]);
    expect(await open.scrollsSideways()).toBe(false);

    const granted = await (await open.back()).open('Accordée');
    expect(await granted.texts('stay-status')).toEqual(['Réservé']);
    expect(await granted.scrollsSideways()).toBe(false);

    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
