import { IsOptional, IsString, MaxLength } from 'class-validator';
import { Trim } from '../common/forms';

/** "Mon numéro de téléphone portable": empty removes the number; the number itself is checked by the service. Messages: keys of space.json. */
export class PhoneForm {
  // The first failing rule from the bottom up is shown: a number sent twice (a list) fails IsString.
  @IsOptional()
  @Trim()
  @MaxLength(40, { message: 'space:phone.errors.tooLong' })
  @IsString({ message: 'space:phone.errors.one' })
  phone?: string;
}
