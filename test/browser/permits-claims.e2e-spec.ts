import { insertClaimablePermit, printed } from '../factories/claims';
import { insertAgent, insertDetainee, insertEstablishment, unique } from '../factories/people';
import { insertPermit } from '../factories/permits';
import { appAndBrowser, consoleErrors, signInBrowser } from '../helpers/browser';
import { ClaimPage, LinkAccountPage, LinkConfirmPage, MyPermitsPage, StaffPermitPage } from './pages/permit-claim-pages';

jest.setTimeout(90_000);

const suite = appAndBrowser();

describe('« Mes permis » and linking a paper permit in a real browser', () => {
  it('a family on a phone claims its paper permit with the code; the greffe links a child’s permit to the parent’s account: every page passes axe', async () => {
    const establishment = await insertEstablishment({ name: 'Centre pénitentiaire de Ștefănești' });
    const detainee = await insertDetainee(establishment.id, { firstName: 'محمد', lastName: 'Țurcanu', legalStatus: 'CONDAMNE' });
    const visitor = { givenName: 'Łucja', familyName: 'Nguyễn-Şahin', birthdate: '1985-03-14' };
    const paper = await insertClaimablePermit({
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      visitorGivenName: visitor.givenName,
      visitorFamilyName: visitor.familyName,
      visitorBirthdate: visitor.birthdate,
    });
    const child = await insertPermit({
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      familyAccountId: null,
      visitorGivenName: 'Ştefania',
      visitorFamilyName: 'Nguyễn-Şahin',
      visitorBirthdate: '2016-03-14',
      relationship: 'CHILD',
    });
    const greffe = { givenName: 'Zofia', usualName: 'Łukasiewicz', email: `${unique('greffe-').toLowerCase()}@justice.gouv.fr` };
    await insertAgent([{ establishmentId: establishment.id, role: 'PERMITS_OFFICER' }], greffe);
    const email = `${unique('famille-').toLowerCase()}@example.fr`;
    const violations: string[] = [];

    // A French family's phone: the family side speaks the browser's language (issue #16).
    const phone = await suite.browser.newContext({ viewport: { width: 375, height: 740 }, locale: 'fr-FR' });
    const page = await phone.newPage();
    const errors = consoleErrors(page);
    await signInBrowser(page, suite.app.url, { ...visitor, email });
    await page.goto(`${suite.app.url}/permis`, { waitUntil: 'load' });
    await (await MyPermitsPage.on(page, violations)).linkPaperPermit();
    const claim = await ClaimPage.on(page, violations);
    await claim.typeCode('ABCD-EFGH-JKLM');
    expect((await (await ClaimPage.on(page, violations)).errors())[0]).toContain('Nous ne pouvons pas lier ce permis');
    await claim.typeCode(printed(paper.code).toLowerCase());
    const mine = await MyPermitsPage.on(page, violations);
    expect(await mine.visitors()).toEqual(['Łucja Nguyễn-Şahin']);
    expect(await mine.states()).toEqual(['Valide']);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

    const staff = await (await suite.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signInBrowser(staff, suite.app.url, greffe);
    await staff.goto(`${suite.app.url}/etablissements/${establishment.code}/permis/${child.id}`, { waitUntil: 'load' });
    await (await StaffPermitPage.on(staff, violations)).linkToAccount();
    await (await LinkAccountPage.on(staff, violations)).findAccount(email);
    const confirm = await LinkConfirmPage.on(staff, violations);
    expect(await confirm.accountGivenName()).toBe('Łucja');
    await confirm.confirm();
    expect(await (await StaffPermitPage.on(staff, violations)).holder()).toContain('Łucja Nguyễn-Şahin');

    await page.goto(`${suite.app.url}/permis`, { waitUntil: 'load' });
    expect(await (await MyPermitsPage.on(page, violations)).visitors()).toEqual(['Łucja Nguyễn-Şahin', 'Ştefania Nguyễn-Şahin']);
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  });
});
