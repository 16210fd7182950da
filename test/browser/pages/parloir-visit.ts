import { AbstractPage } from './abstract-page';
import { textOf } from './visit-text';

/** A visit at the arrival check: one section per visitor, with its buttons (arrivé, absent, refuser…). */
export class ParloirVisitPage extends AbstractPage {
  /** "<detainee> — 14:00 – 15:00, <room>" */
  protected readonly heading = / — \d{2}:\d{2} – \d{2}:\d{2}, /;

  private visitor(name: string) {
    return this.testId('visitor').filter({ hasText: name });
  }

  /** One tap: the visitor arrived. */
  arrived(name: string): Promise<void> {
    return this.page.getByRole('button', { name: `Arrivé : ${name}` }).tap();
  }

  /** Opens the refusal of a visitor (the reason to choose appears). */
  openRefusal(name: string): Promise<void> {
    return this.page.getByText(`Refuser l’accès… : ${name}`).tap();
  }

  async chooseReason(name: string, reason: string): Promise<void> {
    await this.visitor(name).getByLabel('Motif du refus (obligatoire)').selectOption({ label: reason });
  }

  confirmRefusal(name: string): Promise<void> {
    return this.page.getByRole('button', { name: `Confirmer le refus : ${name}` }).tap();
  }

  /** What the page says of a visitor's check ("Refusé — Identité non conforme à …"). */
  checkOf(name: string): Promise<string> {
    return textOf(this.visitor(name).locator('[data-testid="visitor-check"]'));
  }

  status(): Promise<string> {
    return textOf(this.testId('visit-status'));
  }

  backToDay(): Promise<void> {
    return this.page.getByRole('link', { name: 'Liste du jour' }).tap();
  }

  openMove(): Promise<void> {
    return this.page.getByRole('link', { name: 'Déplacer la visite' }).tap();
  }
}
