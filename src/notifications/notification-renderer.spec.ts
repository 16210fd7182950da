import * as cheerio from 'cheerio';
import { NOTIFICATION_SAMPLES } from '../../test/factories/notification-samples';
import FRENCH_MESSAGES from '../../test/fixtures/notifications-french.json';
import { frenchWordsIn } from '../../test/helpers/french';
import type { Language } from '../common/i18n';
import { maxSmsSegments, smsLength } from './notification.rules';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../common/project-root';
import { NotificationRenderer } from './notification-renderer';

/**
 * The messages to families in French, English, Arabic and Spanish (issue #16). The French ones are
 * compared with test/fixtures/notifications-french.json, rendered from the templates as they were
 * before their words moved to locales/fr/notifications.json: French must read exactly as before.
 */
const renderer = new NotificationRenderer({ appUrl: 'https://p2v.example' });
const OTHERS: Language[] = ['en', 'ar', 'es'];
const golden = FRENCH_MESSAGES as Record<string, { subject: string | null; text: string; html: string | null }>;

/** Fields that are data written in French by people (names, places, the establishment's own words): never translated. */
const AS_WRITTEN = [
  'establishmentName',
  'place',
  'address',
  'postalAddress',
  'parloirHours',
  'detainee',
  'visitor',
  'visitors',
  'cancelReason',
  'reason',
  'note',
  'grounds',
  'motivation',
  'message',
  'magistrate',
  'magistrateDecision',
  'signedBy',
  'decidedAs',
  'department',
  'recourse',
];

/** The addresses of P2V's pages (/mes-rendez-vous…) are French, and stay so. */
const withoutLinks = (text: string) => text.replace(/https?:\/\/\S+/g, ' ');

function withoutData(text: string, data: Record<string, unknown>): string {
  let left = withoutLinks(text);
  // A permit's own note on its conditions, as written (termsInLanguages).
  const notes = Object.values((data.termsIn ?? {}) as Record<string, { note: string | null }>).map((x) => x.note);
  const values = [...AS_WRITTEN.flatMap((field) => [data[field]].flat()), ...notes].filter(
    (v): v is string => typeof v === 'string' && v !== '',
  );
  // The longest first: a recourse paragraph holds the establishment's name.
  for (const v of values.sort((a, b) => b.length - a.length)) left = left.split(v).join(' ');
  return left;
}

const cases = Object.entries(NOTIFICATION_SAMPLES).flatMap(([template, s]) =>
  s.channels.flatMap((channel) => s.data.map((data, i) => ({ template, channel, data, name: `${template} ${channel} ${i}` }))),
);
const translated = cases;

