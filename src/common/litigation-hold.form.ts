import { IsIn, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { EmptyToUndefined, Trim } from './forms';

/**
 * Record ("poser", with the recourse described) or lift ("lever") a litigation hold on a request
 * (docs/retention.md): a permit request's, or a UVF / PF request's.
 */
export class LitigationHoldForm {
  @IsIn(['poser', 'lever'], { message: 'Choisissez de poser ou de lever la conservation.' })
  action!: 'poser' | 'lever';

  @ValidateIf((f: LitigationHoldForm) => f.action === 'poser')
  @Trim()
  @EmptyToUndefined()
  @MaxLength(1000, { message: 'La note ne doit pas dépasser 1 000 caractères' })
  @MinLength(5, { message: 'Décrivez le recours formé (5 caractères au moins).' })
  @IsString({ message: 'Décrivez le recours formé : lequel, reçu quand.' })
  note?: string;
}
