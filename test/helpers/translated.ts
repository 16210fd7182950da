import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { frenchWordsIn } from './french';
import { page, type HtmlPage } from './html';
import type { Agent } from './sign-in';

/** The catalogs' areas (locales/fr/<area>.json): a text shown as « area:key » is a key nobody translated. */
const AREAS = readdirSync(join(__dirname, '..', '..', 'locales', 'fr'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length));
const LEFT_OVER = new RegExp(`\\{\\{|⟦|\\b(?:${AREAS.join('|')}):[a-zA-Z]`);

/**
 * A family page in `language` (issue #16): its lang (right to left in Arabic), no French word in its
 * title, header, main content and footer once the parts marked lang="fr" are set aside, and no
 * variable left unfilled nor catalog key shown instead of its text. `where` names the page in failures.
 */
export function expectTranslated(res: Response, language: string, where: string, status = 200): HtmlPage {
  expect({ where, status: res.status }).toEqual({ where, status });
  const shown = page(res);
  const $ = page(res).$; // a copy, whose French parts are set aside
  expect({ where, lang: $('html').attr('lang'), dir: $('html').attr('dir') }).toEqual({
    where,
    lang: language,
    dir: language === 'ar' ? 'rtl' : 'ltr',
  });
  $('body [lang="fr"]').remove();
  const text = [$('title').text(), $('header').text(), $('main').text(), $('footer').text()].join(' ');
  expect({ language, where, french: frenchWordsIn(text) }).toEqual({ language, where, french: [] });
  expect({ where, left: LEFT_OVER.exec(shown.$('body').text())?.[0] ?? null }).toEqual({ where, left: null });
  return shown;
}

/** A family page fetched and checked as `expectTranslated` does. */
export async function getTranslated(agent: Agent, path: string, language: string): Promise<HtmlPage> {
  return expectTranslated(await agent.get(path), language, path);
}

/** A form's answer: a redirect (303) when accepted, its errors shown otherwise; where it leads. */
export function expectAccepted(res: Response): string {
  expect({ status: res.status, errors: res.status === 303 ? [] : page(res).errors() }).toEqual({ status: 303, errors: [] });
  return res.headers.location;
}