/** Spaces between tags do not change what a message says. */
const squeezed = (html: string | null) => html && html.replace(/&#39;/g, "'").replace(/>\s+</g, '><').replace(/\s+/g, ' ');

describe('the messages to families', () => {
  it('are every template of views/notifications, each with its samples here (a new one comes with its translations)', () => {
    const templates = new Set(
      readdirSync(join(projectRoot(), 'views', 'notifications'))
        .filter((f) => /^[a-z].*\.(subject|sms)\.njk$/.test(f))
        .map((f) => f.replace(/\.(subject|sms)\.njk$/, '')),
    );
    expect([...templates].sort()).toEqual(Object.keys(NOTIFICATION_SAMPLES).sort());
    for (const [template, s] of Object.entries(NOTIFICATION_SAMPLES))
      for (const channel of ['EMAIL', 'SMS'] as const)
        expect({ template, channel, has: s.channels.includes(channel) }).toEqual({
          template,
          channel,
          has: readdirSync(join(projectRoot(), 'views', 'notifications')).includes(
            `${template}.${channel === 'SMS' ? 'sms' : 'subject'}.njk`,
          ),
        });
  });

  it('read in French exactly as before their words moved to the catalogs', () => {
    for (const c of cases) {
      const got = renderer.render(c.channel, c.template, c.data, 'fr');
      const before = golden[c.name];
      expect({ name: c.name, subject: got.subject, text: got.text }).toEqual({ name: c.name, subject: before.subject, text: before.text });
      expect({ name: c.name, html: squeezed(got.html) }).toEqual({ name: c.name, html: squeezed(before.html) });
    }
  });

  it('leave no French in English, Arabic or Spanish, but the establishment’s own words marked French', () => {
    expect(translated.length).toBeGreaterThan(10);
    for (const c of translated)
      for (const language of OTHERS) {
        const got = renderer.render(c.channel, c.template, c.data, language);
        const left = { name: c.name, language, subject: [] as string[], text: [] as string[], html: [] as string[] };
        left.subject = frenchWordsIn(withoutData(got.subject ?? '', c.data));
        left.text = frenchWordsIn(withoutData(got.text, c.data));
        if (got.html) {
          const $ = cheerio.load(got.html);
          expect({ name: c.name, lang: $('html').attr('lang'), dir: $('html').attr('dir') }).toEqual({
            name: c.name,
            lang: language,
            dir: language === 'ar' ? 'rtl' : 'ltr',
          });
          $('[lang="fr"]').remove();
          left.html = frenchWordsIn(withoutLinks($('body').text()));
        }
        expect(left).toEqual({ name: c.name, language, subject: [], text: [], html: [] });
      }
  });

  it('give dates and times in the recipient’s language, on the establishment’s clock', () => {
    const data = NOTIFICATION_SAMPLES['waitlist-cancelled'].data[0];
    // 13:30 UTC is 10:30 in Cayenne.
    expect(renderer.render('EMAIL', 'waitlist-cancelled', data, 'en').text).toContain('Thursday, 3 December 2026 at 10:30 (local time)');
    expect(renderer.render('EMAIL', 'waitlist-cancelled', data, 'ar').text).toContain('10:30 (بالتوقيت المحلي)');
    expect(renderer.render('SMS', 'waitlist-cancelled', data, 'es').text).toContain('3/12, 10:30');
    expect(renderer.render('EMAIL', 'waitlist-cancelled', data, 'fr').text).toContain('jeudi 3 décembre 2026 à 14 h 30 (heure locale)');
  });

  it('keep every SMS short: 2 parts in GSM-7, 3 in UCS-2 (Arabic), with the production address', () => {
    const APP_URL = 'https://p2v.justice.gouv.fr';
    const long = new NotificationRenderer({ appUrl: APP_URL });
    const longer = (v: unknown) => (typeof v === 'string' ? v.replace('https://p2v.example', APP_URL) : v);
    for (const c of cases.filter((x) => x.channel === 'SMS'))
      for (const language of ['fr', ...OTHERS] as Language[]) {
        const data = Object.fromEntries(Object.entries(c.data).map(([k, v]) => [k, longer(v)]));
        const text = long.render('SMS', c.template, data, language).text;
        const length = smsLength(text);
        expect({ name: c.name, language, fits: length.segments <= maxSmsSegments(length.encoding) }).toEqual({
          name: c.name,
          language,
          fits: true,
        });
        if (language === 'ar')
          expect({ name: c.name, encoding: length.encoding, segments: length.segments <= 3 }).toEqual({
            name: c.name,
            encoding: 'UCS-2',
            segments: true,
          });
        if (language === 'en') expect({ name: c.name, encoding: length.encoding }).toEqual({ name: c.name, encoding: 'GSM-7' });
      }
  });

  it('write the calendar file in the recipient’s language, in French as the appointment wrote it', () => {
    const ics = {
      uid: 'a@p2v',
      start: '2026-12-03T13:30:00.000Z',
      end: '2026-12-03T14:30:00.000Z',
      title: 'P2V : visite au parloir (réf. K7Q2M9XA)',
      location: 'Parloir A, 1 allée des Thuyas, 94260 Fresnes',
      description: 'Apportez une pièce d’identité. Pour annuler : https://p2v.example/mes-rendez-vous',
    };
    const data = { ...NOTIFICATION_SAMPLES['appointment-confirmation'].data[0], ics };
    expect(renderer.render('EMAIL', 'appointment-confirmation', data, 'fr').calendar).toBeUndefined();
    const english = renderer.render('EMAIL', 'appointment-confirmation', data, 'en').calendar!;
    expect(english.title).toBe('P2V: visit in the visiting room (ref. K7Q2M9XA)');
    expect(english.description).toMatch(
      /^Bring a valid identity document .* Visiting room phone: 01 40 00 00 01\. .* To cancel: https:\/\/p2v\.example\/mes-rendez-vous$/,
    );
    expect({ ...english, title: ics.title, description: ics.description }).toEqual(ics);
    const arabic = renderer.render('EMAIL', 'appointment-moved', data, 'ar').calendar!;
    expect(arabic.title).toBe('P2V: زيارة في قاعة الزيارة (المرجع K7Q2M9XA)');
    expect(frenchWordsIn(withoutLinks(arabic.description))).toEqual([]);
  });
});
