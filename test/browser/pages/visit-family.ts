import { AbstractPage } from './abstract-page';
import { textOf } from './visit-text';

/** « Mes visites et rendez-vous »: the family's visits, stays, interviews and waiting lists, as cards. */
export class MyVisitsPage extends AbstractPage {
  protected readonly heading = 'Mes visites et rendez-vous';

  /** Taps "Déplacer" on the visit with this reference. */
  moveVisit(reference: string): Promise<void> {
    return this.page.getByRole('link', { name: `Déplacer la visite ${reference}` }).tap();
  }
}

/** The family's booking form. */
export class BookingPage extends AbstractPage {
  protected readonly heading = 'Réserver une visite au parloir';

  chosen(): Promise<string> {
    return textOf(this.testId('chosen'));
  }
}
