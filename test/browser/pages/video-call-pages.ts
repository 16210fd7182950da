import type { Locator } from 'playwright-core';
import { AbstractPage } from './abstract-page';

/** The activities officer's video-call pages (« Visio »), at the establishment's tablet. */
abstract class VideoCallPage extends AbstractPage {
  /** No sideways scrolling: the page fits the viewport's width. */
  fitsWidth(): Promise<boolean> {
    return this.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  }
}

export class VideoCallDetaineesPage extends VideoCallPage {
  protected readonly heading = /^Visio : personnes détenues — /;

  async search(text: string): Promise<void> {
    await this.page.getByLabel('Nom ou numéro d’écrou').fill(text);
    await this.load(this.page.getByRole('button', { name: 'Rechercher' }));
  }

  async open(): Promise<void> {
    await this.load(this.testId('detainee').getByRole('link', { name: 'Ouvrir le dossier' }));
  }
}

export class VideoCallSanctionsPage extends VideoCallPage {
  protected readonly heading = /^Visio : numéros sanctionnés — /;

  rows(): Promise<string[]> {
    return this.testId('sanction').allInnerTexts();
  }
}

export class VideoCallRecordPage extends VideoCallPage {
  protected readonly heading = /^Visio : .+ — écrou /;

  contacts(): Promise<string[]> {
    return this.testId('contact').allInnerTexts();
  }

  async book(): Promise<void> {
    await this.load(this.testId('book-link'));
  }
}

export class VideoCallGridPage extends VideoCallPage {
  protected readonly heading = /^Visio : réserver un appel — /;

  async nextWeek(): Promise<void> {
    await this.load(this.page.getByRole('link', { name: 'Semaine suivante' }));
  }

  cell(day: string, start: string): Locator {
    return this.testId(`cell-${day}-${start}`);
  }

  async choose(day: string, start: string): Promise<void> {
    await this.load(this.cell(day, start).getByRole('link'));
  }
}

export class VideoCallSlotPage extends VideoCallPage {
  protected readonly heading = /^Appel du /;

  async readBack(contact: string): Promise<void> {
    await this.page.getByLabel(contact).check({ force: true });
    await this.load(this.page.getByRole('button', { name: 'Relire avant de réserver' }));
  }
}

export class VideoCallReadBackPage extends VideoCallPage {
  protected readonly heading = 'Confirmer la réservation ?';

  readBack(): Promise<string> {
    return this.testId('read-back').innerText();
  }

  async confirm(): Promise<void> {
    await this.load(this.page.getByRole('button', { name: 'Oui, réserver' }));
  }
}

export class VideoCallPageOfCall extends VideoCallPage {
  protected readonly heading = /^Appel du /;

  done(): Promise<string> {
    return this.testId('done').innerText();
  }

  async dayList(): Promise<void> {
    await this.load(this.page.getByRole('link', { name: 'Appels de ce jour' }));
  }
}

export class VideoCallDayPage extends VideoCallPage {
  protected readonly heading = /^Visio : appels du /;

  rows(): Promise<string[]> {
    return this.testId('day-row').allInnerTexts();
  }

  codeMissing(): Promise<string[]> {
    return this.testId('code-missing').allInnerTexts();
  }

  async sendCode(): Promise<void> {
    await this.load(this.testId('send-code').first());
  }

  async callsToClose(): Promise<void> {
    await this.load(this.page.getByRole('link', { name: 'Voir les appels à clôturer' }));
  }
}

export class VideoCallsToClosePage extends VideoCallPage {
  protected readonly heading = /^Visio : appels à clôturer — /;

  rows(): Promise<string[]> {
    return this.testId('to-close-row').allInnerTexts();
  }

  async recordOutcome(): Promise<void> {
    await this.load(this.testId('to-close-outcome').first());
  }
}

export class VideoCallOutcomePage extends VideoCallPage {
  protected readonly heading = /^Bilan de l’appel du /;
}

export class VideoCallSettingsPage extends VideoCallPage {
  protected readonly heading = /^Visio : paramètres — /;

  devices(): Promise<string[]> {
    return this.testId('device').allInnerTexts();
  }
}
