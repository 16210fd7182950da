import type { Page } from 'playwright-core';
import { AbstractPage } from './abstract-page';

/** « Mes visites et rendez-vous »: what the family must attend, as cards with their actions. */
export class AgendaPage extends AbstractPage {
  protected readonly heading = 'Mes visites et rendez-vous';

  cards() {
    return this.testId('upcoming-appointment');
  }
}

/** A box on the screen, in CSS pixels. */
export interface Box {
  text: string;
  left: number;
  right: number;
  width: number;
}

/**
 * What a person sees of the page's width: the page's own width (wider than the screen when something
 * sticks out, which makes it scroll sideways) and the boxes of the elements asked for.
 */
export async function widths(page: Page, selector: string): Promise<{ scrollWidth: number; innerWidth: number; boxes: Box[] }> {
  return page.evaluate((sel) => {
    const boxes = Array.from(document.querySelectorAll(sel)).map((e) => {
      const r = e.getBoundingClientRect();
      return { text: (e as HTMLElement).innerText.slice(0, 40), left: r.left, right: r.right, width: r.width };
    });
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, boxes };
  }, selector);
}
