import { AbstractPage } from './abstract-page';
import { textOf } from './visit-text';

/** The day's list at the visiting rooms: visits per slot, the search box, the menu of the day's pages. */
export class ParloirDayPage extends AbstractPage {
  protected readonly heading = /^Parloir du /;

  /** "4 visite(s) — 0 visiteur(s) arrivé(s) sur 6." */
  summary(): Promise<string> {
    return textOf(this.testId('day-summary'));
  }

  /** Taps a visit of the list, found by a name it shows (detainee or visitor). */
  openVisit(name: string): Promise<void> {
    return this.testId('day-visit').filter({ hasText: name }).getByRole('link').tap();
  }

  /** Taps a page of the day's menu (Mouvements, Version imprimable, Statistiques…). */
  openMenu(name: string): Promise<void> {
    return this.page.getByRole('navigation', { name: 'Parloir' }).getByRole('link', { name, exact: true }).tap();
  }
}
