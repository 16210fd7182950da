import {
  insertDetaineeRequest,
  insertFamilyVisitCase,
  insertInterview,
  insertVisitorRequest,
} from '../factories/family-visits-instruction';
import { insertAgent, insertDetainee, insertEstablishment, unique } from '../factories/people';
import { appAndBrowser, consoleErrors, signInBrowser } from '../helpers/browser';
import { query } from '../helpers/db';
import { FamilyVisitCasePage, FamilyVisitDecisionPage, FamilyVisitQueuePage } from './pages/family-visit-instruction-pages';

jest.setTimeout(90_000);

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
    await signInBrowser(page, suite.app.url, counsellor);
    // The menu's « UVF et PF » section opens its links.
    await page.getByRole('button', { name: 'UVF et PF' }).click();
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

  it('the head refuses on the disciplinary record alone and is stopped, then grants 24 hours after reading the letter back: every page passes axe (WCAG 2.1 AA)', async () => {
    const establishment = await insertEstablishment({ name: 'Centre pénitentiaire de Şanlıurfa-sur-Marne' });
    const detainee = await insertDetainee(establishment.id, { firstName: 'Thị Hồng', lastName: 'Phạm', legalStatus: 'CONDAMNE' });
    const c = await insertFamilyVisitCase({ establishmentId: establishment.id, detaineeId: detainee.id, status: 'CPU' });
    await query(`UPDATE family_visit_cases SET cpu_on = '2026-11-10', cpu_opinion = 'FAVOURABLE' WHERE id = $1`, [c.id]);
    const detaineeRequest = await insertDetaineeRequest(c.id);
    const visitorRequest = await insertVisitorRequest(
      { caseId: c.id, establishmentId: establishment.id, detaineeId: detainee.id },
      { visitorGivenName: 'عائشة', visitorFamilyName: 'Łukasiewicz' },
    );
    const head = { givenName: 'Zofia', usualName: 'Kowalska', email: `${unique('chef-').toLowerCase()}@justice.gouv.fr` };
    await insertAgent([{ establishmentId: establishment.id, role: 'HEAD_OF_ESTABLISHMENT' }], head);
    const spip = await insertAgent([{ establishmentId: establishment.id, role: 'SPIP_COUNSELLOR' }], {
      givenName: 'Ewa',
      usualName: 'Nowak',
    });
    for (const r of [detaineeRequest, visitorRequest])
      await insertInterview({ requestId: r.id, counsellorId: spip.id, at: new Date(Date.now() - 86_400_000), status: 'DONE' });
    const violations: string[] = [];

    // A tablet: the head may decide from the establishment's tablets.
    const context = await suite.browser.newContext({ viewport: { width: 1024, height: 768 } });
    const page = await context.newPage();
    const errors = consoleErrors(page);
    await signInBrowser(page, suite.app.url, head);
    // The menu's « UVF et PF » section opens its links.
    await page.getByRole('button', { name: 'UVF et PF' }).click();
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      page.getByRole('link', { name: 'Dossiers UVF et parloirs familiaux' }).first().click(),
    ]);
    await (await FamilyVisitQueuePage.on(page, violations)).open(c.reference);
    const file = await FamilyVisitCasePage.on(page, violations);
    expect(await file.decisions()).toEqual([expect.stringMatching(/^Reçue, à instruire — à décider au plus tard le /), expect.any(String)]);
    await file.decide('de la personne détenue');

    const form = await FamilyVisitDecisionPage.on(page, violations);
    await form.refuse(
      'Le maintien du bon ordre dans l’établissement',
      'Deux comptes rendus d’incident et une sanction de la commission de discipline en 2026.',
      'Son comportement disciplinaire ne permet pas de l’autoriser.',
    );
    const refused = await FamilyVisitDecisionPage.on(page, violations);
    expect(await refused.errors()).toEqual([
      'Le passé disciplinaire ne suffit pas à motiver un refus : indiquez en quoi la visite menace la sécurité, le bon ordre, la prévention des infractions, ou l’intérêt de l’enfant.',
    ]);
    await refused.grant('24 heures');
    const readBack = await FamilyVisitDecisionPage.on(page, violations);
    expect(await readBack.preview()).toContain('J’autorise cette visite, pour une durée de 24 heures.');
    expect(await readBack.preview()).toContain('Zofia KOWALSKA, chef d’établissement');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await readBack.sign();
    const decided = await FamilyVisitCasePage.on(page, violations);
    expect((await decided.decisions())[0]).toBe('Accordée');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
