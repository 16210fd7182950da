import { type CheerioAPI, load } from 'cheerio/slim';
import type { Response } from 'supertest';

/**
 * A page as a person reads it: parsed HTML, found by `data-testid`, headings, labels and form
 * fields, never by a regular expression over the markup.
 */
export class HtmlPage {
  readonly $: CheerioAPI;

  constructor(readonly html: string) {
    // cheerio/slim: htmlparser2, several times faster than parse5 on P2V's own markup (well formed, every
    // element closed), and none of cheerio's loaders from the network (undici) to load in every test file.
    // html() writes characters as they are (« شارع », « é »), as parse5 did, not as numeric entities.
    this.$ = load(html, { xml: { xmlMode: false, encodeEntities: 'utf8' } });
    // htmlparser2 leaves a <textarea>'s text as written in the markup (&#39;, &amp;): read here as a
    // browser (and parse5) reads it, its character references decoded and no tag in it.
    this.$('textarea').each((_, e) => {
      const field = this.$(e);
      field.text(load(field.text().replace(/</g, '&lt;'), null, false).text());
    });
  }

  /** The elements marked `data-testid="<id>"`. */
  testId(id: string) {
    return this.$(`[data-testid="${id}"]`);
  }

  /** Whether an element marked `data-testid="<id>"` is on the page. */
  has(id: string): boolean {
    return this.testId(id).length > 0;
  }

  /** The text of the element marked `data-testid="<id>"` (spaces collapsed); throws if absent. */
  text(id: string): string {
    const el = this.testId(id);
    if (el.length === 0) throw new Error(`No element with data-testid="${id}" on the page "${this.heading()}"`);
    return squash(el.first().text());
  }

  /** The texts of every element marked `data-testid="<id>"`. */
  texts(id: string): string[] {
    return this.testId(id)
      .toArray()
      .map((e) => squash(this.$(e).text()));
  }

  /** The text of the whole main content (for a sentence anywhere on the page). */
  mainText(): string {
    return squash((this.$('main').length ? this.$('main') : this.$('body')).text());
  }

  /** The page's h1. */
  heading(): string {
    return squash(this.$('h1').first().text());
  }

  /** The <title>. */
  title(): string {
    return squash(this.$('title').text());
  }

  /** The messages of the error summary, in order (empty when the form was accepted). */
  errors(): string[] {
    return this.$('[data-testid="error-summary"] li')
      .toArray()
      .map((e) => squash(this.$(e).text()));
  }

  /** The message shown under a field, or null. */
  fieldError(name: string): string | null {
    const el = this.$(`[id="${name}-erreur"]`);
    return el.length ? squash(el.text()) : null;
  }

  /** The CSRF token of the page's forms. */
  csrf(): string {
    const token = this.$('input[name="_csrf"]').first().attr('value');
    if (!token) throw new Error(`No CSRF token on the page "${this.heading()}"`);
    return token;
  }

  /** The value of a field (input, textarea, selected option, checked radio). */
  value(name: string): string | undefined {
    const field = this.$(`[name="${name}"]`);
    const first = field.first();
    if (first.is('textarea')) return first.text();
    if (first.is('select')) return first.find('option[selected]').attr('value') ?? first.find('option').first().attr('value');
    if (first.is('[type="radio"],[type="checkbox"]')) return field.filter('[checked]').attr('value');
    return first.attr('value');
  }

  /** Every value a field offers: the options of a select, the radios or checkboxes of a name. */
  options(name: string): string[] {
    const field = this.$(`[name="${name}"]`);
    const values = field.first().is('select') ? field.find('option').toArray() : field.toArray();
    return values.map((e) => this.$(e).attr('value') ?? '').filter((v) => v !== '');
  }

  /** The label a person reads for a field value (radio, checkbox or option). */
  labelOf(name: string, value: string): string {
    const input = this.$(`[name="${name}"][value="${value}"]`);
    if (input.is('option')) return squash(input.text());
    const id = input.attr('id');
    return id ? squash(this.$(`label[for="${id}"]`).text()) : '';
  }

  /** The href of the link whose text contains `text`. */
  link(text: string): string {
    const a = this.$('a')
      .toArray()
      .find((e) => squash(this.$(e).text()).includes(text));
    const href = a && this.$(a).attr('href');
    if (!href) throw new Error(`No link "${text}" on the page "${this.heading()}"`);
    return href;
  }

  /** The hidden and filled fields of the form whose action is `action` (or the first form), as a browser would send them. */
  formFields(action?: string): Record<string, string> {
    const form = action ? this.$(`form[action="${action}"]`) : this.$('form').first();
    if (form.length === 0) throw new Error(`No form ${action ?? ''} on the page "${this.heading()}"`);
    const fields: Record<string, string> = {};
    form.find('input[name]').each((_, e) => {
      const input = this.$(e);
      const type = input.attr('type');
      if ((type === 'radio' || type === 'checkbox') && input.attr('checked') === undefined) return;
      if (type === 'file' || type === 'submit') return;
      fields[input.attr('name')!] = input.attr('value') ?? '';
    });
    form.find('textarea[name]').each((_, e) => void (fields[this.$(e).attr('name')!] = this.$(e).text()));
    return fields;
  }
}

function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Parses an HTTP response's page. */
export function page(res: Response | { text: string }): HtmlPage {
  return new HtmlPage(res.text);
}
