import { insertAgent, insertDetainee, insertEstablishment, unique } from '../factories/people';
import { appAndBrowser, consoleErrors } from '../helpers/browser';
import { onePagePdf, photoPng } from '../helpers/files';
import { PermitInstructionPage, PermitQueuePage } from './pages/permit-instruction-pages';
import {
  CommentStepPage,
  DemoIdentityPage,
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
jest.setTimeout(60_000);

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

    const family = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await family.newPage();
    const errors = consoleErrors(page);
    await page.goto(`${suite.app.url}/connexion`, { waitUntil: 'load' });
    await (
      await DemoIdentityPage.on(page, violations)
    ).signInAs({
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
    await chef.goto(`${suite.app.url}/agents/connexion`, { waitUntil: 'load' });
    await (await DemoIdentityPage.on(chef, violations)).signInAs(chefIdentity);
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
});
