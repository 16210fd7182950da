import { join } from 'node:path';
import nunjucks from 'nunjucks';
import { currentLanguage, DEFAULT_LANGUAGE, direction, inLanguage, intlLocale, type Language, Translations } from '../common/i18n';
import { projectRoot } from '../common/project-root';
import { registerFilters } from '../common/nunjucks-filters';
import type { Channel } from '../config/reminder-offsets';
import { isCalendarEvent, type CalendarEvent } from './calendar';

export interface RenderedMessage {
  subject: string | null;
  text: string;
  html: string | null;
  /** The calendar file's event in the message's language, when the data carries one (`ics`) and the message is not French. */
  calendar?: CalendarEvent;
}

/**
 * The short reasons an SMS gives for a cancellation (CancelNotice.smsReason, SMS_REASONS), as the
 * services write them in French, and their key in notifications:smsReasons. A reason not listed here
 * is not said in another language (the e-mail gives the establishment's own words, marked French).
 */
const SMS_REASONS: Record<string, string> = {
  'à votre demande': 'familyRequest',
  'personne visitée indisponible': 'detaineeUnavailable',
  'fermeture exceptionnelle': 'closure',
  'raison de sécurité': 'security',
  "décision de l'établissement": 'establishment',
  'changement des horaires de visite': 'timetable',
};

/** The cause of a waiting list's cancelled visit (occurrenceGone) as notifications:smsReasons names it. */
const GONE_CAUSES: Record<string, string> = { CLOSURE: 'closure', ROOM: 'timetable', TEMPLATE: 'timetable', CAPACITY: 'timetable' };

type Ctx = { ctx: Record<string, unknown> };

/** A UVF / PF decision's outcome, as family-visits/decisions.service.ts stores it in the message's data. */
type FamilyVisitOutcome =
  | { code: 'GRANTED'; hours: number; slots: 1 | 2 | null; magistrateDay: string | null }
  | { code: 'REFUSED' | 'DETAINEE_REFUSED' | 'IMPLICITLY_REJECTED' | 'MAGISTRATE_REFUSED' }
  | { code: 'MAGISTRATE_GRANTED'; answer: string };

/**
 * Renders the templates of views/notifications/: `<template>.subject.njk`, `.html.njk`
 * (autoescaped) and `.txt.njk` for e-mail, `<template>.sms.njk` for SMS, in the recipient's
 * language (locales/<language>/notifications.json): every message to families is written in French,
 * English, Arabic and Spanish (issue #16); what the establishment writes stays French, marked so.
 */
export class NotificationRenderer {
  private readonly html: nunjucks.Environment;
  private readonly text: nunjucks.Environment;
  private readonly translations: Translations;

