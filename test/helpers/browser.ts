import { readFileSync } from 'node:fs';
import { Browser, chromium, Page } from 'playwright-core';
import { APP_START_TIMEOUT, testApp, TestApp } from './app';

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Debian's Chromium, headless, with no background network (the machine has none). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the page; returns the violations, readable. */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(() =>
    (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: unknown[] }> } }).axe
      .run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
      .then((r) => r.violations),
  )) as AxeViolation[];
  return violations.map((v) => `${page.url()} ${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * Collects console errors (CSP violations among them) of a page. A page answered on purpose with an
 * error status (a form re-rendered with 400, a 404 page) is not an error of the page itself.
 */
export function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    const text = m.text();
    const documentStatus =
      /^Failed to load resource: the server responded with a status of (400|404|409|422)\b/.test(text) && m.location().url === page.url();
    if (m.type() === 'error' && !documentStatus) errors.push(`${page.url()}: ${text} (${m.location().url})`);
  });
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
  return errors;
}

/** Does what a person does on a page, waits for the page to load, then checks it with axe-core. */
export async function actAndCheck(page: Page, violations: string[], action: () => Promise<unknown>): Promise<void> {
  await action();
  await page.waitForLoadState('load');
  violations.push(...(await axeViolations(page)));
}

/**
 * A browser test file's set-up: the app (fresh database, demo data) and Chromium, started before
 * its tests and closed after them. Read them through the returned object once the tests run.
 */
export function appAndBrowser(env: NodeJS.ProcessEnv = {}): { app: TestApp; browser: Browser } {
  const suite = {} as { app: TestApp; browser: Browser };
  beforeAll(async () => {
    suite.app = await testApp(env);
    suite.browser = await launchChromium();
  }, APP_START_TIMEOUT);
  afterAll(async () => {
    await suite.browser?.close();
    await suite.app?.stop();
  });
  return suite;
}
