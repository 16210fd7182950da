import { insertAgent, insertDetainee, insertEstablishment, insertFamily, unique } from '../factories/people';
import { insertPermit, insertPermitRequest } from '../factories/permits';
import { appAndBrowser, consoleErrors, signInBrowser } from '../helpers/browser';
import { onePagePdf } from '../helpers/files';
import { OversightEstablishmentPage, OversightPage } from './pages/oversight-pages';
import { FamilyRequestPage, PermitDashboardPage, PermitRegisterPage, WithdrawPage } from './pages/permit-register-pages';
import { query } from '../helpers/db';

jest.setTimeout(90_000);

const suite = appAndBrowser();

describe('permits register, dashboard and withdrawal in a real browser', () => {
  it('the head reads the register and the dashboard; a family adds a document and withdraws its request: every page passes axe', async () => {
    const establishment = await insertEstablishment({ name: 'Centre de détention de Kraków' });
    const detainee = await insertDetainee(establishment.id, { firstName: 'Ştefan', lastName: 'Öztürk' });
    await insertPermit({ establishmentId: establishment.id, detaineeId: detainee.id, visitorGivenName: 'Ewa', visitorFamilyName: 'Żak' });
    const chefIdentity = { givenName: 'Zofia', usualName: 'Łukasiewicz', email: `${unique('chef-').toLowerCase()}@justice.gouv.fr` };
    await insertAgent([{ establishmentId: establishment.id, role: 'HEAD_OF_ESTABLISHMENT' }], chefIdentity);
    const familyIdentity = {
      givenName: 'Łucja',
      familyName: 'Nguyễn-Şahin',
      birthdate: '1985-03-14',
      email: `${unique('famille-').toLowerCase()}@example.fr`,
    };
    const family = await insertFamily(familyIdentity);
    const request = await insertPermitRequest({ familyAccountId: family.id, establishmentId: establishment.id, detaineeId: detainee.id });
    const violations: string[] = [];

    const staff = await suite.browser.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true });
    const chef = await staff.newPage();
    const chefErrors = consoleErrors(chef);
    await signInBrowser(chef, suite.app.url, chefIdentity);
    await chef.goto(`${suite.app.url}/etablissements/${establishment.code}/permis`, { waitUntil: 'load' });
    expect(await (await PermitRegisterPage.on(chef, violations)).rows()).toEqual(['Ewa Żak']);
    await chef.goto(`${suite.app.url}/etablissements/${establishment.code}/permis/tableau-de-bord`, { waitUntil: 'load' });
    expect(await (await PermitDashboardPage.on(chef, violations)).stat('stat-received')).toBe('1');

    // A French family's phone: the family side speaks the browser's language (issue #16).
    const phone = await suite.browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'fr-FR',
    });
    const page = await phone.newPage();
    const errors = consoleErrors(page);
    await signInBrowser(page, suite.app.url, familyIdentity);
    await page.goto(`${suite.app.url}/demandes/${request.id}`, { waitUntil: 'load' });
    await (
      await FamilyRequestPage.on(page, violations)
    ).addDocument('PACS_PROOF', { name: 'pacs.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('PACS') });
    const detail = await FamilyRequestPage.on(page, violations);
    expect(await detail.documents()).toContain('Attestation de PACS : pacs.pdf');
    await detail.withdraw();
    await (await WithdrawPage.on(page, violations)).confirm();
    expect(await (await FamilyRequestPage.on(page, violations)).status()).toBe('Retirée par la famille');

    expect(violations).toEqual([]);
    expect([...errors, ...chefErrors]).toEqual([]);
    await phone.close();
    await staff.close();
  });

  it('an agent of the DAP reads, recomputes and filters the national view on a tablet, then opens an establishment: every page passes axe', async () => {
    const establishment = await insertEstablishment({ name: `Centre pénitentiaire de Łódź ${unique()}` });
    await query(`UPDATE establishments SET direction = 'STRASBOURG' WHERE id = $1`, [establishment.id]);
    const analyst = { givenName: 'Aurélie', usualName: 'Nguyễn-محمد', email: `${unique('dap-').toLowerCase()}@justice.gouv.fr` };
    const who = await insertAgent([], analyst);
    await query(`INSERT INTO oversight_assignments (agent_id, scope) VALUES ($1, 'NATIONAL')`, [who.id]);
    const violations: string[] = [];
    const tablet = await suite.browser.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true });
    const page = await tablet.newPage();
    const errors = consoleErrors(page);
    await signInBrowser(page, suite.app.url, analyst);
    await page.goto(`${suite.app.url}/pilotage`, { waitUntil: 'load' });
    await (await OversightPage.on(page, violations)).recompute();
    await (await OversightPage.on(page, violations)).show({ direction: 'STRASBOURG' });
    const view = await OversightPage.on(page, violations);
    expect(await view.establishments()).toEqual([establishment.name]);
    await view.open(establishment.name);
    expect((await (await OversightEstablishmentPage.on(page, violations)).months()).length).toBe(12);
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await tablet.close();
  });
});
