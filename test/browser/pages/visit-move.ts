import { AbstractPage } from './abstract-page';

/** Moving a visit to another slot (the family's page and the agent's are the same form). */
export class VisitMovePage extends AbstractPage {
  protected readonly heading = /^Déplacer la visite \S+$/;

  slotLabels(): Promise<string[]> {
    return this.page.locator('input[name="slot"] + label').allInnerTexts();
  }
}
