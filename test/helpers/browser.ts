import { existsSync, readFileSync } from 'node:fs';
import { Browser, chromium, Locator, Page } from 'playwright-core';
import { APP_START_TIMEOUT, testApp, TestApp } from './app';

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Debian's headless shell of Chromium (package chromium-headless-shell: the same Blink and V8 as the
 * chromium package, without the desktop browser around them), else Debian's Chromium itself
 * (/usr/bin/chromium, in its headless mode); CHROMIUM_PATH names another. Measured on the 21 browser
 * files, 2 workers, same machine: 211 s against 300 s of wall time, 261 CPU s of Chromium against 418;
 * the same 34 tests pass with either.
 */
const HEADLESS_SHELL = '/usr/bin/chromium-headless-shell';
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? (existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : '/usr/bin/chromium');

/**
 * Chromium, headless, with no background network (the machine has none). Its pages are asked for in
 * French (Accept-Language) unless a test gives a context another locale: a headless Chromium asks for
 * English, which P2V now speaks on the family side (issue #16).
 */
export async function launchChromium(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // The compositor (Viz, software: no GPU) in the browser's process, not a process of its own: less
      // IPC between processes on a 2-core machine. Measured on parloir, 3 runs each way, alternated: 45.3 s
      // of wall time against 52.3 (means), 33.6 to 37.4 CPU s against 33.6 to 40.4.
      '--in-process-gpu',
    ],
  });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = (options = {}) => newContext({ locale: 'fr-FR', ...options });
  return browser;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Where a page keeps axe-core's source between navigations (the origin's localStorage; the app uses none of it). */
const AXE_KEY = '__p2v_test_axe_source';

/**
 * Loads axe-core into the page. Sending its 550 kB source through the DevTools protocol costs about
 * 300 ms a page: it is sent once per origin and browser context, kept in localStorage, and evaluated
 * from there on later pages (V8 then compiles it from its cache: a few tens of ms).
 */
async function loadAxe(page: Page): Promise<void> {
  const kept = await page.evaluate((key) => {
    try {
      const source = window.localStorage.getItem(key);
      if (source === null) return false;
      (0, eval)(source);
      return true;
    } catch {
      return false;
    }
  }, AXE_KEY);
  if (kept) return;
  await page.evaluate(
    ({ key, source }) => {
      (0, eval)(source);
      try {
        window.localStorage.setItem(key, source);
      } catch {
        /* storage refused (quota, opaque origin): sent again next time */
      }
    },
    { key: AXE_KEY, source: AXE_SOURCE },
  );
}

/** Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the page; returns the violations, readable. */
export async function axeViolations(page: Page): Promise<string[]> {
  await loadAxe(page);
  const violations = (await page.evaluate(() =>
    (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: unknown[] }> } }).axe
      .run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
        // Only the violations are read: axe then skips the details of what passed.
        resultTypes: ['violations'],
      })
      .then((r) => r.violations),
  )) as AxeViolation[];
  return violations.map((v) => `${page.url()} ${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** A person a browser test signs in: a family (family name, birth date AAAA-MM-JJ) or an agent (usual name). */
export type BrowserIdentity = { givenName: string; email: string } & (
  { familyName: string; birthdate: string; usualName?: undefined } | { usualName: string; familyName?: undefined }
);

/**
 * Signs the browser context in as this person through the tests' session endpoint
 * (src/demo/test-session.ts): the session a real sign-in leaves, without the provider's pages, which
 * test/browser/foundation, family-phone and sign-in-address go through on a screen. Then opens the
 * person's home page, as the provider's callback does. `demo`: one of the demo identities (helpers/sign-in.ts FAMILY, STAFF).
 */
export async function signInBrowser(page: Page, baseUrl: string, who: BrowserIdentity | { demo: string }): Promise<void> {
  const form: Record<string, string> =
    'demo' in who
      ? { provider: who.demo.startsWith('fc-') ? 'franceconnect' : 'proconnect', sub: who.demo }
      : who.usualName !== undefined
        ? { provider: 'proconnect', given_name: who.givenName, usual_name: who.usualName, email: who.email }
        : { provider: 'franceconnect', given_name: who.givenName, family_name: who.familyName, birthdate: who.birthdate, email: who.email };
  const res = await page.context().request.post(`${baseUrl}/__test__/session`, { form, maxRedirects: 0 });
  if (res.status() !== 303) throw new Error(`Test session answered ${res.status()}: ${await res.text()}`);
  await page.goto(new URL(res.headers().location, baseUrl).toString(), { waitUntil: 'load' });
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
    // As appForTests: the clock back on the system time, then the app left or stopped.
    await suite.app?.resetClock();
    await suite.app?.stop();
  });
  return suite;
}

/**
 * Clicks (a link, a form's button) and waits for the new document it loads to be fully loaded. The
 * old document is marked first and the wait ends only once the mark is gone: waiting for « a
 * navigation » could end on the page clicked from (seen in CI after a file upload refused with a 400,
 * whose page has the same address and heading).
 */
export async function clickAndLoad(page: Page, target: Locator): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { p2vLeaving?: boolean }).p2vLeaving = true;
  });
  await target.click();
  await page.waitForFunction(() => !(window as unknown as { p2vLeaving?: boolean }).p2vLeaving);
  await page.waitForLoadState('load');
}

/**
 * The browser shows this family page in `language` on a phone: its h1 (exactly, or the pattern), its
 * lang and direction (right to left in Arabic, the layout too), no axe violation (collected in
 * `violations`), nothing wider than the 390 px screen.
 */
export async function onTranslatedPage(page: Page, violations: string[], language: string, heading: string | RegExp): Promise<void> {
  const h1 = (await page.locator('h1').first().innerText()).replace(/\s+/g, ' ').trim();
  if (typeof heading === 'string' ? h1 !== heading : !heading.test(h1))
    throw new Error(`Expected the page "${String(heading)}" but the browser shows "${h1}" at ${page.url()}`);
  const dir = language === 'ar' ? 'rtl' : 'ltr';
  expect(
    await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir, getComputedStyle(document.body).direction]),
  ).toEqual([language, dir, dir]);
  violations.push(...(await axeViolations(page)));
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect({ url: page.url(), sideways: width > 390 }).toEqual({ url: page.url(), sideways: false });
}
