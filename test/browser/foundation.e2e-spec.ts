import { actAndCheck, appAndBrowser, axeViolations, consoleErrors } from '../helpers/browser';

const suite = appAndBrowser();

describe('the DSFR pages in a real browser', () => {
  it('a family signs in with FranceConnect, sees their identity, signs out: no WCAG 2.1 AA violation, no console error', async () => {
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = consoleErrors(page);
    const violations: string[] = [];

    await actAndCheck(page, violations, () => page.goto(`${suite.app.url}/`));
    expect(await page.title()).toBe('Accueil - P2V - Ministère de la Justice');
    // DSFR is styled: the header uses the Marianne font and the FranceConnect button its brand colour.
    expect(
      await page
        .locator('.fr-connect')
        .first()
        .evaluate((el) => getComputedStyle(el).backgroundColor),
    ).toBe('rgb(0, 0, 145)');

    await actAndCheck(page, violations, () => page.click('a.fr-connect[href="/connexion"]'));
    expect(page.url()).toContain('/demo-idp/interaction/');
    await actAndCheck(page, violations, () => page.getByRole('button', { name: 'Se connecter en tant que Camille Martin' }).click());
    expect(new URL(page.url()).pathname).toBe('/mon-espace');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Mon espace');
    expect(await page.textContent('main')).toContain('14 mars 1985');

    await actAndCheck(page, violations, () => page.goto(`${suite.app.url}/mon-espace/telephone`));
    await page.fill('#phone', '0612');
    await actAndCheck(page, violations, () => page.getByRole('button', { name: 'Enregistrer' }).click());
    expect(await page.textContent('#erreurs')).toContain('n’est pas valide');
    await actAndCheck(page, violations, () => page.goto(`${suite.app.url}/visites/reserver`));
    await actAndCheck(page, violations, () => page.goto(`${suite.app.url}/visites`));
    await actAndCheck(page, violations, () => page.goto(`${suite.app.url}/mes-rendez-vous`));
    await actAndCheck(page, violations, () =>
      page
        .getByRole('link', { name: /Annuler le rendez-vous du/ })
        .first()
        .click(),
    );
    expect(await page.textContent('h1')).toMatch(/^Annuler le rendez-vous du/);

    await actAndCheck(page, violations, () => page.getByRole('link', { name: 'Se déconnecter' }).click());
    await page.waitForURL(/\/deconnexion\/fin/);
    violations.push(...(await axeViolations(page)));
    expect(await page.textContent('h1')).toBe('Vous êtes déconnecté');

    await actAndCheck(page, violations, () => page.goto(`${suite.app.url}/page-inexistante`));
    expect(await page.textContent('h1')).toBe('Page non trouvée');

    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('an administrator on a tablet manages roles and imports: no WCAG 2.1 AA violation, no console error', async () => {
    const context = await suite.browser.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true });
    const page = await context.newPage();
    const errors = consoleErrors(page);
    const violations: string[] = [];

    await page.goto(`${suite.app.url}/`);
    await page.click('a.fr-connect[href="/agents/connexion"]');
    await actAndCheck(page, violations, () => page.getByRole('button', { name: 'Se connecter en tant que Nadia Lefèvre' }).click());
    expect(new URL(page.url()).pathname).toBe('/agents');

    await actAndCheck(page, violations, () => page.goto(`${suite.app.url}/etablissements/CPNORD/agents`));
    await actAndCheck(page, violations, () => page.getByRole('button', { name: 'Attribuer le rôle' }).click());
    expect(await page.textContent('#erreurs')).toContain('Saisissez une adresse e-mail valide');
    await page.fill('#email', 'claire.martin@justice.gouv.fr');
    await page.fill('#firstName', 'Claire');
    await page.fill('#lastName', 'Martin');
    await page.selectOption('#role', 'PARLOIR_AGENT');
    await actAndCheck(page, violations, () => page.getByRole('button', { name: 'Attribuer le rôle' }).click());
    expect(await page.textContent('main')).toContain('claire.martin@justice.gouv.fr');

    await actAndCheck(page, violations, () => page.getByRole('link', { name: /Retirer le rôle Agent parloir de Claire Martin/ }).click());
    await actAndCheck(page, violations, () => page.getByRole('button', { name: 'Oui, retirer le rôle' }).click());
    expect(await page.textContent('main')).not.toContain('claire.martin@justice.gouv.fr');

    await actAndCheck(page, violations, () => page.goto(`${suite.app.url}/etablissements/CPNORD/messages`));
    await actAndCheck(page, violations, () => page.goto(`${suite.app.url}/etablissements/CPNORD/parloirs`));
    await actAndCheck(page, violations, () => page.getByRole('button', { name: 'Ajouter le parloir' }).click());
    expect(await page.textContent('#erreurs')).toContain('Nommez le parloir');
    await actAndCheck(page, violations, () => page.goto(`${suite.app.url}/etablissements/CPNORD/detenus`));
    await actAndCheck(page, violations, () => page.goto(`${suite.app.url}/etablissements/CPNORD/detenus/import`));
    await page.setInputFiles('#fichier', {
      name: 'genesis.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('numero_ecrou;nom;prenom;date_naissance;categorie_penale\n1;;B;01/01/1990;PREVENU\n'),
    });
    await actAndCheck(page, violations, () => page.getByRole('button', { name: 'Importer' }).click());
    expect(await page.textContent('#erreurs')).toContain('nom manquant');

    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
