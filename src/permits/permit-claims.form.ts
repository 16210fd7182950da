import { Equals, IsEmail, IsString, IsUUID, MaxLength } from 'class-validator';
import { Text } from './permit-form.transforms';

/** « Lier un permis papier »: the code printed on the permit and on the letter (dashes, spaces and case aside); a family's form (catalog keys). */
export class ClaimForm {
  @Text()
  @MaxLength(40, { message: 'permits:errors.claimCodeRequired' })
  @IsString({ message: 'permits:errors.claimCodeRequired' })
  code!: string;
}

/** The greffe links a permit to the account of the person present: the account's e-mail, identity document checked. */
export class LinkAccountForm {
  @Text()
  @MaxLength(254, { message: 'Saisissez l’adresse électronique du compte P2V, par exemple nom@exemple.fr' })
  @IsEmail({}, { message: 'Saisissez l’adresse électronique du compte P2V, par exemple nom@exemple.fr' })
  @IsString({ message: 'Saisissez l’adresse électronique du compte P2V, par exemple nom@exemple.fr' })
  email!: string;

  @Equals('oui', { message: 'Cochez la case : vérifiez d’abord la pièce d’identité de la personne présente.' })
  idChecked!: 'oui';
}

/** The confirmation of the link, on the page that shows the account holder's identity. */
export class LinkConfirmForm {
  @IsUUID('all', { message: 'Compte introuvable.' })
  accountId!: string;

  /** The e-mail typed, posted again: the service checks it still names this account. */
  @Text()
  @MaxLength(254, { message: 'Saisissez l’adresse électronique du compte P2V, par exemple nom@exemple.fr' })
  @IsEmail({}, { message: 'Saisissez l’adresse électronique du compte P2V, par exemple nom@exemple.fr' })
  @IsString({ message: 'Saisissez l’adresse électronique du compte P2V, par exemple nom@exemple.fr' })
  email!: string;

  @Equals('oui', { message: 'Cochez la case : vérifiez d’abord la pièce d’identité de la personne présente.' })
  idChecked!: 'oui';
}
