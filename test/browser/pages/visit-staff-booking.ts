import { AbstractPage } from './abstract-page';
import { textOf } from './visit-text';

/** The visiting room books for a family: the detainee by écrou, the visitors, the slot, the channel. */
export class StaffBookingPage extends AbstractPage {
  protected readonly heading = /^Réserver une visite pour une famille/;

  foundDetainee(): Promise<string> {
    return textOf(this.testId('found-detainee'));
  }
}
