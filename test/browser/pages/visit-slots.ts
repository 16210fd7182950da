import type { Locator, Page } from 'playwright-core';
import { textOf } from './visit-text';

/**
 * The slots of a booking or move page, as a person reads them: days as headings, each slot that can be
 * taken a radio (« 14 h 00 – 15 h 00 · Parloir A 10 places libres »), each other one its reason.
 */
export class SlotGrid {
  constructor(private readonly page: Page) {}

  /** The days, as headed (« Mardi 24 novembre »). */
  async days(): Promise<string[]> {
    return Promise.all((await this.page.locator('[data-testid="slot-day-label"]').all()).map((l) => textOf(l)));
  }

  /** The labels of the slots offered (radios). */
  offered(): Promise<string[]> {
    return this.page.locator('input[name="slot"] + label').allInnerTexts();
  }

  /** Why the slots of a day cannot be taken, when the day says it once; else null. */
  async dayUnavailable(day: string): Promise<string | null> {
    const reason = this.page.locator(`[data-testid="slot-day"][data-day="${day}"] [data-testid="slot-day-unavailable"]`);
    return (await reason.count()) ? textOf(reason) : null;
  }

  /** The reason one slot gives for not being offered (« Complet », « Indisponible : … »). */
  reasonOf(slot: string): Promise<string> {
    return textOf(this.page.locator(`[data-testid="slot-unavailable"][data-slot="${slot}"] [data-testid="slot-reason"]`));
  }

  /** Taps a slot by its label, within its day's group (the day's heading names the group). */
  choose(day: string, label: RegExp): Promise<void> {
    return tapLabel(this.page, this.page.getByRole('group', { name: day }).getByRole('radio', { name: label }));
  }

  /** The week shown, as headed (« Semaine du lundi 23 au dimanche 29 novembre »): a booking page shows one week at a time. */
  week(): Promise<string> {
    return textOf(this.page.getByRole('heading', { level: 2, name: /^Semaine du / }));
  }

  /** What the page says above the slots when the first weeks have no slot to take. */
  skipped(): Promise<string> {
    return textOf(this.page.locator('[data-testid="week-skipped"]'));
  }

  /** Taps « Semaine précédente » (its link names the week too, for screen readers). */
  previousWeek(): Promise<void> {
    return this.page
      .getByRole('navigation', { name: 'Autres semaines' })
      .getByRole('link', { name: /^Semaine précédente/ })
      .tap();
  }

  /** Taps « Semaine suivante ». */
  nextWeek(): Promise<void> {
    return this.page
      .getByRole('navigation', { name: 'Autres semaines' })
      .getByRole('link', { name: /^Semaine suivante/ })
      .tap();
  }

  /** Whether the page fits the screen's width (no sideways scrolling). */
  fits(): Promise<boolean> {
    return this.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  }
}

/** Ticks a DSFR radio or checkbox as a person does: a tap on its label (the input itself is drawn under it). */
export async function tapLabel(page: Page, input: Locator): Promise<void> {
  const id = await input.getAttribute('id');
  await page.locator(`label[for="${id}"]`).tap();
  if (!(await input.isChecked())) throw new Error(`The tap on the label of #${id} did not tick it`);
}
