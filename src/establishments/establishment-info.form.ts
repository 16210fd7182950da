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
 * The practical information form: every field may be left empty (nothing is printed for it). The
 * error shown is the first failing rule from the bottom up: IsString last, so a field sent twice
 * reads "saisissez un texte".
 */
export class EstablishmentInfoForm {
  @EmptyToUndefined()
  @Trim()
  @IsOptional()
  @MaxLength(INFO_LIMITS.address, { message: tooLong('Adresse postale', INFO_LIMITS.address) })
  @IsString({ message: notText('Adresse postale') })
  address?: string;

  @EmptyToUndefined()
  @Trim()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? (phoneToE164(value) ?? value) : value))
  @IsOptional()
  @Phone('Téléphone du parloir : un numéro valide, par exemple 03 20 12 34 56')
  parloirPhone?: string;

  @EmptyToUndefined()
  @Trim()
  @IsOptional()
  @MaxLength(INFO_LIMITS.parloirHours, { message: tooLong('Horaires du parloir', INFO_LIMITS.parloirHours) })
  @IsString({ message: notText('Horaires du parloir') })
  parloirHours?: string;

  @EmptyToUndefined()
  @Trim()
  @IsOptional()
  @MaxLength(INFO_LIMITS.access, { message: tooLong('Accès et transports', INFO_LIMITS.access) })
  @IsString({ message: notText('Accès et transports') })
  access?: string;

  @EmptyToUndefined()
  @Trim()
  @IsOptional()
  @MaxLength(INFO_LIMITS.lockers, { message: tooLong('Casiers et consigne', INFO_LIMITS.lockers) })
  @IsString({ message: notText('Casiers et consigne') })
  lockers?: string;

  @EmptyToUndefined()
  @Trim()
  @IsOptional()
  @MaxLength(INFO_LIMITS.whatToBring, { message: tooLong('Ce que les familles peuvent apporter', INFO_LIMITS.whatToBring) })
  @IsString({ message: notText('Ce que les familles peuvent apporter') })
  whatToBring?: string;

  @EmptyToUndefined()
  @Trim()
  @IsOptional()
  @MaxLength(INFO_LIMITS.dressCode, { message: tooLong('Tenue vestimentaire', INFO_LIMITS.dressCode) })
  @IsString({ message: notText('Tenue vestimentaire') })
  dressCode?: string;

  @EmptyToUndefined()
  @Trim()
  @IsOptional()
  @MaxLength(INFO_LIMITS.accessibility, { message: tooLong('Accessibilité', INFO_LIMITS.accessibility) })
  @IsString({ message: notText('Accessibilité') })
  accessibility?: string;
}
