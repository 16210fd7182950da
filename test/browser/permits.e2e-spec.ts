import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { query } from '../helpers/db';
import { startTestApp, TestApp } from '../helpers/app';
import { actAndCheck, axeViolations, consoleErrors, launchChromium } from '../helpers/browser';
import { onePagePdf, photoPng } from '../helpers/files';

let app: TestApp;
let browser: Browser;
let docsDir: string;
beforeAll(async () => {
  docsDir = mkdtempSync(join(tmpdir(), 'p2v-docs-'));
  app = await startTestApp({ DOCUMENTS_DIR: docsDir });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  rmSync(docsDir, { recursive: true, force: true });
});

describe('visit permit journey in a real browser', () => {
  it('a family files a request step by step, the head of establishment refuses it with a motivation: every page passes axe (WCAG 2.1 AA)', async () => {
    const [d] = await query(
      `SELECT d.ecrou_number, d.last_name FROM detainees d JOIN establishments e ON e.id = d.establishment_id WHERE e.code = 'CPNORD' AND d.legal_status = 'CONDAMNE' ORDER BY d.ecrou_number LIMIT 1`,
    );
    const family = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await family.newPage();
    const errors = consoleErrors(page);
    const violations: string[] = [];

    await page.goto(`${app.url}/connexion`);
    await page.getByRole('button', { name: 'Se connecter en tant que Camille Martin' }).click();
    await actAndCheck(page, violations, () => page.goto(`${app.url}/demandes`));
    await actAndCheck(page, violations, () => page.getByRole('button', { name: 'Demander un permis de visite' }).click());
    await page.selectOption('#establishment', 'CPNORD');
    await page.fill('#ecrou', d.ecrou_number);
    await page.fill('#lastName', 'inconnu');
    await actAndCheck(page, violations, () => page.getByRole('button', { name: 'Continuer' }).click());
    expect(await page.textContent('#erreurs')).toContain('Nous ne pouvons pas vérifier ces informations');
    await page.fill('#lastName', d.last_name);
    await actAndCheck(page, violations, () => page.getByRole('button', { name: 'Continuer' }).click());
    await page.click('label[for="understood"]');
    await actAndCheck(page, violations, () => page.getByRole('button', { name: 'Continuer' }).click());
    await page.click('label[for="forWhom-autre"]');
    await page.fill('#givenName', 'Lina');
    await page.fill('#familyName', 'Martin');
    await page.fill('#birthdate', '14/03/2016');
    await actAndCheck(page, violations, () => page.getByRole('button', { name: 'Continuer' }).click());
    await page.click('label[for="rel-DESCENDANT"]');
    await actAndCheck(page, violations, () => page.getByRole('button', { name: 'Continuer' }).click());
    await page.setInputFiles('#fichier', { name: 'lina.png', mimeType: 'image/png', buffer: await photoPng() });
    await actAndCheck(page, violations, () => page.getByRole('button', { name: 'Envoyer la photo et continuer' }).click());
    await page.selectOption('#idType', 'PASSEPORT');
    await page.setInputFiles('#fichier', { name: 'passeport.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('Passeport') });
    await actAndCheck(page, violations, () => page.getByRole('button', { name: 'Envoyer et continuer' }).click());
    await page.setInputFiles('#fichier', { name: 'facture.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('Facture') });
    await actAndCheck(page, violations, () => page.getByRole('button', { name: 'Envoyer et continuer' }).click());
    await actAndCheck(page, violations, () => page.getByRole('button', { name: 'Continuer' }).click());
    expect(await page.textContent('main')).toContain('Lina Martin');
    await actAndCheck(page, violations, () => page.getByRole('button', { name: 'Envoyer la demande' }).click());
    const confirmation = await page.textContent('main');
    const reference = /Notez sa référence : (PV-[A-Z0-9]{8})/.exec(confirmation ?? '')![1];

    const staff = await browser.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true });
    const chef = await staff.newPage();
    const chefErrors = consoleErrors(chef);
    await chef.goto(`${app.url}/agents/connexion`);
    await chef.getByRole('button', { name: 'Se connecter en tant que Isabelle Fontaine' }).click();
    await actAndCheck(chef, violations, () => chef.goto(`${app.url}/etablissements/CPNORD/permis/demandes`));
    await actAndCheck(chef, violations, () => chef.getByRole('link', { name: reference }).click());
    await chef.click('label[for="decision-refuse"]');
    await actAndCheck(chef, violations, () => chef.getByRole('button', { name: 'Enregistrer la décision' }).click());
    expect(await chef.textContent('#erreurs')).toContain('Un refus doit être motivé');
    await chef.click('label[for="decision-refuse"]');
    await chef.fill('#motivation', 'Le lien de filiation déclaré n’est établi par aucune pièce du dossier.');
    await actAndCheck(chef, violations, () => chef.getByRole('button', { name: 'Enregistrer la décision' }).click());
    expect(await chef.textContent('main')).toContain('Refusée');

    await actAndCheck(page, violations, () => page.reload());
    expect(await page.textContent('main')).toContain('Motif du refus');

    expect(violations).toEqual([]);
    expect([...errors, ...chefErrors]).toEqual([]);
    await family.close();
    await staff.close();
  });
});
