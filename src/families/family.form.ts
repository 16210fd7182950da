import { IsOptional, IsString, MaxLength } from 'class-validator';
import { Trim } from '../common/forms';

/** "Mon numéro de téléphone portable": empty removes the number; the number itself is checked by the service. */
export class PhoneForm {
  @IsOptional()
  @Trim()
  @IsString({ message: 'Saisissez un seul numéro de téléphone portable' })
  @MaxLength(40, { message: 'Le numéro de téléphone ne doit pas dépasser 40 caractères' })
  phone?: string;
}
