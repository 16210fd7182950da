import { insertAgent, insertDetainee, insertEstablishment, insertFamily, unique } from '../factories/people';
import { insertPermitRequest } from '../factories/permits';
import { query } from '../helpers/db';
import { appAndBrowser, consoleErrors, signInBrowser } from '../helpers/browser';
import { onePagePdf, photoPng } from '../helpers/files';
import { PermitInstructionPage, PermitQueuePage } from './pages/permit-instruction-pages';
import {
  CommentStepPage,
  DetaineeStepPage,
  DocumentsListStepPage,
  IdDocumentStepPage,
  PermitRequestsPage,
  PhotoStepPage,
  ProofOfAddressStepPage,
  RelationshipStepPage,
  RequestPage,
  SummaryStepPage,
  VisitorStepPage,
} from './pages/permit-request-pages';

// Two people, two browser contexts and some twenty pages each checked with axe-core: about 15 s on
// an idle 2-core machine, more when the other test worker is busy; 20 s would fail it for nothing.
jest.setTimeout(90_000);

const suite = appAndBrowser();

describe('visit permit journey in a real browser', () => {
  const journey =
    'a family files a request step by step, the head of establishment refuses it with a motivation: every page passes axe (WCAG 2.1 AA)';
  it(journey, async () => {
    const establishment = await insertEstablishment({ name: 'Centre pénitentiaire de Ștefănești' });
    const detainee = await insertDetainee(establishment.id, { firstName: 'محمد', lastName: 'Țurcanu', legalStatus: 'CONDAMNE' });
    const chefIdentity = { givenName: 'Zofia', usualName: 'Łukasiewicz', email: `${unique('chef-').toLowerCase()}@justice.gouv.fr` };
    await insertAgent([{ establishmentId: establishment.id, role: 'HEAD_OF_ESTABLISHMENT' }], chefIdentity);
    const violations: string[] = [];

    // A French family's browser: the family side speaks the browser's language (issue #16).
    const family = await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
    const page = await family.newPage();
    const errors = consoleErrors(page);
    await signInBrowser(page, suite.app.url, {
      givenName: 'Łucja',
      familyName: 'Nguyễn-Şahin',
      birthdate: '1985-03-14',
      email: `${unique('famille-').toLowerCase()}@example.fr`,
    });
    await page.goto(`${suite.app.url}/demandes`, { waitUntil: 'load' });
    await (await PermitRequestsPage.on(page, violations)).requestPermit();
    const detaineeStep = await DetaineeStepPage.on(page, violations);
    await detaineeStep.findDetainee({ establishmentCode: establishment.code, ecrou: detainee.ecrouNumber, lastName: 'inconnu' });
    expect(await (await DetaineeStepPage.on(page, violations)).errors()).toEqual([
      'Nous ne pouvons pas vérifier ces informations. ' +
        'Vérifiez l’établissement, le numéro d’écrou et le nom de famille de la personne détenue.',
    ]);
    await detaineeStep.findDetainee({ establishmentCode: establishment.code, ecrou: detainee.ecrouNumber, lastName: 'turcanu' });
    await (await DocumentsListStepPage.on(page, violations)).understood();
    await (
      await VisitorStepPage.on(page, violations)
    ).someoneElse({ givenName: 'Ştefania', familyName: 'Nguyễn', birthdate: '14/03/2016' });
    await (await RelationshipStepPage.on(page, violations)).choose('DESCENDANT');
    await (await PhotoStepPage.on(page, violations)).send({ name: 'ştefania.png', mimeType: 'image/png', buffer: await photoPng() });
    await (
      await IdDocumentStepPage.on(page, violations)
    ).send('PASSEPORT', { name: 'passeport.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('Passeport') });
    await (
      await ProofOfAddressStepPage.on(page, violations)
    ).send({ name: 'facture.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('Facture') });
    await (await CommentStepPage.on(page, violations)).continueWithout();
    // Ştefania is a minor: the parental-authority holders' consent is sent before the request.
    await (
      await SummaryStepPage.on(page, violations)
    ).sendParentalConsent({ name: 'autorisation.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('Autorisation parentale') });
    const summary = await SummaryStepPage.on(page, violations);
    expect(await summary.visitor()).toContain('Ştefania Nguyễn');
    await summary.send();
    const request = await RequestPage.on(page, violations);
    const reference = await request.reference();
    expect(await request.status()).toBe('Déposée');

    const staff = await suite.browser.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true });
    const chef = await staff.newPage();
    const chefErrors = consoleErrors(chef);
    await signInBrowser(chef, suite.app.url, chefIdentity);
    await chef.goto(`${suite.app.url}/etablissements/${establishment.code}/permis/demandes`, { waitUntil: 'load' });
    await (await PermitQueuePage.on(chef, violations)).open(reference);
    const instruction = await PermitInstructionPage.on(chef, violations);
    await instruction.refuse('');
    const refused = await PermitInstructionPage.on(chef, violations);
    expect(await refused.errors()).toEqual(['Un refus doit être motivé en fait et en droit (20 caractères au moins).']);
    await refused.refuse('Le lien de filiation déclaré n’est établi par aucune pièce du dossier.');
    expect(await (await PermitInstructionPage.on(chef, violations)).status()).toBe('Refusée');

    await request.reload();
    const decided = await RequestPage.on(page, violations);
    expect(await decided.refusalMotivation()).toBe(
      'Motif du refus : Le lien de filiation déclaré n’est établi par aucune pièce du dossier.',
    );

    expect(violations).toEqual([]);
    expect([...errors, ...chefErrors]).toEqual([]);
    await family.close();
    await staff.close();
  });

  it('on a phone, « back » shows what is saved (no stale message beside an accepted photo), and a double tap on « Envoyer la demande » shows the request sent once', async () => {
    const establishment = await insertEstablishment({ name: 'Centre pénitentiaire de Łódź' });
    const detainee = await insertDetainee(establishment.id, { firstName: 'Şükrü', lastName: 'Ołowski', legalStatus: 'CONDAMNE' });
    const family = await insertFamily({ givenName: 'Łukasz', familyName: 'عبد الله' });
    const draft = await insertPermitRequest({
      familyAccountId: family.id,
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      status: 'DRAFT',
      step: 5,
    });
    const violations: string[] = [];
    const phone = await suite.browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'fr-FR',
    });
    const page = await phone.newPage();
    const errors = consoleErrors(page);
    await signInBrowser(page, suite.app.url, family);
    await page.goto(`${suite.app.url}/demandes/${draft.id}/etape/5`, { waitUntil: 'load' });

    const photoStep = await PhotoStepPage.on(page, violations);
    await photoStep.send({ name: 'grosse.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(11 * 1024 * 1024, 1) });
    // The upload of 11 MB takes a moment: the page it leads to has the error summary.
    await page.getByTestId('error-summary').waitFor();
    const refused = await PhotoStepPage.on(page, violations);
    expect(await refused.errors()).toEqual([
      'Le fichier dépasse 10 Mo. Choisissez un fichier plus léger, ou envoyez une photo du document.',
    ]);
    await refused.send({ name: 'łukasz.png', mimeType: 'image/png', buffer: await photoPng() });
    await IdDocumentStepPage.on(page, violations);

    // "Back": the photo step as it is now, the photo accepted, no message about the refused file.
    await page.goBack({ waitUntil: 'load' });
    const back = await PhotoStepPage.on(page, violations);
    expect(await back.errors()).toEqual([]);
    expect(await back.fieldError()).toBeNull();
    expect(await back.savedFile()).toContain('Fichier enregistré : łukasz.png.');
    await page.goBack({ waitUntil: 'load' });
    expect(await (await PhotoStepPage.on(page, violations)).errors()).toEqual([]);

    await page.goto(`${suite.app.url}/demandes/${draft.id}/etape/6`, { waitUntil: 'load' });
    await (
      await IdDocumentStepPage.on(page, violations)
    ).send('PASSEPORT', { name: 'passeport.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('Passeport') });
    await (
      await ProofOfAddressStepPage.on(page, violations)
    ).send({ name: 'facture.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('Facture') });
    await (await CommentStepPage.on(page, violations)).continueWithout();
    await (await SummaryStepPage.on(page, violations)).doubleTapSend();
    const sent = await RequestPage.on(page, violations);
    expect(await sent.status()).toBe('Déposée');
    expect(
      await query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'PERMIT_REQUEST_SUBMITTED' AND entity_id = $1`, [draft.id]),
    ).toEqual([{ n: 1 }]);

    // "Back" to the summary: the request's page, sent already, not an error.
    await page.goBack({ waitUntil: 'load' });
    const again = await RequestPage.on(page, violations);
    expect(await again.alreadySentNotice()).toBe(
      'Cette demande est déjà envoyée : elle ne se modifie plus. Vous la suivez sur cette page.',
    );

    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await phone.close();
  });
});
