import { AbstractPage } from './abstract-page';
import { SlotGrid } from './visit-slots';

/** Moving a visit to another slot (the family's page and the agent's are the same form). */
export class VisitMovePage extends AbstractPage {
  protected readonly heading = /^Déplacer la visite \S+$/;

  readonly slots = new SlotGrid(this.page);

  slotLabels(): Promise<string[]> {
    return this.slots.offered();
  }
}
