import type { Locator } from 'playwright-core';

/** The text of an element as written in the page (not as CSS shows it: badges are in capitals), spaces collapsed. */
export async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}
