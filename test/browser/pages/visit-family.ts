import { AbstractPage } from './abstract-page';
import { textOf } from './visit-text';

/** "Mes visites": the family's visits and waiting lists. */
export class MyVisitsPage extends AbstractPage {
  protected readonly heading = 'Mes visites au parloir';

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
