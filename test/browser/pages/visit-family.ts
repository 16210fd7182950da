import { AbstractPage } from './abstract-page';
import { SlotGrid, tapLabel } from './visit-slots';
import { textOf } from './visit-text';

/** « Mes visites et rendez-vous »: the family's visits, stays, interviews and waiting lists, as cards. */
export class MyVisitsPage extends AbstractPage {
  protected readonly heading = 'Mes visites et rendez-vous';

  /** Taps "Déplacer" on the visit with this reference. */
  moveVisit(reference: string): Promise<void> {
    return this.page.getByRole('link', { name: `Déplacer la visite ${reference}` }).tap();
  }

  booked(): Promise<string> {
    return textOf(this.testId('booked'));
  }
}

/** The family's booking form: whom, who comes, then the slots by day. */
export class BookingPage extends AbstractPage {
  protected readonly heading = 'Réserver une visite au parloir';

  readonly slots = new SlotGrid(this.page);

  chosen(): Promise<string> {
    return textOf(this.testId('chosen'));
  }

  coming(): Promise<string> {
    return textOf(this.testId('coming'));
  }

  /** Ticks the visitors who come and asks for the slots. */
  async chooseVisitors(names: string[]): Promise<void> {
    for (const name of names) await tapLabel(this.page, this.page.getByRole('checkbox', { name }));
  }

  showSlots(): Promise<void> {
    return this.page.getByRole('button', { name: 'Voir les créneaux' }).tap();
  }

  book(): Promise<void> {
    return this.page.getByRole('button', { name: 'Réserver', exact: true }).tap();
  }
}
