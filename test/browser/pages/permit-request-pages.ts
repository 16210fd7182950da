import type { Locator } from 'playwright-core';
import { AbstractPage } from './abstract-page';

/**
 * The family's pages of a permit request ("Mes demandes", the 9 steps, the request's page), and the
 * demo identity provider's page the journey signs in through. Every action that loads a page waits
 * for it; the test then checks it is the expected one with `Page.on(page, violations)`.
 */
abstract class FormPage extends AbstractPage {
  protected button(name: string): Locator {
    return this.page.getByRole('button', { name, exact: true });
  }

  /** The messages of the error summary. */
  errors(): Promise<string[]> {
    return this.testId('error-summary').locator('li').allInnerTexts();
  }
}

/** The demo FranceConnect / ProConnect page: "Une autre identité", any name in any script. */
export class DemoIdentityPage extends FormPage {
  protected readonly heading = /fournisseur d’identité de démonstration$/;

  async signInAs(who: { givenName: string; familyName?: string; usualName?: string; birthdate?: string; email: string }): Promise<void> {
    const form = this.testId('custom-identity');
    await form.getByLabel('Prénom').fill(who.givenName);
    if (who.familyName !== undefined) await form.getByLabel('Nom de naissance').fill(who.familyName);
    if (who.usualName !== undefined) await form.getByLabel('Nom d’usage').fill(who.usualName);
    if (who.birthdate !== undefined) await form.getByLabel('Date de naissance').fill(who.birthdate);
    await form.getByLabel('Adresse e-mail').fill(who.email);
    await this.load(this.button('Se connecter avec cette identité'));
  }
}

export class PermitRequestsPage extends FormPage {
  protected readonly heading = 'Mes demandes de permis de visite';

  async requestPermit(): Promise<void> {
    await this.load(this.button('Demander un permis de visite'));
  }
}

export class DetaineeStepPage extends FormPage {
  protected readonly heading = 'Qui voulez-vous visiter ?';

  async findDetainee(o: { establishmentCode: string; ecrou: string; lastName: string }): Promise<void> {
    await this.page.selectOption('#establishment', o.establishmentCode);
    await this.page.fill('#ecrou', o.ecrou);
    await this.page.fill('#lastName', o.lastName);
    await this.load(this.button('Continuer'));
  }
}

export class DocumentsListStepPage extends FormPage {
  protected readonly heading = 'Les documents à fournir';

  async understood(): Promise<void> {
    await this.page.click('label[for="understood"]');
    await this.load(this.button('Continuer'));
  }
}

export class VisitorStepPage extends FormPage {
  protected readonly heading = 'Pour qui est la demande ?';

  async someoneElse(visitor: { givenName: string; familyName: string; birthdate: string }): Promise<void> {
    await this.page.click('label[for="forWhom-autre"]');
    await this.page.fill('#givenName', visitor.givenName);
    await this.page.fill('#familyName', visitor.familyName);
    await this.page.fill('#birthdate', visitor.birthdate);
    await this.load(this.button('Continuer'));
  }
}

export class RelationshipStepPage extends FormPage {
  protected readonly heading = /^Quel est le lien du visiteur avec .+ \?$/;

  async choose(relationship: string): Promise<void> {
    await this.page.click(`label[for="rel-${relationship}"]`);
    await this.load(this.button('Continuer'));
  }
}

type Upload = { name: string; mimeType: string; buffer: Buffer };

export class PhotoStepPage extends FormPage {
  protected readonly heading = 'La photo d’identité du visiteur';

  async send(photo: Upload): Promise<void> {
    await this.page.setInputFiles('#fichier', photo);
    await this.load(this.button('Envoyer la photo et continuer'));
  }

  /** What the page says of the photo already saved, if any. */
  async savedFile(): Promise<string | null> {
    const saved = this.testId('saved-file');
    return (await saved.count()) ? saved.innerText() : null;
  }

  fieldError(): Promise<string | null> {
    return this.page
      .locator('#fichier-erreur')
      .count()
      .then((n) => (n ? this.page.locator('#fichier-erreur').innerText() : null));
  }
}

export class IdDocumentStepPage extends FormPage {
  protected readonly heading = 'La pièce d’identité du visiteur';

  async send(type: string, file: Upload): Promise<void> {
    await this.page.selectOption('#idType', type);
    await this.page.setInputFiles('#fichier', file);
    await this.load(this.button('Envoyer et continuer'));
  }
}

export class ProofOfAddressStepPage extends FormPage {
  protected readonly heading = 'Le justificatif de domicile';

  async send(file: Upload): Promise<void> {
    await this.page.setInputFiles('#fichier', file);
    await this.load(this.button('Envoyer et continuer'));
  }
}

export class CommentStepPage extends FormPage {
  protected readonly heading = 'Voulez-vous ajouter un commentaire ?';

  async continueWithout(): Promise<void> {
    await this.load(this.button('Continuer'));
  }
}

export class SummaryStepPage extends FormPage {
  protected readonly heading = 'Vérifiez votre demande avant de l’envoyer';

  visitor(): Promise<string> {
    return this.testId('summary-visitor').innerText();
  }

  /** A minor visitor: the parental-authority holders' consent, sent from this page (which comes back). */
  async sendParentalConsent(file: Upload): Promise<void> {
    await this.page.setInputFiles('#fichier', file);
    await this.load(this.button('Joindre l’autorisation'));
  }

  async send(): Promise<void> {
    await this.load(this.button('Envoyer la demande'));
  }

  /** Two taps in a row on « Envoyer la demande », as an impatient thumb does. */
  async doubleTapSend(): Promise<void> {
    const sent = /\/demandes\/[0-9a-f-]{36}\?envoyee=1$/;
    await this.button('Envoyer la demande').dblclick();
    // The second tap may abort the navigation the first one started (as it does in a phone's browser):
    // what counts is the page the browser ends on.
    for (let attempt = 0; ; attempt++) {
      try {
        await this.page.waitForURL(sent, { waitUntil: 'load' });
        return;
      } catch (e) {
        if (attempt >= 3 || !/ERR_ABORTED|frame was detached/.test(String(e))) throw e;
      }
    }
  }
}

export class RequestPage extends FormPage {
  protected readonly heading = /^Demande de permis PV-[A-Z0-9]{8}$/;

  reference(): Promise<string> {
    return this.testId('sent-reference').innerText();
  }

  status(): Promise<string> {
    return this.testId('status').innerText();
  }

  async alreadySentNotice(): Promise<string | null> {
    const notice = this.testId('already-sent-notice');
    return (await notice.count()) ? notice.innerText() : null;
  }

  refusalMotivation(): Promise<string> {
    return this.testId('refusal-motivation').innerText();
  }

  async reload(): Promise<void> {
    await this.page.reload({ waitUntil: 'load' });
  }
}
