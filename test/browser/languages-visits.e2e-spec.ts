import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { insertEstablishment } from '../factories/people';
import { at, dayIn, insertBookingSetup, insertWaitlistEntry } from '../factories/visits';
import { appAndBrowser, clickAndLoad, consoleErrors, onTranslatedPage, signInBrowser } from '../helpers/browser';

// Some fifteen pages, each checked with axe-core, on a busy 2-core machine.
jest.setTimeout(120_000);

const suite = appAndBrowser();

/** A phone, as families use (390×844, touch). */
const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, locale: 'en-GB' };

/** A text of the catalogs (locales/<language>/<area>.json, key « area:path »): what the family reads. */
function t(language: 'en' | 'ar', key: string): string {
  const [area, path] = key.split(':');
  let node: unknown = JSON.parse(readFileSync(join(__dirname, '..', '..', 'locales', language, `${area}.json`), 'utf8'));
  for (const part of path.split('.')) node = (node as Record<string, unknown>)[part];
  if (typeof node !== 'string') throw new Error(`No text ${key} in ${language}`);
  return node;
}

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const errorsOf = (page: Page) => page.getByTestId('error-summary').locator('li').allInnerTexts();

/** Ticks the first slot offered on a booking or move page. */
async function firstSlot(page: Page): Promise<void> {
  const id = await page.locator('input[name="slot"]').first().getAttribute('id');
  await page.click(`label[for="${id}"]`);
}

describe('the visit pages and « Mon espace » on a phone, in English then in Arabic', () => {
  it('books, moves and cancels a visit, saves a phone number, answers an offer, errors included: axe-clean, right to left in Arabic, nothing scrolls sideways', async () => {
    const establishment = await insertEstablishment({ name: 'Centre pénitentiaire de Ștefănești' });
    const s = await insertBookingSetup({
      establishment,
      family: { givenName: 'Łucja', familyName: 'Nguyễn-Şahin' },
      detainee: { firstName: 'عائشة', lastName: 'Haddad' },
    });
    const offer = await insertWaitlistEntry({
      establishmentId: establishment.id,
      templateId: s.template.id,
      day: dayIn(12),
      startsAt: at(dayIn(12), '14:00'),
      familyAccountId: s.family.id,
      detaineeId: s.detainee.id,
      permitIds: [s.permit.id],
      offerExpiresAt: new Date(Date.now() + 3 * 3_600_000),
    });
    const context = await suite.browser.newContext(PHONE);
    const page = await context.newPage();
    const errors = consoleErrors(page);
    const violations: string[] = [];
    await signInBrowser(page, suite.app.url, { ...s.family, email: s.family.email ?? 'lucja@example.fr' });

    // In English: « Mon espace », the phone form (a wrong number, then a good one).
    await page.goto(`${suite.app.url}/langue/en?retour=%2Fmon-espace`, { waitUntil: 'load' });
    await onTranslatedPage(page, violations, 'en', t('en', 'space:home.pageTitle'));
    await clickAndLoad(page, page.getByRole('link', { name: t('en', 'space:home.changePhone') }));
    await onTranslatedPage(page, violations, 'en', t('en', 'space:phone.title'));
    await page.fill('#phone', '12');
    await clickAndLoad(page, button(page, t('en', 'space:phone.save')));
    await onTranslatedPage(page, violations, 'en', t('en', 'space:phone.title'));
    expect(await errorsOf(page)).toEqual([t('en', 'space:phone.errors.invalid').replace('{{phone}}', '12')]);
    await page.fill('#phone', '06 12 34 56 78');
    await clickAndLoad(page, button(page, t('en', 'space:phone.save')));
    await onTranslatedPage(page, violations, 'en', t('en', 'space:home.pageTitle'));
    expect(await page.getByTestId('done').innerText()).toBe(t('en', 'space:home.phoneSaved'));

    // Booking: sent without a slot, then with one; the agenda shows it.
    await clickAndLoad(page, page.getByRole('link', { name: t('en', 'space:book') }).first());
    await onTranslatedPage(page, violations, 'en', t('en', 'visits:book.title'));
    await clickAndLoad(page, button(page, t('en', 'visits:book.submit')));
    await onTranslatedPage(page, violations, 'en', t('en', 'visits:book.title'));
    expect(await errorsOf(page)).toEqual([t('en', 'visits:errors.chooseSlot')]);
    await firstSlot(page);
    await clickAndLoad(page, button(page, t('en', 'visits:book.submit')));
    await onTranslatedPage(page, violations, 'en', t('en', 'space:agenda.pageTitle'));
    await page.getByTestId('booked').waitFor();

    // Moving it to another slot, then cancelling it after the confirmation.
    await clickAndLoad(page, page.getByRole('link', { name: t('en', 'space:card.move') }).first());
    await onTranslatedPage(page, violations, 'en', /^Move the visit [A-Z0-9]+$/);
    await firstSlot(page);
    await clickAndLoad(page, button(page, t('en', 'visits:move.submit')));
    await onTranslatedPage(page, violations, 'en', t('en', 'space:agenda.pageTitle'));
    await page.getByTestId('moved').waitFor();
    await clickAndLoad(page, page.getByRole('link', { name: t('en', 'space:card.cancel') }).first());
    await onTranslatedPage(page, violations, 'en', /^Cancel the appointment on .+ at \d{2}:\d{2}\?$/);
    await clickAndLoad(page, button(page, t('en', 'space:cancel.yes')));
    await onTranslatedPage(page, violations, 'en', t('en', 'space:agenda.pageTitle'));
    expect(await page.getByTestId('cancelled-notice').innerText()).toBe(t('en', 'space:agenda.cancelled'));

    // In Arabic: « Mon espace » with the offer, the offer's page, the booking page with its error, the phone form with its error.
    await page.goto(`${suite.app.url}/langue/ar?retour=%2Fmon-espace`, { waitUntil: 'load' });
    await onTranslatedPage(page, violations, 'ar', t('ar', 'space:home.pageTitle'));
    await clickAndLoad(page, page.getByRole('link', { name: t('ar', 'space:home.offerAnswer') }));
    await onTranslatedPage(page, violations, 'ar', /^قائمة الانتظار: زيارة يوم .+ الساعة 14:00$/);
    expect(new URL(page.url()).pathname).toBe(`/visites/liste-attente/${offer.id}`);
    await clickAndLoad(page, page.getByRole('link', { name: t('ar', 'visits:waitlist.back') }).first());
    await onTranslatedPage(page, violations, 'ar', t('ar', 'space:agenda.pageTitle'));
    await clickAndLoad(page, page.getByRole('link', { name: t('ar', 'space:book') }).first());
    await onTranslatedPage(page, violations, 'ar', t('ar', 'visits:book.title'));
    await clickAndLoad(page, button(page, t('ar', 'visits:book.submit')));
    await onTranslatedPage(page, violations, 'ar', t('ar', 'visits:book.title'));
    expect(await errorsOf(page)).toEqual([t('ar', 'visits:errors.chooseSlot')]);
    await page.goto(`${suite.app.url}/mon-espace/telephone`, { waitUntil: 'load' });
    await onTranslatedPage(page, violations, 'ar', t('ar', 'space:phone.title'));
    await page.fill('#phone', 'abc');
    await clickAndLoad(page, button(page, t('ar', 'space:phone.save')));
    await onTranslatedPage(page, violations, 'ar', t('ar', 'space:phone.title'));
    expect(await errorsOf(page)).toEqual([t('ar', 'space:phone.errors.invalid').replace('{{phone}}', 'abc')]);

    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
