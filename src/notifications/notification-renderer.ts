import { join } from 'node:path';
import nunjucks from 'nunjucks';
import { currentLanguage, DEFAULT_LANGUAGE, direction, inLanguage, intlLocale, type Language, Translations } from '../common/i18n';
import { projectRoot } from '../common/project-root';
import { registerFilters } from '../common/nunjucks-filters';
import type { Channel } from '../config/reminder-offsets';

export interface RenderedMessage {
  subject: string | null;
  text: string;
  html: string | null;
}

/**
 * The messages written in each language of the family side (issue #16); the others are still
 * French only, and are sent in French whatever the recipient's language, never half translated.
 */
export const TRANSLATED_TEMPLATES = new Set(['appointment-confirmation']);

/**
 * Renders the templates of views/notifications/: `<template>.subject.njk`, `.html.njk`
 * (autoescaped) and `.txt.njk` for e-mail, `<template>.sms.njk` for SMS, in the recipient's
 * language when the template is translated (locales/<language>/notifications.json), in French otherwise.
 */
export class NotificationRenderer {
  private readonly html: nunjucks.Environment;
  private readonly text: nunjucks.Environment;

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
      env.addGlobal('appointmentWords', function (this: { ctx: Record<string, unknown> }) {
        return appointmentWords(this.ctx, translations);
      });
    }
  }

  render(channel: Channel, template: string, data: Record<string, unknown>, language: Language = DEFAULT_LANGUAGE): RenderedMessage {
    if (!/^[a-z0-9-]+$/.test(template)) throw new Error(`Bad template name ${template}`);
    const lang = TRANSLATED_TEMPLATES.has(template) ? language : DEFAULT_LANGUAGE;
    const context = { ...data, lang, dir: direction(lang) };
    return inLanguage(lang, () => {
      if (channel === 'SMS') return { subject: null, text: this.text.render(`${template}.sms.njk`, context).trim(), html: null };
      return {
        subject: this.text.render(`${template}.subject.njk`, context).trim(),
        text: this.text.render(`${template}.txt.njk`, context).trim() + '\n',
        html: this.html.render(`${template}.html.njk`, context),
      };
    });
  }
}

const WHEN = new Map<string, Intl.DateTimeFormat>();

function whenIn(language: Language, startsAt: string, timeZone: string, short: boolean): string {
  const key = `${language} ${timeZone} ${short}`;
  let format = WHEN.get(key);
  if (!format) {
    const options: Intl.DateTimeFormatOptions = short
      ? { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit' }
      : { dateStyle: 'full', timeStyle: 'short' };
    format = new Intl.DateTimeFormat(intlLocale(language), { timeZone, ...options });
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
