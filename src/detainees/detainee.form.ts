import { IsIn, IsOptional, IsString } from 'class-validator';
import { Trim } from '../common/forms';

/** The search box of "Personnes détenues" (`?q=`): one text, trimmed; the list is cut to 100 characters of it. */
export class DetaineeSearchQuery {
  @IsOptional()
  @IsString({ message: 'Saisissez un seul texte à rechercher : nom, prénom ou numéro d’écrou' })
  @Trim()
  q?: string;
}

/** The longest search kept (a longer one is cut, as the search box allows any length). */
export const MAX_SEARCH_LENGTH = 100;

/** « Importer » on a preview: `confirmeSorties=oui` when the administrator confirms a release of more than the share set. */
export class ConfirmImportForm {
  @IsOptional()
  @IsIn(['oui'], { message: 'Cochez la case pour confirmer ces sorties, ou importez un autre fichier.' })
  confirmeSorties?: 'oui';
}
