import { AbstractPage } from './abstract-page';
import { textOf } from './visit-text';

/** A visit in progress on the tablet: interrupting it (R341-12) with a reason and an incident report. */
export class ParloirIncidentPage extends AbstractPage {
  /** "<detainee> — 14:00 – 15:00, <room>" */
  protected readonly heading = / — \d{2}:\d{2} – \d{2}:\d{2}, /;

  openIncident(): Promise<void> {
    return this.page.getByText('Interrompre la visite ou signaler un incident…').tap();
  }

  /** Fills the report: the visit interrupted, the reason, the person concerned, the facts, confirmed. */
  async interrupt(o: { reason: string; visitor: string; report: string }): Promise<void> {
    const form = this.testId('incident-form');
    await form.getByText('Oui, la visite prend fin maintenant').click();
    await form.getByLabel('Motif (obligatoire)').selectOption({ label: o.reason });
    await form.getByLabel('Personne concernée').selectOption({ label: o.visitor });
    await form.getByLabel(/^Compte-rendu d’incident/).fill(o.report);
    await form.getByText(/^Si la visite est interrompue/).click();
  }

  submit(): Promise<void> {
    return this.page.getByRole('button', { name: 'Enregistrer le compte-rendu' }).tap();
  }

  done(): Promise<string> {
    return textOf(this.testId('done'));
  }

  incident(): Promise<string> {
    return textOf(this.testId('visit-incident'));
  }

  status(): Promise<string> {
    return textOf(this.testId('visit-status'));
  }
}

/** The head's list of the establishment's incident reports. */
export class IncidentsPage extends AbstractPage {
  protected readonly heading = /^Comptes-rendus d’incident — /;

  rows(): Promise<string[]> {
    return this.testId('incident')
      .allTextContents()
      .then((t) => t.map((s) => s.replace(/\s+/g, ' ').trim()));
  }

  open(): Promise<void> {
    return this.testId('incident').getByRole('link').first().click();
  }
}

/** One report, from which the head opens a suspension of the visitor's permit. */
export class IncidentPage extends AbstractPage {
  protected readonly heading = 'Compte-rendu d’incident';

  report(): Promise<string> {
    return textOf(this.testId('incident-report'));
  }

  openSuspension(): Promise<void> {
    return this.page.getByRole('link', { name: 'Engager une suspension du permis' }).click();
  }
}

/** The suspension form of the permit measures, prefilled from the report. */
export class ProposeMeasurePage extends AbstractPage {
  protected readonly heading = 'Envisager une suspension ou un retrait';

  grounds(): Promise<string> {
    return this.page.locator('#grounds').inputValue();
  }

  suspensionChosen(): Promise<boolean> {
    return this.page.getByLabel('Suspension', { exact: true }).isChecked();
  }
}

/** "Personnes détenues empêchées et cellule disciplinaire": the form, the read-back, the list. */
export class RestrictionsPage extends AbstractPage {
  protected readonly heading = /^Personnes détenues empêchées et cellule disciplinaire — /;

  async prevent(o: { ecrou: string; cause: string; from: string; to: string }): Promise<void> {
    await this.page.getByLabel('Numéro d’écrou').fill(o.ecrou);
    await this.page.getByText('Personne détenue empêchée', { exact: true }).click();
    await this.page.getByLabel(/^Cause de l’empêchement/).selectOption({ label: o.cause });
    await this.page.getByLabel(/^Du \(inclus\)/).fill(o.from);
    await this.page.getByLabel(/^Au \(inclus\)/).fill(o.to);
  }

  check(): Promise<void> {
    return this.page.getByRole('button', { name: 'Voir les visites concernées' }).click();
  }

  done(): Promise<string> {
    return textOf(this.testId('done'));
  }
}

export class RestrictionConfirmPage extends AbstractPage {
  protected readonly heading = 'Confirmer la période';

  count(): Promise<string> {
    return textOf(this.testId('cancelled-count'));
  }

  visits(): Promise<string[]> {
    return this.testId('cancelled-visit')
      .allTextContents()
      .then((t) => t.map((s) => s.replace(/\s+/g, ' ').trim()));
  }

  async confirm(): Promise<void> {
    await this.page.getByText(/^Je confirme/).click();
    await this.page.getByRole('button', { name: 'Enregistrer la période' }).click();
  }
}
