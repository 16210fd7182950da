import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LANGUAGES } from '../common/i18n';
import { projectRoot } from '../common/project-root';
import { complianceStatus, frenchVersionHref, LEGAL_PATHS, legalTemplate, type LegalPage } from './legal-pages';

const views = join(projectRoot(), 'views');
const PAGES = Object.keys(LEGAL_PATHS) as LegalPage[];

/** What a translation must keep of the French page: its anchors, test ids, links and the controller's values it shows. */
const DATA = [
  'hostingProvider',
  'appUrl',
  'dpoEmail',
  'documentsRetentionDays',
  'notificationsRetentionDays',
  'attemptsRetentionDays',
  'sessionIdleMinutes',
  'sessionAbsoluteHours',
  'secureCookie',
  'accessibilityEmail',
  'auditDate',
  'demo',
  'principal',
  'nav',
];
function structure(template: string) {
  const text = readFileSync(join(views, template), 'utf8');
  // The template's own code ({{ … }} and {% … %}), where the controller's values are read: not its text.
  const code = [...text.matchAll(/\{[{%][^]*?[}%]\}/g)].map((m) => m[0]).join('\n');
  const all = (re: RegExp) => [...text.matchAll(re)].map((m) => m[1]).sort();
  return {
    ids: all(/\bid="([^"]+)"/g),
    testIds: all(/data-testid="([^"]+)"/g).filter((id) => id !== 'translation-notice' && id !== 'french-version'),
    links: all(/href="([^"]+)"/g).filter((href) => href !== '{{ frenchVersion }}'),
    kinds: all(/row\("([a-z-]+)",/g),
    data: DATA.filter((name) => new RegExp(`\\b${name}\\b`).test(code)),
  };
}

describe('the legal pages’ templates', () => {
  it('are legal/<page>.njk in French, legal/<page>.<lang>.njk in English, Arabic and Spanish; French for a language P2V has not', () => {
    expect(legalTemplate('cookies', 'fr')).toBe('legal/cookies.njk');
    expect(legalTemplate('cookies', 'ar')).toBe('legal/cookies.ar.njk');
    expect(legalTemplate('site-map', 'es')).toBe('legal/site-map.es.njk');
    expect(legalTemplate('personal-data', 'en')).toBe('legal/personal-data.en.njk');
    expect(legalTemplate('legal-notice', 'de')).toBe('legal/legal-notice.njk');
    expect(legalTemplate('legal-notice')).toBe('legal/legal-notice.njk');
    expect(frenchVersionHref('personal-data')).toBe('/langue/fr?retour=%2Fdonnees-personnelles');
  });

  it('keep in each language the French page’s anchors, test ids, links, retention rows and values, with the notice sending to the French version', () => {
    for (const page of PAGES) {
      const french = structure(legalTemplate(page, 'fr'));
      expect(readFileSync(join(views, legalTemplate(page, 'fr')), 'utf8')).not.toContain('_french-version.njk');
      for (const language of LANGUAGES.filter((l) => l !== 'fr')) {
        const template = legalTemplate(page, language);
        expect({ template, ...structure(template) }).toEqual({ template, ...french });
        expect({
          template,
          notice: readFileSync(join(views, template), 'utf8').includes('{% include "legal/_french-version.njk" %}'),
        }).toEqual({
          template,
          notice: true,
        });
      }
    }
  });
});

describe('the accessibility compliance status (RGAA)', () => {
  it('is « non conforme » without a full audit by a person or below 50 %, « partiellement » from 50 %, « totalement » at 100 %', () => {
    expect(complianceStatus(undefined)).toBe('NONE');
    expect(complianceStatus(0)).toBe('NONE');
    expect(complianceStatus(49)).toBe('NONE');
    expect(complianceStatus(50)).toBe('PARTIAL');
    expect(complianceStatus(99)).toBe('PARTIAL');
    expect(complianceStatus(100)).toBe('TOTAL');
  });
});
