import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dayFromToday } from '../factories/family-visit-requests';
import { insertStay } from '../factories/family-visits-entitlement';
import { insertAuthorisedCase, insertUnit } from '../factories/family-visits-units';
import { insertDetainee, insertEstablishment, insertFamily } from '../factories/people';
import { insertPermit } from '../factories/permits';
import { query } from '../helpers/db';
import { appAndBrowser, clickAndLoad, consoleErrors, onTranslatedPage, signInBrowser } from '../helpers/browser';

// Some twenty pages, each checked with axe-core, on a busy 2-core machine.
jest.setTimeout(90_000);

const suite = appAndBrowser();

/** A phone, as families use (390×844, touch), set to English. */
const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, locale: 'en' };

type Catalog = Record<string, unknown>;
const catalog = (language: string, area: string) =>
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'locales', language, `${area}.json`), 'utf8')) as Catalog;

/** A text of a catalog by its path (« list.title »), with its {{variables}} filled. */
function text(c: Catalog, path: string, values: Record<string, string> = {}): string {
  const found = path.split('.').reduce<unknown>((o, k) => (o as Catalog)[k], c);
  if (typeof found !== 'string') throw new Error(`No text at ${path}`);
  return found.replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name]);
}

describe('the UVF / PF pages, « Mes données » and the sign-out on a phone, in English then in Arabic', () => {
  it('asks for a visit with an error, withdraws a request, reads the stay and « Mes données », signs out: axe-clean, nothing scrolls sideways', async () => {
    const establishment = await insertEstablishment({ name: 'Centre pénitentiaire de Ștefănești' });
    const detainee = await insertDetainee(establishment.id, { firstName: 'محمد', lastName: 'Țurcanu' });
    const family = await insertFamily({ givenName: 'Łucja', familyName: 'Nguyễn-Şahin', birthdate: '1988-04-02' });
    const permit = (givenName: string, birthdate: string) =>
      insertPermit({
        establishmentId: establishment.id,
        detaineeId: detainee.id,
        familyAccountId: family.id,
        visitorGivenName: givenName,
        visitorFamilyName: 'Nguyễn-Şahin',
        visitorBirthdate: birthdate,
      });
    const adult = await permit('Łucja', '1988-04-02');
    const child = await permit('عائشة', '2016-09-12');
    const unit = await insertUnit(establishment.id, { kind: 'PF', name: 'Parloir familial Ŵ' });
    const authorised = await insertAuthorisedCase(establishment.id, {
      kind: 'PF',
      hours: 6,
      familyAccountId: family.id,
      lastName: 'Ŷlmaz',
    });
    const stay = await insertStay({
      caseId: authorised.caseId,
      unitId: unit.id,
      from: new Date(`${dayFromToday(20)}T08:00:00Z`),
      hours: 3,
    });
    await query(`UPDATE family_units SET house_rules = 'Merci de laisser la pièce rangée.' WHERE id = $1`, [unit.id]);

    const context = await suite.browser.newContext(PHONE);
    const page = await context.newPage();
    const errors = consoleErrors(page);
    const violations: string[] = [];
    await signInBrowser(page, suite.app.url, family);
    const url = (path: string) => `${suite.app.url}${path}`;
    const go = (path: string) => page.goto(url(path), { waitUntil: 'load' });

    // In English: « My requests », a request with an error, then sent; one withdrawn after its confirmation.
    const EN = catalog('en', 'familyVisits');
    const enData = catalog('en', 'myData');
    const enAccount = catalog('en', 'account');
    await go('/langue/en?retour=%2Fuvf');
    await onTranslatedPage(page, violations, 'en', text(EN, 'list.title'));
    await clickAndLoad(page, page.getByRole('link', { name: text(EN, 'list.new'), exact: true }));
    await onTranslatedPage(page, violations, 'en', text(EN, 'choose.title'));
    await clickAndLoad(page, page.getByTestId('detainee').filter({ hasText: 'Țurcanu'.toLocaleUpperCase('fr') }));
    await onTranslatedPage(page, violations, 'en', text(EN, 'new.heading', { name: 'محمد ȚURCANU' }));
    await page.click('label[for="kind-UVF"]');
    await page.fill('#wishedFrom', dayFromToday(40));
    await page.fill('#wishedTo', dayFromToday(41));
    await page.fill('#hours', '24');
    await page.click(`label[for="visitor-${adult.id}"]`);
    await page.click(`label[for="visitor-${child.id}"]`);
    const send = page.getByRole('button', { name: text(EN, 'new.submit'), exact: true });
    await clickAndLoad(page, send);
    await onTranslatedPage(page, violations, 'en', text(EN, 'new.heading', { name: 'محمد ȚURCANU' }));
    expect(await page.getByTestId('error-summary').locator('li').allInnerTexts()).toEqual([
      text(EN, 'errors.minorCompanion', { name: 'عائشة NGUYỄN-ŞAHIN' }),
    ]);
    await page.selectOption(`#accompagnant-${child.id}`, adult.id);
    await clickAndLoad(page, send);
    await onTranslatedPage(page, violations, 'en', text(EN, 'list.title'));
    expect(await page.getByTestId('sent').isVisible()).toBe(true);
    await clickAndLoad(page, page.getByTestId('request-visitor').filter({ hasText: 'عائشة' }));
    await onTranslatedPage(page, violations, 'en', text(EN, 'request.title', { name: 'عائشة NGUYỄN-ŞAHIN' }));
    await clickAndLoad(page, page.getByTestId('withdraw-link'));
    await onTranslatedPage(page, violations, 'en', text(EN, 'withdraw.heading', { name: 'عائشة NGUYỄN-ŞAHIN' }));
    await clickAndLoad(page, page.getByTestId('confirm-withdraw'));
    await onTranslatedPage(page, violations, 'en', text(EN, 'request.title', { name: 'عائشة NGUYỄN-ŞAHIN' }));
    expect(await page.getByTestId('request-status').textContent()).toBe(text(EN, 'statuses.WITHDRAWN'));
    const requestPath = new URL(page.url()).pathname;

    // The booked family parlour, « My data » (the closure refused: the adult's request and the stay are pending), the sign-out.
    await go(`/uvf/sejours/${stay.id}`);
    await onTranslatedPage(page, violations, 'en', text(EN, 'stay.heading.PF'));
    await go('/mes-donnees');
    await onTranslatedPage(page, violations, 'en', text(enData, 'index.title'));
    await clickAndLoad(page, page.getByTestId('close-account-link'));
    await onTranslatedPage(page, violations, 'en', text(enData, 'close.title'));
    // The adult's request under examination and the booked stay.
    expect(await page.getByTestId('blocker').count()).toBe(2);
    await go('/deconnexion');
    await onTranslatedPage(page, violations, 'en', text(enAccount, 'signOut.title'));

    // In Arabic: the same pages, right to left.
    const AR = catalog('ar', 'familyVisits');
    const arData = catalog('ar', 'myData');
    const arAccount = catalog('ar', 'account');
    await go('/langue/ar?retour=%2Fuvf');
    await onTranslatedPage(page, violations, 'ar', text(AR, 'list.title'));
    await go(`/uvf/nouvelle/${detainee.id}`);
    await onTranslatedPage(page, violations, 'ar', text(AR, 'new.heading', { name: 'محمد ȚURCANU' }));
    await clickAndLoad(page, page.getByRole('button', { name: text(AR, 'new.submit'), exact: true }));
    await onTranslatedPage(page, violations, 'ar', text(AR, 'new.heading', { name: 'محمد ȚURCANU' }));
    expect(await page.getByTestId('error-summary').count()).toBe(1);
    await go(requestPath);
    await onTranslatedPage(page, violations, 'ar', text(AR, 'request.title', { name: 'عائشة NGUYỄN-ŞAHIN' }));
    await go(`${requestPath}/retrait`);
    await onTranslatedPage(page, violations, 'ar', text(AR, 'withdraw.heading', { name: 'عائشة NGUYỄN-ŞAHIN' }));
    expect(await page.getByTestId('cannot-withdraw').innerText()).toBe(text(AR, 'errors.alreadyWithdrawn'));
    await go(`/uvf/sejours/${stay.id}`);
    await onTranslatedPage(page, violations, 'ar', text(AR, 'stay.heading.PF'));
    expect(await page.getByTestId('house-rules').evaluate((e) => [e.getAttribute('lang'), getComputedStyle(e).direction])).toEqual([
      'fr',
      'ltr',
    ]);
    await go('/mes-donnees');
    await onTranslatedPage(page, violations, 'ar', text(arData, 'index.title'));
    await clickAndLoad(page, page.getByTestId('close-account-link'));
    await onTranslatedPage(page, violations, 'ar', text(arData, 'close.title'));
    await go('/deconnexion');
    await onTranslatedPage(page, violations, 'ar', text(arAccount, 'signOut.title'));
    // P2V's session ends, then the provider's page (this test session has none there); then P2V's last page.
    await clickAndLoad(page, page.getByRole('button', { name: text(arAccount, 'signOut.confirm'), exact: true }));
    await go('/deconnexion/fin');
    await onTranslatedPage(page, violations, 'ar', text(arAccount, 'signedOut.heading'));

    expect(violations).toEqual([]);
    // The demo provider's page (not P2V's) has no favicon.
    expect(errors.filter((e) => !e.includes('/demo-idp/'))).toEqual([]);
    await context.close();
  });
});
