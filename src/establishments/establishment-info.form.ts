import { Transform } from 'class-transformer';
import { IsOptional, IsString, MaxLength, ValidateBy } from 'class-validator';
import { EmptyToUndefined, Trim } from '../common/forms';
import { phoneToE164 } from '../common/phone';
import { INFO_LIMITS } from './establishment-info.rules';

/** A number already written in E.164 by the field's transform (what libphonenumber-js finds valid). */
const Phone = (message: string) =>
  ValidateBy({
    name: 'phone',
    validator: { validate: (v: unknown) => typeof v === 'string' && phoneToE164(v) === v, defaultMessage: () => message },
  });

const tooLong = (label: string, max: number) => `${label} : ${max} caractères au plus`;
const notText = (label: string) => `${label} : saisissez un texte`;

/**
 * A free text of the practical information, optional: trimmed, empty as not given. The error shown is
 * the first failing rule from the bottom up: IsString last, so a field sent twice reads "saisissez un
 * texte". Decorators apply from the last to the first, as if written one above the other.
 */
function InfoText(label: string, max: number): PropertyDecorator {
  const decorators = [
    EmptyToUndefined(),
    Trim(),
    IsOptional(),
    MaxLength(max, { message: tooLong(label, max) }),
    IsString({ message: notText(label) }),
  ];
  return (target, key) => {
    for (const d of [...decorators].reverse()) d(target, key);
  };
}

/**
 * The same texts in English, Arabic or Spanish, typed by the administrator (the address and the phone
 * are not translated): a field left empty gives families the French text, marked as French.
 */
export class EstablishmentInfoTranslationForm {
  @InfoText('Horaires du parloir', INFO_LIMITS.parloirHours)
  parloirHours?: string;

  @InfoText('Accès et transports', INFO_LIMITS.access)
  access?: string;

  @InfoText('Casiers et consigne', INFO_LIMITS.lockers)
  lockers?: string;

  @InfoText('Ce que les familles peuvent apporter', INFO_LIMITS.whatToBring)
  whatToBring?: string;

  @InfoText('Tenue vestimentaire', INFO_LIMITS.dressCode)
  dressCode?: string;

  @InfoText('Accessibilité', INFO_LIMITS.accessibility)
  accessibility?: string;
}

/**
 * The practical information form in French: every field may be left empty (nothing is printed for it).
 * class-validator checks a class's own fields before those it inherits: errors come in the page's order.
 */
export class EstablishmentInfoForm extends EstablishmentInfoTranslationForm {
  @InfoText('Adresse postale', INFO_LIMITS.address)
  address?: string;

  @EmptyToUndefined()
  @Trim()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? (phoneToE164(value) ?? value) : value))
  @IsOptional()
  @Phone('Téléphone du parloir : un numéro valide, par exemple 03 20 12 34 56')
  parloirPhone?: string;
}
