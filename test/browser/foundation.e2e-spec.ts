import type { Browser, Page } from 'playwright-core';
import { genesisCsv, insertTransferProposal } from '../factories/detainees';
import { demoEstablishment, insertAgent, insertDetainee, insertEstablishment, type AgentRow } from '../factories/people';
import { at, dayIn, insertVisit } from '../factories/visits';
import { actAndCheck, appAndBrowser, consoleErrors } from '../helpers/browser';
import { queryOne } from '../helpers/db';
import { AgentsRolesPage, DashboardPage } from './pages/agents-roles-page';
import { DetaineesImportPage, DetaineesListPage } from './pages/detainees-list-page';
import { MonEspacePage } from './pages/families-space-page';
import { HomePage, navigating, SignedOutPage, SignOutPage } from './pages/home-page';

// A browser journey loads a dozen pages and runs axe on each (about 10 s alone, more on a busy
// machine): longer than the 20 s a plain test gets, so that a hang still fails in a minute.
jest.setTimeout(90_000);

const suite = appAndBrowser();

/** A tablet, as the staff use (1024×768, touch). */
async function tablet(browser: Browser) {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true });
  const page = await context.newPage();
  return { context, page, errors: consoleErrors(page), violations: [] as string[] };
}

/** Signs the agent in from the home page with ProConnect (the demo provider), as a person typed there. */
async function agentSignsIn(page: Page, violations: string[], agent: AgentRow) {
  const home = await HomePage.open(page, violations, suite.app.url);
  const provider = await home.signInWithProConnect();
  await provider.signInAsPerson({ givenName: agent.givenName, usualName: agent.usualName, email: agent.email });
  return DashboardPage.on(page, violations);
}

