import { join } from 'node:path';
import nunjucks from 'nunjucks';
import { projectRoot } from '../common/project-root';
import { registerFilters } from '../common/nunjucks-filters';
import type { Channel } from '../config/reminder-offsets';

export interface RenderedMessage {
  subject: string | null;
  text: string;
  html: string | null;
}

/**
 * Renders the French templates of views/notifications/: `<template>.subject.njk`, `.html.njk`
 * (autoescaped) and `.txt.njk` for e-mail, `<template>.sms.njk` for SMS.
 */
export class NotificationRenderer {
  private readonly html: nunjucks.Environment;
  private readonly text: nunjucks.Environment;

  constructor(private readonly context: { appUrl: string }) {
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
    }
  }

  render(channel: Channel, template: string, data: Record<string, unknown>): RenderedMessage {
    if (!/^[a-z0-9-]+$/.test(template)) throw new Error(`Bad template name ${template}`);
    if (channel === 'SMS') return { subject: null, text: this.text.render(`${template}.sms.njk`, data).trim(), html: null };
    return {
      subject: this.text.render(`${template}.subject.njk`, data).trim(),
      text: this.text.render(`${template}.txt.njk`, data).trim() + '\n',
      html: this.html.render(`${template}.html.njk`, data),
    };
  }
}
