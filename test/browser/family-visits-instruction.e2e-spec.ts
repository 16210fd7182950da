import { insertDetaineeRequest, insertFamilyVisitCase, insertVisitorRequest } from '../factories/family-visits-instruction';
import { insertAgent, insertDetainee, insertEstablishment, unique } from '../factories/people';
import { appAndBrowser, consoleErrors } from '../helpers/browser';
import { FamilyVisitCasePage, FamilyVisitQueuePage } from './pages/family-visit-instruction-pages';
import { DemoIdentityPage } from './pages/permit-request-pages';

jest.setTimeout(60_000);

const suite = appAndBrowser();

describe('UVF instruction in a real browser', () => {
  it('the SPIP counsellor records an interview with the detainee, fixing the missing assessment: every page passes axe (WCAG 2.1 AA)', async () => {
    const establishment = await insertEstablishment({ name: 'Centre pénitentiaire de Łódź' });
    const detainee = await insertDetainee(establishment.id, { firstName: 'محمد', lastName: 'Łukasz', legalStatus: 'CONDAMNE' });
    const c = await insertFamilyVisitCase({ establishmentId: establishment.id, detaineeId: detainee.id });
    await insertDetaineeRequest(c.id);
    await insertVisitorRequest(
      { caseId: c.id, establishmentId: establishment.id, detaineeId: detainee.id },
      { visitorGivenName: 'Łucja', visitorFamilyName: 'Nguyễn-Şahin' },
    );
    const counsellor = { givenName: 'Małgorzata', usualName: 'Wójcik', email: `${unique('spip-').toLowerCase()}@justice.gouv.fr` };
    await insertAgent([{ establishmentId: establishment.id, role: 'SPIP_COUNSELLOR' }], counsellor);
    const violations: string[] = [];

    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = consoleErrors(page);
    await page.goto(`${suite.app.url}/agents/connexion`, { waitUntil: 'load' });
    await (await DemoIdentityPage.on(page, violations)).signInAs(counsellor);
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      page.getByRole('link', { name: 'Dossiers UVF et parloirs familiaux' }).first().click(),
    ]);
    await (await FamilyVisitQueuePage.on(page, violations)).open(c.reference);
    const file = await FamilyVisitCasePage.on(page, violations);
    expect(await file.missing()).toContain('Entretien à réaliser avec la personne détenue.');
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10).split('-').reverse().join('/');
    const interview = {
      day: yesterday,
      time: '09:15',
      notes: 'Échange sur le projet de visite avec Łucja.',
      link: '',
      preparation: 'Bonne.',
    };
    await file.recordDone(`La personne détenue (محمد Łukasz)`, interview);
    const invalid = await FamilyVisitCasePage.on(page, violations);
    expect(await invalid.errors()).toEqual(['Évaluez le lien entre la personne détenue et le visiteur.']);
    await invalid.recordDone(`La personne détenue (محمد Łukasz)`, { ...interview, link: 'Lien conjugal solide.' });
    const recorded = await FamilyVisitCasePage.on(page, violations);
    expect(await recorded.interviews()).toEqual([expect.stringContaining('Réalisé')]);
    expect(await recorded.missing()).toContain('Entretien à réaliser avec Łucja Nguyễn-Şahin.');

    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
