import { Transform } from 'class-transformer';
import { Allow, IsIn, Length, Matches, ValidateBy, ValidateIf } from 'class-validator';
import { EmptyToUndefined, Trim } from '../common/forms';
import { ACCESS_GROUNDS, type AccessDecision, type AccessGround, creditCents, phoneE164 } from './record.rules';

/** The forms of a detainee's video-call record (validated by validateForm, French messages). */

/** A calendar day YYYY-MM-DD that exists (not 31 February). */
export function isDay(v: unknown): v is string {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const [y, m, d] = v.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return y >= 2000 && y <= 2100 && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** A number already written in E.164 by the form's transform (what libphonenumber-js finds valid). */
const Phone = (message: string) =>
  ValidateBy({
    name: 'phone',
    validator: { validate: (v: unknown) => typeof v === 'string' && phoneE164(v) === v, defaultMessage: () => message },
  });

const Day = (message: string) => ValidateBy({ name: 'day', validator: { validate: isDay, defaultMessage: () => message } });

/** The detainees' search: a name or an écrou number. */
export class DetaineeSearchForm {
  @Allow()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().slice(0, 100) : ''))
  q: string = '';
}

/** An authorised contact: a minor only with the consent of the parental-authority holders (who gave it). */
export class ContactForm {
  @Trim()
  @Length(1, 200, { message: 'Nom et prénom du contact : de 1 à 200 caractères' })
  name!: string;

  @Trim()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? (phoneE164(value) ?? value) : value))
  @Phone('Numéro de téléphone : un numéro valide, par exemple 06 12 34 56 78 ou +48 512 345 678')
  phone!: string;

  @Trim()
  @Length(1, 100, { message: 'Lien avec la personne détenue : de 1 à 100 caractères' })
  relationship!: string;

  @Allow()
  @Transform(({ value }: { value: unknown }) => value === 'oui')
  minor!: boolean;

  @Trim()
  @EmptyToUndefined()
  @ValidateIf((o: ContactForm) => o.minor === true)
  @Length(1, 200, {
    message: 'Contact mineur : indiquez qui, parmi les titulaires de l’autorité parentale, a donné son accord',
  })
  consentGivenBy?: string;
}

/** The signed charter: the day it was signed (the scan comes as the file `fichier`). */
export class CharterForm {
  @Trim()
  @Day('Date de signature : une date au format JJ/MM/AAAA')
  signedOn!: string;
}

/** A credit on the phone account, in euros with a comma. */
export class CreditForm {
  @Trim()
  @ValidateBy({
    name: 'credit',
    validator: {
      validate: (v: unknown) => typeof v === 'string' && creditCents(v) !== null,
      defaultMessage: () => 'Montant crédité : un montant en euros de 0,01 à 1 000, par exemple 25,50',
    },
  })
  amount!: string;

  cents(): number {
    return creditCents(this.amount) ?? 0;
  }
}

/** The detainee's plan: one of the establishment's plans (checked against the settings by the service). */
export class PlanForm {
  @Trim()
  @Matches(/^(NONE|[1-9]\d{0,3})$/, { message: 'Choisissez un forfait de la liste' })
  planCode!: string;
}

/** A decision on the detainee's access (the head or a signature delegate). */
export class AccessForm {
  @IsIn(['REFUSE', 'SUSPEND', 'WITHDRAW', 'RESTORE'], { message: 'Choisissez la décision' })
  decision!: AccessDecision;

  @EmptyToUndefined()
  @ValidateIf((o: AccessForm) => o.decision !== 'RESTORE' || o.ground !== undefined)
  @IsIn(Object.keys(ACCESS_GROUNDS), { message: 'Choisissez le motif de la décision' })
  ground?: AccessGround;

  @Trim()
  @EmptyToUndefined()
  @ValidateIf((o: AccessForm) => o.until !== undefined)
  @Day('Fin de la suspension : une date au format JJ/MM/AAAA')
  until?: string;

  @Trim()
  @ValidateIf((o: AccessForm) => o.decision !== 'RESTORE' || (typeof o.motivation === 'string' && o.motivation.length > 2000))
  @Length(10, 2000, { message: 'Motivation : expliquez la décision en quelques mots (10 caractères au moins)' })
  motivation: string = '';

  @Allow()
  confirm?: string;
}

/** A sanction on a phone number (the head or a signature delegate): until a day, or with no end. */
export class SanctionForm {
  @Trim()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? (phoneE164(value) ?? value) : value))
  @Phone('Numéro sanctionné : un numéro valide, par exemple 06 12 34 56 78')
  phone!: string;

  @Trim()
  @EmptyToUndefined()
  @ValidateIf((o: SanctionForm) => o.until !== undefined)
  @Day('Fin de la sanction : une date au format JJ/MM/AAAA, ou rien pour une sanction sans fin')
  until?: string;

  @IsIn(Object.keys(ACCESS_GROUNDS), { message: 'Choisissez le motif de la sanction' })
  ground!: AccessGround;

  @Trim()
  @Length(10, 2000, { message: 'Motivation : expliquez la sanction en quelques mots (10 caractères au moins)' })
  motivation!: string;

  @Allow()
  confirm?: string;
}

/** The search of the establishment's sanctioned numbers: a number or a part of it. */
export class SanctionSearchForm {
  @Allow()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().slice(0, 30) : ''))
  q: string = '';
}

/** The early lifting of a sanction (the head or a signature delegate): motivated. */
export class LiftForm {
  @Trim()
  @Length(10, 2000, { message: 'Motivation de la levée : expliquez-la en quelques mots (10 caractères au moins)' })
  motivation!: string;

  @Allow()
  confirm?: string;
}
