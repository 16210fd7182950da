import { AbstractPage } from './abstract-page';

/** The SPIP counsellor's pages of UVF / PF cases: the work queue and a case file. */
abstract class CounsellorPage extends AbstractPage {
  errors(): Promise<string[]> {
    return this.testId('error-summary').locator('li').allInnerTexts();
  }
}

export class FamilyVisitQueuePage extends CounsellorPage {
  protected readonly heading = /^Dossiers UVF et parloirs familiaux — /;

  async open(reference: string): Promise<void> {
    await this.load(this.page.getByRole('link', { name: reference, exact: true }));
  }
}

export class FamilyVisitCasePage extends CounsellorPage {
  protected readonly heading = /^Dossier UV[A-Z0-9]+ — /;

  /** Records an interview that took place with the applicant chosen by its label, with these notes and assessments. */
  async recordDone(applicant: string, o: { day: string; time: string; notes: string; link: string; preparation: string }): Promise<void> {
    await this.page.getByLabel('Personne reçue').selectOption({ label: applicant });
    await this.page.click('label[for="status-done"]');
    await this.page.fill('#day', o.day);
    await this.page.fill('#time', o.time);
    await this.page.click('label[for="mode-PHONE"]');
    await this.page.fill('#notes', o.notes);
    await this.page.fill('#linkAssessment', o.link);
    await this.page.fill('#preparationAssessment', o.preparation);
    await this.load(this.page.getByRole('button', { name: 'Enregistrer l’entretien', exact: true }));
  }

  interviews(): Promise<string[]> {
    return this.testId('interview').allInnerTexts();
  }

  missing(): Promise<string> {
    return this.testId('cpu-missing').innerText();
  }

  /** Opens the decision page of a request, by the applicant named in the link. */
  async decide(applicant: string): Promise<void> {
    await this.load(this.page.getByRole('link', { name: `Décider la demande ${applicant}` }));
  }

  async decisions(): Promise<string[]> {
    return (await this.testId('decision-status').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  }
}

/** The head's decision on one request: the form, then the read-back before signing. */
export class FamilyVisitDecisionPage extends CounsellorPage {
  protected readonly heading = /^Décision sur la demande de /;

  async refuse(ground: string, facts: string, motivation: string): Promise<void> {
    await this.page.click('label[for="decision-refuse"]');
    await this.page.getByLabel(ground).check({ force: true });
    await this.page.fill('#facts', facts);
    await this.page.fill('#motivation', motivation);
    await this.load(this.page.getByRole('button', { name: 'Relire avant de signer', exact: true }));
  }

  async grant(hours: string): Promise<void> {
    await this.page.click('label[for="decision-grant"]');
    await this.page.getByLabel('Durée de la visite').selectOption({ label: hours });
    await this.load(this.page.getByRole('button', { name: 'Relire avant de signer', exact: true }));
  }

  preview(): Promise<string> {
    return this.testId('letter-preview').innerText();
  }

  async sign(): Promise<void> {
    await this.load(this.page.getByRole('button', { name: 'Signer la décision', exact: true }));
  }
}
