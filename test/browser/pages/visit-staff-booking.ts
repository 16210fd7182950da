import { AbstractPage } from './abstract-page';
import { SlotGrid, tapLabel } from './visit-slots';
import { textOf } from './visit-text';

/** The visiting room books for a family: the detainee by name or écrou, the visitors, the slot, the channel. */
export class StaffBookingPage extends AbstractPage {
  protected readonly heading = /^Réserver une visite pour une famille/;

  readonly slots = new SlotGrid(this.page);

  foundDetainee(): Promise<string> {
    return textOf(this.testId('found-detainee'));
  }

  async search(text: string): Promise<void> {
    await this.page.getByLabel('Nom ou numéro d’écrou de la personne détenue').fill(text);
    await this.page.getByRole('button', { name: 'Chercher' }).tap();
  }

  /** The homonyms listed for a name: « Łukasz Wiśniewski — écrou 123 — Bâtiment A, cellule 12 — né(e) le … ». */
  async matches(): Promise<string[]> {
    return Promise.all((await this.testId('match').all()).map((l) => textOf(l)));
  }

  /** Taps the homonym with this écrou. */
  chooseMatch(ecrou: string): Promise<void> {
    return this.testId('match')
      .filter({ hasText: `écrou ${ecrou}` })
      .getByRole('link')
      .tap();
  }

  chooseChannel(label: string): Promise<void> {
    return tapLabel(this.page, this.page.getByRole('radio', { name: label }));
  }

  /** Ticks the visitors who come, then asks for the slots. */
  async chooseVisitors(names: string[]): Promise<void> {
    for (const name of names) await tapLabel(this.page, this.page.getByRole('checkbox', { name }));
  }

  showSlots(): Promise<void> {
    return this.page.getByRole('button', { name: 'Voir les créneaux' }).tap();
  }

  field(label: string) {
    return this.page.getByLabel(label);
  }

  /** « Vérifier avant de réserver »: the read-back. */
  check(): Promise<void> {
    return this.page.getByRole('button', { name: 'Vérifier avant de réserver' }).tap();
  }

  booked(): Promise<string> {
    return textOf(this.testId('booked'));
  }
}

/** The read-back of a phone booking: what the agent reads to the caller before confirming. */
export class StaffBookingCheckPage extends AbstractPage {
  protected readonly heading = 'Relisez la réservation à la personne';

  readBack(): Promise<string> {
    return textOf(this.testId('read-back-text'));
  }

  detail(name: 'day' | 'time' | 'room' | 'detainee' | 'contact'): Promise<string> {
    return textOf(this.testId(`read-back-${name}`));
  }

  modify(): Promise<void> {
    return this.page.getByRole('button', { name: 'Modifier' }).tap();
  }

  confirm(): Promise<void> {
    return this.page.getByRole('button', { name: 'Confirmer la réservation' }).tap();
  }
}