  constructor(
    private readonly context: { appUrl: string },
    translations = Translations.load(join(projectRoot(), 'locales')),
  ) {
    const dir = join(projectRoot(), 'views', 'notifications');
    this.html = new nunjucks.Environment(new nunjucks.FileSystemLoader(dir), { autoescape: true, throwOnUndefined: true });
    this.text = new nunjucks.Environment(new nunjucks.FileSystemLoader(dir), {
      autoescape: false,
      throwOnUndefined: true,
      trimBlocks: true,
      lstripBlocks: true,
    });
    for (const env of [this.html, this.text]) {
      registerFilters(env);
      env.addGlobal('appUrl', context.appUrl);
      env.addGlobal('t', translations.current);
      env.addGlobal('msg', translations.message);
      // `this` is the template's context: its data.
      env.addGlobal('appointmentWords', function (this: Ctx) {
        return appointmentWords(this.ctx, translations);
      });
      // An instant in the message's language on the establishment's clock (`timeZone` of the data);
      // in French, or without the instant (a message queued before it was stored), the French words given.
      // `short`: true for an SMS's « 03/12, 14:30 », 'time' for the time of day alone.
      env.addGlobal('instant', function (this: Ctx, french: unknown, iso: unknown, short: boolean | 'time' = false) {
        const language = currentLanguage();
        if (language === DEFAULT_LANGUAGE || typeof iso !== 'string') return french;
        return whenIn(language, iso, (this.ctx.timeZone as string | undefined) ?? 'Europe/Paris', short);
      });
      // Which clock the times are on, in the message's language.
      env.addGlobal('zoneWords', function (this: Ctx, french: unknown) {
        const language = currentLanguage();
        if (language === DEFAULT_LANGUAGE) return french;
        const zone = (this.ctx.timeZone as string | undefined) ?? 'Europe/Paris';
        return translations.t(language)(`notifications:zone.${zone === 'Europe/Paris' ? 'paris' : 'local'}`);
      });
      // The short reason of a cancellation in the message's language: from the French SMS reason, or a
      // waiting list's cause; null when it has no translation (the message then does not give it).
      env.addGlobal('shortReason', (french: unknown, cause?: unknown) => {
        const language = currentLanguage();
        if (language === DEFAULT_LANGUAGE) return french || null;
        const key = (typeof cause === 'string' && GONE_CAUSES[cause]) || (typeof french === 'string' && SMS_REASONS[french]);
        return key ? translations.t(language)(`notifications:smsReasons.${key}`) : null;
      });
      // A calendar day (the establishment's) in the message's language, « 24 janvier 2027 » as given in French.
      env.addGlobal('day', (french: unknown, isoDay: unknown) => {
        const language = currentLanguage();
        if (language === DEFAULT_LANGUAGE || typeof isoDay !== 'string') return french;
        return new Intl.DateTimeFormat(intlLocale(language), { timeZone: 'UTC', dateStyle: 'long' }).format(
          new Date(`${isoDay.slice(0, 10)}T12:00:00Z`),
        );
      });
      // The recourse routes (recourseParagraphs), quoted in French, translated: null in French.
      env.addGlobal('recourseTranslation', (recourse: unknown) => {
        const language = currentLanguage();
        if (language === DEFAULT_LANGUAGE || !Array.isArray(recourse) || !recourse.length) return null;
        const t: (key: string, values?: Record<string, unknown>) => string = translations.t(language);
        return recourseTranslation(recourse.map(words), t);
      });
      // A UVF / PF decision's outcome (decisions.service.ts `outcomeOf`) in the message's language; in
      // French, or without the codes (a message queued before them), the French words given.
      env.addGlobal('familyVisitOutcome', (french: unknown, o: FamilyVisitOutcome | null | undefined) => {
        const language = currentLanguage();
        if (language === DEFAULT_LANGUAGE || !o) return french;
        const t: (key: string, values?: Record<string, unknown>) => string = translations.t(language);
        const key = (k: string) => `notifications:fv.outcomes.${k}`;
        if (o.code === 'MAGISTRATE_GRANTED') return t(key('MAGISTRATE_GRANTED'), { answer: t(key(`answers.${o.answer}`)) });
        if (o.code !== 'GRANTED') return t(key(o.code));
        const hours = t(key(o.hours > 1 ? 'hoursMany' : 'hoursOne'), { hours: o.hours });
        const date = o.magistrateDay
          ? new Intl.DateTimeFormat(intlLocale(language), { timeZone: 'UTC', dateStyle: 'long' }).format(
              new Date(`${o.magistrateDay}T12:00:00Z`),
            )
          : null;
        return t(key('GRANTED'), {
          duration: o.slots === 2 ? t(key('twoSlots'), { hours }) : hours,
          within: date ? t(key('within'), { date }) : '',
        });
      });
    }
    // Words written by the establishment (a reason, a note): French, marked as such in another language.
    this.html.addGlobal('asWritten', (text: unknown) =>
      currentLanguage() === DEFAULT_LANGUAGE ? text : new nunjucks.runtime.SafeString(`<span lang="fr">${escapeHtml(words(text))}</span>`),
    );
    this.text.addGlobal('asWritten', (text: unknown) => text);
    // fill(text, piece1, piece2…): a translated sentence with ⟦1⟧, ⟦2⟧… slots for pieces of HTML (a
    // word in bold, a name marked French), as views/permits/_text.njk does; in text, the pieces as they are.
    this.html.addGlobal(
      'fill',
      (text: string, ...pieces: unknown[]) =>
        new nunjucks.runtime.SafeString(
          escapeHtml(text).replace(/⟦(\d)⟧/g, (_, n: string) => {
            const piece = pieces[Number(n) - 1];
            return piece instanceof nunjucks.runtime.SafeString ? piece.toString() : escapeHtml(words(piece));
          }),
        ),
    );
    this.text.addGlobal('fill', (text: string, ...pieces: unknown[]) =>
      text.replace(/⟦(\d)⟧/g, (_, n: string) => words(pieces[Number(n) - 1])),
    );
    this.html.addGlobal('strong', (text: unknown) => new nunjucks.runtime.SafeString(`<strong>${escapeHtml(words(text))}</strong>`));
    this.text.addGlobal('strong', (text: unknown) => text);
    this.translations = translations;
  }

  render(channel: Channel, template: string, data: Record<string, unknown>, lang: Language = DEFAULT_LANGUAGE): RenderedMessage {
    if (!/^[a-z0-9-]+$/.test(template)) throw new Error(`Bad template name ${template}`);
    const context = { ...data, lang, dir: direction(lang) };
    return inLanguage(lang, () => {
      if (channel === 'SMS') return { subject: null, text: this.text.render(`${template}.sms.njk`, context).trim(), html: null };
      const calendar = lang !== DEFAULT_LANGUAGE && isCalendarEvent(data.ics) ? this.calendarIn(lang, data.ics, data) : undefined;
      return {
        subject: this.text.render(`${template}.subject.njk`, context).trim(),
        text: this.text.render(`${template}.txt.njk`, context).trim() + '\n',
        html: this.html.render(`${template}.html.njk`, context),
        ...(calendar ? { calendar } : {}),
      };
    });
  }

