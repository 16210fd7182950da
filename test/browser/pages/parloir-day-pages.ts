import { AbstractPage } from './abstract-page';

/** The other pages of the visiting rooms' day, reached from the day's menu. */

export class ParloirMovementsPage extends AbstractPage {
  protected readonly heading = /^Mouvements du /;
}

/** The printable list (same heading as the day's list: it is the same day, on paper). */
export class ParloirPrintPage extends AbstractPage {
  protected readonly heading = /^Parloir du /;
}

export class ParloirReviewPage extends AbstractPage {
  protected readonly heading = /^Visites à revoir/;
}

export class ParloirImportPage extends AbstractPage {
  protected readonly heading = /^Importer la liste des visites de GENESIS/;
}

export class ParloirStatisticsPage extends AbstractPage {
  protected readonly heading = /^Statistiques du parloir/;
}
