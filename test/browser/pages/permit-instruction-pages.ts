import type { Locator } from 'playwright-core';
import { AbstractPage } from './abstract-page';

/** The establishment's pages of the permit requests: the work queue and a request's instruction. */
abstract class StaffPage extends AbstractPage {
  errors(): Promise<string[]> {
    return this.testId('error-summary').locator('li').allInnerTexts();
  }
}

export class PermitQueuePage extends StaffPage {
  protected readonly heading = /^Demandes de permis de visite — /;

  async open(reference: string): Promise<void> {
    await this.load(this.page.getByRole('link', { name: reference, exact: true }));
  }
}

export class PermitInstructionPage extends StaffPage {
  protected readonly heading = /^Demande de permis PV-[A-Z0-9]+$/;

  status(): Promise<string> {
    return this.testId('status').innerText();
  }

  /** The block of a document, by its label (as the greffe reads it: "Photo d’identité"…). */
  private document(label: string): Locator {
    return this.testId('document').filter({ has: this.page.getByRole('heading', { name: label, exact: true }) });
  }

  /** A document's review as shown: "à examiner", "accepté", "à remplacer". */
  review(label: string): Promise<string> {
    return this.document(label).locator('[data-testid="document-review"]').innerText();
  }

  /** What the page announced last to screen readers (its live region). */
  announcement(): Promise<string> {
    return this.testId('review-announce').innerText();
  }

  /**
   * Accepts a document, or asks for its replacement, as a person does (pressing the button); with JavaScript the page
   * stays: waits for the announcement of the answer, which names the document.
   */
  async reviewDocument(label: string, review: 'Accepter' | 'À remplacer', reason = ''): Promise<void> {
    const block = this.document(label);
    if (reason) await block.getByLabel(`Motif si à remplacer : ${label}`).fill(reason);
    await this.testId('review-announce').evaluate((e) => (e.textContent = ''));
    await block.getByRole('button', { name: `${review} : ${label}`, exact: true }).click();
    await this.page.waitForFunction((name) => document.getElementById('examen-annonce')?.textContent?.startsWith(name) === true, label);
  }

  /** Why "Marquer prête pour décision" is not offered, or null when the button is there. */
  async readyBlocked(): Promise<string | null> {
    const blocked = this.testId('ready-blocked');
    return (await blocked.count()) ? blocked.innerText() : null;
  }

  readyButtons(): Promise<number> {
    return this.page.getByRole('button', { name: 'Marquer prête pour décision', exact: true }).count();
  }

  async markReady(): Promise<void> {
    await this.load(this.page.getByRole('button', { name: 'Marquer prête pour décision', exact: true }));
  }

  /** The internal note form, sent (empty to try without). */
  async addNote(note: string): Promise<void> {
    await this.page.fill('#note', note);
    await this.load(this.page.getByRole('button', { name: 'Ajouter la note', exact: true }));
  }

  /** The focused element's accessible text and test id, to check where the focus is. */
  focused(): Promise<{ testId: string | null; id: string; text: string }> {
    return this.page.evaluate(() => {
      const e = document.activeElement as HTMLElement | null;
      return { testId: e?.getAttribute('data-testid') ?? null, id: e?.id ?? '', text: (e?.textContent ?? '').replace(/\s+/g, ' ').trim() };
    });
  }

  /** The head of establishment's decision: refuse on a legal ground, with this motivation (empty to try without). */
  async refuse(motivation: string, ground = 'GOOD_ORDER'): Promise<void> {
    await this.page.click('label[for="decision-refuse"]');
    await this.page.click(`label[for="ground-${ground}"]`);
    await this.page.fill('#motivation', motivation);
    await this.load(this.page.getByRole('button', { name: 'Enregistrer la décision', exact: true }));
  }
}