  /**
   * The calendar file's words in `language`: its title and description, from the appointment's
   * kind, reference, parloir phone, practical information and where to cancel; its place is names and
   * addresses, as given. An event without the appointment's kind (queued before it was stored) stays French.
   */
  private calendarIn(language: Language, event: CalendarEvent, data: Record<string, unknown>): CalendarEvent | undefined {
    const kind = data.kind as string | undefined;
    if (!kind || typeof data.reference !== 'string') return undefined;
    const t = this.translations.t(language) as (key: string, values?: Record<string, unknown>) => string;
    const description = [
      t('notifications:calendar.bring', { bring: t(`notifications:bring.${kind}`) }),
      data.parloirPhone ? t('notifications:calendar.phone', { phone: data.parloirPhone }) : null,
      data.infoUrl ? t('notifications:calendar.info', { url: data.infoUrl }) : null,
      data.manageUrl ? t('notifications:calendar.cancel', { url: data.manageUrl }) : null,
    ].filter(Boolean);
    return {
      ...event,
      title: t('notifications:calendar.title', { kind: t(`notifications:kinds.${kind}`), reference: data.reference }),
      description: description.join(' '),
    };
  }
}

const ROUTES =
  /chef d’établissement \((.*)\) ; par un recours hiérarchique auprès du directeur interrégional des services pénitentiaires(?: \((.*)\))? ; par un recours contentieux/;

/**
 * The translation of the recourse routes that letters and messages quote in French
 * (recourseParagraphs in permits/letters.ts: the routes, then the R. 421-1 mention), with the
 * permits' own words (permits:recourse), the department's name and direction read from the French.
 */
export function recourseTranslation(
  recourse: string[],
  t: (key: string, values?: Record<string, unknown>) => string,
): { text: string; name: string; direction: string }[] {
  const [, name = '', direction = ''] = ROUTES.exec(recourse[0]) ?? [];
  // ⟦1⟧, ⟦2⟧: the names, French, marked as such in HTML (fill).
  return [
    {
      text: direction
        ? t('permits:recourse.routesWithDirection', { name: '⟦1⟧', direction: '⟦2⟧' })
        : t('permits:recourse.routes', { name: '⟦1⟧' }),
      name,
      direction,
    },
    { text: `${t('permits:recourse.mention1')} ${t('permits:recourse.mention2')}`, name, direction },
  ];
}

/** A value printed in a message: text or a number; nothing for anything else. */
function words(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return v instanceof nunjucks.runtime.SafeString ? v.toString() : '';
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const WHEN = new Map<string, Intl.DateTimeFormat>();

function whenIn(language: Language, startsAt: string, timeZone: string, short: boolean | 'time'): string {
  const key = `${language} ${timeZone} ${short}`;
  let format = WHEN.get(key);
  if (!format) {
    const options: Intl.DateTimeFormatOptions =
      short === 'time'
        ? { hour: '2-digit', minute: '2-digit' }
        : short
          ? { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit' }
          : { dateStyle: 'full', timeStyle: 'short' };
    // On a 24-hour clock in every language (Arabic would say « 02:30 م »), as the establishment's timetables are.
    format = new Intl.DateTimeFormat(intlLocale(language), { timeZone, hourCycle: 'h23', ...options });
    WHEN.set(key, format);
  }
  return format.format(new Date(startsAt));
}

/**
 * An appointment's words in the message's language: in French as the appointment wrote them (its
 * kind, what to bring, its clock, its date and time); in another language from the catalogs and
 * Intl, on the establishment's clock. A message queued before these fields existed stays French.
 */
export function appointmentWords(data: Record<string, unknown>, translations: Translations) {
  const language = currentLanguage();
  const kind = data.kind as string | undefined;
  const startsAt = data.startsAt as string | undefined;
  const timeZone = (data.timeZone as string | undefined) ?? 'Europe/Paris';
  if (language === DEFAULT_LANGUAGE || !kind || !startsAt)
    return { kind: data.kindLabel, bring: data.whatToBring, zone: data.zoneNote, when: data.when, whenShort: data.whenShort };
  const t = translations.t(language) as (key: string) => string;
  return {
    kind: t(`notifications:kinds.${kind}`),
    bring: t(`notifications:bring.${kind}`),
    zone: t(`notifications:zone.${timeZone === 'Europe/Paris' ? 'paris' : 'local'}`),
    when: whenIn(language, startsAt, timeZone, false),
    whenShort: whenIn(language, startsAt, timeZone, true),
  };
}
