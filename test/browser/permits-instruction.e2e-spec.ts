import type { Browser } from 'playwright-core';
import { insertAgent, insertDetainee, insertEstablishment, insertFamily, unique } from '../factories/people';
import { insertPermitRequest, insertRequestDocuments } from '../factories/permits';
import { axeViolations, consoleErrors, launchChromium, signInBrowser } from '../helpers/browser';
import { permitsApp } from '../helpers/permits';
import { PermitInstructionPage } from './pages/permit-instruction-pages';

jest.setTimeout(90_000);

// The app reads the documents the factory writes, with its documents folder and key.
const app = permitsApp();
const suite = {
  browser: undefined as unknown as Browser,
  get app() {
    return app.app;
  },
};
beforeAll(async () => {
  suite.browser = await launchChromium();
});
afterAll(async () => {
  await suite.browser?.close();
});

describe('instruction of a permit request in a real browser', () => {
  it('the greffe reviews each document without leaving the page, then marks the request ready: every state passes axe', async () => {
    const establishment = await insertEstablishment({ name: 'Maison d’arrêt de Łódź' });
    const detainee = await insertDetainee(establishment.id, { firstName: 'Şükrü', lastName: 'Țurcanu', legalStatus: 'CONDAMNE' });
    const family = await insertFamily({ givenName: 'ليلى', familyName: 'Nguyễn' });
    const request = await insertPermitRequest({
      familyAccountId: family.id,
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      visitorGivenName: 'ليلى',
      visitorFamilyName: 'Nguyễn',
    });
    const documents = await insertRequestDocuments(app.docs, request.id);
    const greffeIdentity = { givenName: 'Ștefan', usualName: 'Popescu', email: `${unique('greffe-').toLowerCase()}@justice.gouv.fr` };
    await insertAgent([{ establishmentId: establishment.id, role: 'PERMITS_OFFICER' }], greffeIdentity);
    const violations: string[] = [];

    const desktop = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await desktop.newPage();
    const errors = consoleErrors(page);
    await signInBrowser(page, suite.app.url, greffeIdentity);
    const url = `${suite.app.url}/etablissements/${establishment.code}/permis/demandes/${request.id}`;
    await page.goto(url, { waitUntil: 'load' });
    const instruction = await PermitInstructionPage.on(page, violations);
    expect(await instruction.readyButtons()).toBe(0);
    expect(await instruction.readyBlocked()).toMatch(/^3 documents sont encore à examiner : /);

    // A marker only this page (this document) holds: still there after the reviews, so no page was loaded.
    await page.evaluate(() => Object.assign(window, { p2vMarker: 'même page' }));
    let navigations = 0;
    page.on('framenavigated', (frame) => void (frame === page.mainFrame() && navigations++));

    await instruction.reviewDocument('Photo d’identité', 'Accepter');
    expect(await instruction.review('Photo d’identité')).toBe('accepté');
    expect(await instruction.announcement()).toBe('Photo d’identité — Examen : accepté.');
    expect(await instruction.focused()).toMatchObject({ text: 'Accepter : Photo d’identité' });

    // Refused without a reason: the error under the field, announced, the focus in the field.
    await instruction.reviewDocument('Pièce d’identité', 'À remplacer');
    expect(await instruction.announcement()).toBe('Pièce d’identité : Indiquez pourquoi le document doit être remplacé.');
    expect(await instruction.focused()).toMatchObject({ id: `reason-${documents.ID_DOCUMENT.id}` });
    expect(await instruction.review('Pièce d’identité')).toBe('à examiner');
    violations.push(...(await axeViolations(page)));
    await instruction.reviewDocument('Pièce d’identité', 'À remplacer', 'Carte d’identité expirée');
    expect(await instruction.review('Pièce d’identité')).toBe('à remplacer');
    expect(await instruction.readyButtons()).toBe(0);

    await instruction.reviewDocument('Justificatif de domicile', 'Accepter');
    expect(await instruction.announcement()).toBe(
      'Justificatif de domicile — Examen : accepté. Tous les documents sont examinés : la demande peut être marquée prête pour décision.',
    );
    expect(await instruction.readyButtons()).toBe(1);
    expect(await instruction.readyBlocked()).toBeNull();
    expect(await instruction.focused()).toMatchObject({ text: 'Accepter : Justificatif de domicile' });

    expect(page.url()).toBe(url);
    expect(navigations).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { p2vMarker?: string }).p2vMarker)).toBe('même page');
    violations.push(...(await axeViolations(page)));

    // (axe above ran on the page as changed in place, with no page load.)
    // Reloaded, the page shows what was saved.
    await page.reload({ waitUntil: 'load' });
    const reloaded = await PermitInstructionPage.on(page, violations);
    expect(await reloaded.review('Pièce d’identité')).toBe('à remplacer');
    expect(await reloaded.readyButtons()).toBe(1);
    await reloaded.markReady();
    const ready = await PermitInstructionPage.on(page, violations);
    expect(await ready.status()).toBe('Prête pour décision');

    // A failed submit (an empty note): the page comes back with the error summary, which has the focus.
    await ready.addNote('');
    const failed = await PermitInstructionPage.on(page, violations);
    expect(await failed.errors()).toEqual(['Écrivez la note.']);
    expect(await failed.focused()).toMatchObject({ testId: 'error-summary' });

    expect(violations).toEqual([]);
    // The one failed review was answered 400 on purpose (the reason missing), to the script's fetch: not an error of the page.
    const examen = `${url}/documents/${documents.ID_DOCUMENT.id}/examen`;
    expect(errors.filter((e) => !(e.includes('status of 400') && e.endsWith(`(${examen})`)))).toEqual([]);
    await desktop.close();
  });
});