describe('the DSFR pages in a real browser', () => {
  it('a family signs in with FranceConnect, sees their identity, signs out: no WCAG 2.1 AA violation, no console error', async () => {
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = consoleErrors(page);
    const violations: string[] = [];

    const home = await HomePage.open(page, violations, suite.app.url);
    expect(await page.title()).toBe('Accueil - P2V - Ministère de la Justice');
    // DSFR is styled: the header uses the Marianne font and the FranceConnect button its brand colour.
    expect(await home.franceConnectBackground()).toBe('rgb(0, 0, 145)');

    const provider = await home.signInWithFranceConnect();
    expect(page.url()).toContain('/demo-idp/interaction/');
    await provider.signInAs('Camille Martin');
    const space = await MonEspacePage.on(page, violations);
    expect(new URL(page.url()).pathname).toBe('/mon-espace');
    expect(await space.identity('birthdate')).toBe('14 mars 1985');

    const phone = await space.changePhone();
    await phone.save('0612');
    await phone.verifyOnPage();
    expect(await phone.errorSummary()).toContain('n’est pas valide');

    // The family's other pages (visits, appointments) pass axe too.
    await actAndCheck(page, violations, () => page.goto(`${suite.app.url}/visites/reserver`));
    await actAndCheck(page, violations, () => page.goto(`${suite.app.url}/visites`));
    await actAndCheck(page, violations, () => page.goto(`${suite.app.url}/mes-rendez-vous`));
    await actAndCheck(page, violations, () =>
      navigating(page, () =>
        page
          .getByRole('link', { name: /^Annuler (le rendez-vous du|la visite) / })
          .first()
          .click(),
      ),
    );
    expect(await page.textContent('h1')).toMatch(/^Annuler le rendez-vous du/);

    await page.getByRole('link', { name: 'Se déconnecter' }).click();
    await SignOutPage.on(page, violations);
    await page.getByRole('button', { name: 'Confirmer la déconnexion' }).click();
    await page.waitForURL(/\/deconnexion\/fin/);
    await SignedOutPage.on(page, violations);

    await actAndCheck(page, violations, () => page.goto(`${suite.app.url}/page-inexistante`));
    expect(await page.textContent('h1')).toBe('Page non trouvée');

    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('an administrator on a tablet manages roles and imports: no WCAG 2.1 AA violation, no console error', async () => {
    const { context, page, errors, violations } = await tablet(suite.browser);
    const nord = await demoEstablishment('CPNORD');
    const admin = await insertAgent([{ establishmentId: nord.id, role: 'ADMIN' }], { givenName: 'Łucja', usualName: 'Nguyễn-Şahin' });

    const dashboard = await agentSignsIn(page, violations, admin);
    expect(new URL(page.url()).pathname).toBe('/agents');
    expect(await dashboard.greeting()).toBe('Bonjour Łucja Nguyễn-Şahin.');

    let roles = await AgentsRolesPage.open(page, violations, suite.app.url, 'CPNORD');
    roles = await roles.grant({});
    expect(await roles.errorSummary()).toContain('Saisissez une adresse e-mail valide');
    const email = `${admin.email.replace('@', '.stefan@')}`;
    roles = await roles.grant({ email, firstName: 'Ştefan', lastName: 'Łukasiewicz', role: 'PARLOIR_AGENT' });
    expect(await roles.emails()).toContain(email);

    const revoke = await roles.revoke('Agent parloir', 'Ştefan Łukasiewicz');
    roles = await revoke.confirm();
    expect(await roles.emails()).not.toContain(email);

    // The administrator's other pages (messages, visiting rooms) pass axe too.
    await actAndCheck(page, violations, () => page.goto(`${suite.app.url}/etablissements/CPNORD/messages`));
    await actAndCheck(page, violations, () => page.goto(`${suite.app.url}/etablissements/CPNORD/parloirs`));
    await actAndCheck(page, violations, () => navigating(page, () => page.getByRole('button', { name: 'Ajouter le parloir' }).click()));
    expect(await page.textContent('#erreurs')).toContain('Nommez le parloir');

    // A closure of a day with a booked visit: the visit is read back first, then cancelled; both pages pass axe.
    const room = await queryOne<{ id: string }>(`SELECT id FROM visiting_rooms WHERE establishment_id = $1 AND active LIMIT 1`, [nord.id]);
    const day = dayIn(12);
    const visitor = await insertDetainee(nord.id, { lastName: 'Đặng', firstName: 'Hương' });
    const booked = await insertVisit({ establishmentId: nord.id, roomId: room.id, detaineeId: visitor.id, startsAt: at(day, '15:00') });
    const closureForm = page.locator('form[action$="/parloirs/fermetures"]');
    await closureForm.locator('#day').fill(`${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`);
    await closureForm.locator('#reason').fill('Exercice de sécurité');
    await actAndCheck(page, violations, () => navigating(page, () => closureForm.getByRole('button', { name: 'Fermer' }).click()));
    expect(await page.textContent('h1')).toBe('Vérifiez les visites qui seront annulées');
    expect(await page.getByTestId('impact-visit').count()).toBe(1);
    await actAndCheck(page, violations, () => navigating(page, () => page.getByTestId('confirm-change').click()));
    expect(await page.getByTestId('done').textContent()).toContain('1 visite annulée');
    expect(await queryOne(`SELECT status FROM visits WHERE id = $1`, [booked.id])).toEqual({ status: 'CANCELLED' });

    // A transfer signalled by another establishment's import: confirmed after the confirmation page.
    const person = await insertDetainee(nord.id, { lastName: 'Nguyễn-Lê', firstName: 'Élodie' });
    const there = await insertEstablishment();
    await insertTransferProposal({ detaineeId: person.id, toEstablishmentId: there.id });
    const list = await DetaineesListPage.open(page, violations, suite.app.url, 'CPNORD');
    expect(await list.transferPeople()).toEqual(['Élodie Nguyễn-Lê']);
    const confirm = await list.confirmTransferOf('Élodie Nguyễn-Lê');
    const after = await confirm.confirm();
    expect(await after.doneMessage()).toContain('Le transfert est enregistré');
    expect(await after.custodyOf(person.ecrouNumber)).toBe(`Transféré (${there.name})`);

    const importPage = await DetaineesImportPage.open(page, violations, suite.app.url, 'CPNORD');
    const refused = await importPage.import('genesis.csv', genesisCsv(['1;;B;01/01/1990;PREVENU']));
    expect(await refused.errors()).toContain('nom manquant');
    // A truncated export (one person of the population): the preview asks to confirm the mass release; nothing is applied.
    const previewed = await refused.import('genesis.csv', genesisCsv(['99999;Wiśniewski;Łukasz;01/01/1990;PREVENU']));
    const preview = await previewed.preview();
    expect(preview.releases).toMatch(/^\d+ sur \d+ présentes \(\d+ %\)$/);
    expect(preview.warning).toContain('Beaucoup de sorties');

    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
