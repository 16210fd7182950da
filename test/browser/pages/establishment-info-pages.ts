import { AbstractPage } from './abstract-page';
import { navigating } from './home-page';

/** An establishment's public page of practical information (no sign-in). */
export class PracticalInfoPage extends AbstractPage {
  protected readonly heading: string | RegExp = /^(Informations pratiques|Practical information|معلومات عملية|Información práctica)$/;

  static async open(page: AbstractPage['page'], violations: string[], baseUrl: string, code: string): Promise<PracticalInfoPage> {
    await page.goto(`${baseUrl}/etablissements/${code}/infos-pratiques`);
    return PracticalInfoPage.on(page, violations);
  }

  /** The sections' headings, in order. */
  async sections(): Promise<string[]> {
    return (await this.page.locator('main h2').allInnerTexts()).map((t) => t.trim());
  }

  /** The parloir's phone link: its text and where it calls. */
  async phone(): Promise<{ text: string; href: string | null }> {
    const link = this.testId('info-phone').getByRole('link');
    return { text: (await link.innerText()).trim(), href: await link.getAttribute('href') };
  }

  /** Nothing is wider than the screen: no sideways scrolling. */
  fitsWidth(): Promise<boolean> {
    return this.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  }
}

/** The administrator's (or head's) form of the establishment's practical information. */
export class EditPracticalInfoPage extends AbstractPage {
  protected readonly heading = /^Informations pratiques — /;

  static async open(page: AbstractPage['page'], violations: string[], baseUrl: string, code: string): Promise<EditPracticalInfoPage> {
    await page.goto(`${baseUrl}/etablissements/${code}/infos-pratiques/modifier`);
    return EditPracticalInfoPage.on(page, violations);
  }

  /** Fills the fields given (by their labels) and saves: this page again, with its confirmation or its errors. */
  async save(fields: Record<string, string>): Promise<EditPracticalInfoPage> {
    for (const [label, value] of Object.entries(fields)) await this.page.getByLabel(label).fill(value);
    await navigating(this.page, () => this.page.getByRole('button', { name: 'Enregistrer' }).click());
    return EditPracticalInfoPage.on(this.page, this.violations);
  }

  async errorSummary(): Promise<string> {
    return this.testId('error-summary').innerText();
  }

  async confirmation(): Promise<string> {
    return this.testId('done').innerText();
  }

  /** Opens the form of the translation into a language, by its link's name (« Traduire en arabe »). */
  async translate(link: string): Promise<TranslateInfoPage> {
    await this.load(this.page.getByRole('link', { name: link }));
    return TranslateInfoPage.on(this.page, this.violations);
  }

  /** The link to the public page: where it leads. */
  publicPage(): Promise<string | null> {
    return this.testId('public-page').getAttribute('href');
  }
}

/** The form of the practical information's translation into one language, the French above each field. */
export class TranslateInfoPage extends AbstractPage {
  protected readonly heading = /^Informations pratiques en /;

  /** Fills the fields given (by their labels) and saves: this page again, with its confirmation or its errors. */
  async save(fields: Record<string, string>): Promise<TranslateInfoPage> {
    for (const [label, value] of Object.entries(fields)) await this.page.getByLabel(label).fill(value);
    await this.load(this.page.getByRole('button', { name: 'Enregistrer la traduction' }));
    return TranslateInfoPage.on(this.page, this.violations);
  }

  async confirmation(): Promise<string> {
    return this.testId('done').innerText();
  }
}
