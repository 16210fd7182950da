import { grantRole, insertAgentElsewhere, insertEstablishment } from '../factories/people';
import { appAndBrowser, consoleErrors, signInBrowser } from '../helpers/browser';
import { EditPracticalInfoPage, PracticalInfoPage } from './pages/establishment-info-pages';
import { DashboardPage } from './pages/agents-roles-page';

// A browser journey with axe on each page takes longer than the 20 s of a plain test.
jest.setTimeout(90_000);

const suite = appAndBrowser();

describe('an establishment’s practical information in a real browser', () => {
  it('the administrator fills it in on a desktop, then a family reads it on a phone (390 px) without signing in, in French and in Arabic once translated: no axe violation, no sideways scroll', async () => {
    const establishment = await insertEstablishment({ name: 'Centre pénitentiaire de Łódź-sur-Lys' });
    const admin = await insertAgentElsewhere('ADMIN', { givenName: 'Łukasz', usualName: 'Şükrü' });
    await grantRole(admin.id, establishment.id, 'ADMIN');

    const desktop = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await desktop.newPage();
    const errors = consoleErrors(page);
    const violations: string[] = [];
    await signInBrowser(page, suite.app.url, admin);
    await DashboardPage.on(page, violations);
    const form = await EditPracticalInfoPage.open(page, violations, suite.app.url, establishment.code);

    const refused = await form.save({ 'Téléphone du parloir': '03 20' });
    expect(await refused.errorSummary()).toContain('Téléphone du parloir : un numéro valide');
    const saved = await refused.save({
      'Adresse postale': 'شارع الحرية 12\n59000 Lille',
      'Téléphone du parloir': '03 20 12 34 56',
      'Horaires du parloir': 'Du mardi au samedi, de 8 h 30 à 11 h 30',
      'Accès et transports':
        'Tram ligne 1, arrêt « Centre pénitentiaire », puis 5 minutes à pied en suivant le fléchage « Accueil des familles »',
      'Casiers et consigne': 'Casiers avec une pièce de 1 € (rendue)',
    });
    expect(await saved.confirmation()).toContain('Les informations pratiques sont enregistrées');
    expect(await saved.publicPage()).toBe(`/etablissements/${establishment.code}/infos-pratiques`);
    const arabic = await saved.translate('Traduire en arabe');
    const translated = await arabic.save({ 'Accès et transports en arabe': 'الترام الخط 1، ثم 5 دقائق سيرًا على الأقدام' });
    expect(await translated.confirmation()).toContain('La traduction en arabe est enregistrée');
    await desktop.close();

    const phone = await suite.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const mobile = await phone.newPage();
    const mobileErrors = consoleErrors(mobile);
    const info = await PracticalInfoPage.open(mobile, violations, suite.app.url, establishment.code);
    expect(await info.sections()).toEqual(['Adresse', 'Contacter le parloir', 'Accès et transports', 'Casiers et consigne']);
    expect(await info.phone()).toEqual({ text: '03 20 12 34 56', href: 'tel:+33320123456' });
    expect(await info.testId('info-address').innerText()).toBe('شارع الحرية 12\n59000 Lille');
    expect(await info.fitsWidth()).toBe(true);
    await phone.close();

    // A family whose phone reads Arabic: the translated text in Arabic, right to left; the rest marked French.
    const arabicPhone = await suite.browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'ar',
    });
    const arabicPage = await arabicPhone.newPage();
    const arabicErrors = consoleErrors(arabicPage);
    const inArabic = await PracticalInfoPage.open(arabicPage, violations, suite.app.url, establishment.code);
    expect(await arabicPage.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await inArabic.sections()).toEqual(['العنوان', 'الاتصال بقاعة الزيارة', 'الوصول ووسائل النقل', 'الخزائن']);
    expect(await inArabic.testId('info-access').innerText()).toBe('الترام الخط 1، ثم 5 دقائق سيرًا على الأقدام');
    expect(await inArabic.testId('info-lockers').getAttribute('lang')).toBe('fr');
    expect(await inArabic.fitsWidth()).toBe(true);
    await arabicPhone.close();
    expect(arabicErrors).toEqual([]);

    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    expect(mobileErrors).toEqual([]);
  });
});
