import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { insertDetainee, insertEstablishment, unique } from '../factories/people';
import { appAndBrowser, clickAndLoad, consoleErrors, onTranslatedPage, signInBrowser } from '../helpers/browser';
import { onePagePdf, photoPng } from '../helpers/files';

// Some fifteen pages, each checked with axe-core, on a busy 2-core machine.
jest.setTimeout(90_000);

const suite = appAndBrowser();

/** A phone, as families use (390×844, touch), set to Arabic. */
const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, locale: 'ar' };

/** The Arabic texts of the permits' pages (locales/ar/permits.json): what the family reads. */
const AR = JSON.parse(readFileSync(join(__dirname, '..', '..', 'locales', 'ar', 'permits.json'), 'utf8')) as {
  continue: string;
  sendAndContinue: string;
  mine: { title: string; new: string };
  step1: { title: string };
  step2: { title: string };
  step3: { title: string };
  step4: { title: string };
  step5: { title: string; send: string };
  step6: { title: string };
  step7: { title: string };
  step8: { title: string };
  step9: { title: string; send: string };
  errors: { notVerified: string };
  files: { notImage: string };
  status: { SUBMITTED: string };
  detail: { title: string };
};

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

describe('the permit request in Arabic on a phone', () => {
  it('goes from « Mes demandes » to the request sent, errors included: right to left, axe-clean, nothing scrolls sideways', async () => {
    const establishment = await insertEstablishment({ name: 'Centre pénitentiaire de Ștefănești' });
    const detainee = await insertDetainee(establishment.id, { firstName: 'محمد', lastName: 'Țurcanu', legalStatus: 'CONDAMNE' });
    const context = await suite.browser.newContext(PHONE);
    const page = await context.newPage();
    const errors = consoleErrors(page);
    const violations: string[] = [];
    await signInBrowser(page, suite.app.url, {
      givenName: 'عائشة',
      familyName: 'Nguyễn',
      birthdate: '1985-03-14',
      email: `${unique('famille-').toLowerCase()}@example.fr`,
    });
    await page.goto(`${suite.app.url}/langue/ar?retour=%2Fdemandes`, { waitUntil: 'load' });
    await onTranslatedPage(page, violations, 'ar', AR.mine.title);
    await clickAndLoad(page, button(page, AR.mine.new));

    // 1. The detainee: a name that does not match, then the right one.
    await onTranslatedPage(page, violations, 'ar', 'من تريد أن تزور؟');
    expect(AR.step1.title).toBe('من تريد أن تزور؟');
    await page.selectOption('#establishment', establishment.code);
    await page.fill('#ecrou', detainee.ecrouNumber);
    await page.fill('#lastName', 'inconnu');
    await clickAndLoad(page, button(page, AR.continue));
    await onTranslatedPage(page, violations, 'ar', AR.step1.title);
    expect(await page.getByTestId('error-summary').locator('li').allInnerTexts()).toEqual([AR.errors.notVerified]);
    await page.fill('#lastName', 'turcanu');
    await clickAndLoad(page, button(page, AR.continue));

    // 2. to 4.: the documents to prepare, the visitor (the account holder), the relationship.
    await onTranslatedPage(page, violations, 'ar', AR.step2.title);
    await page.click('label[for="understood"]');
    await clickAndLoad(page, button(page, AR.continue));
    await onTranslatedPage(page, violations, 'ar', AR.step3.title);
    await page.click('label[for="forWhom-moi"]');
    await clickAndLoad(page, button(page, AR.continue));
    await onTranslatedPage(page, violations, 'ar', /^ما صلة الزائر بـ محمد Țurcanu؟$/);
    expect(AR.step4.title).toContain('{{name}}');
    await page.click('label[for="rel-SPOUSE"]');
    await clickAndLoad(page, button(page, AR.continue));

    // 5. The photo: a text file refused, then a photo.
    await onTranslatedPage(page, violations, 'ar', AR.step5.title);
    await page.setInputFiles('#fichier', { name: 'photo.txt', mimeType: 'text/plain', buffer: Buffer.from('ليست صورة') });
    await clickAndLoad(page, button(page, AR.step5.send));
    await onTranslatedPage(page, violations, 'ar', AR.step5.title);
    expect(await page.locator('#fichier-erreur').innerText()).toBe(AR.files.notImage);
    await page.setInputFiles('#fichier', { name: 'صورة.png', mimeType: 'image/png', buffer: await photoPng() });
    await clickAndLoad(page, button(page, AR.step5.send));

    // 6. to 8.: the identity document, the proof of address, no comment.
    await onTranslatedPage(page, violations, 'ar', AR.step6.title);
    await page.selectOption('#idType', 'PASSEPORT');
    await page.setInputFiles('#fichier', { name: 'passeport.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('Passeport') });
    await clickAndLoad(page, button(page, AR.sendAndContinue));
    await onTranslatedPage(page, violations, 'ar', AR.step7.title);
    await page.setInputFiles('#fichier', { name: 'facture.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('Facture') });
    await clickAndLoad(page, button(page, AR.sendAndContinue));
    await onTranslatedPage(page, violations, 'ar', AR.step8.title);
    await clickAndLoad(page, button(page, AR.continue));

    // 9. Check and send: the request's page, its status in Arabic, the recourse routes quoted in French.
    await onTranslatedPage(page, violations, 'ar', AR.step9.title);
    await clickAndLoad(page, button(page, AR.step9.send));
    await onTranslatedPage(page, violations, 'ar', new RegExp(`^${AR.detail.title} PV-[A-Z0-9]{8}$`));
    expect(await page.getByTestId('status').innerText()).toBe(AR.status.SUBMITTED);
    expect(await page.getByTestId('recourse-french').evaluate((e) => [e.getAttribute('lang'), getComputedStyle(e).direction])).toEqual([
      'fr',
      'ltr',
    ]);

    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
