import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { LitigationHoldForm } from '../common/litigation-hold.form';

/** The hold form of the case page: which request of the case, record (with the note) or lift, and the confirmation of a lift. */
export class FamilyVisitLitigationForm extends LitigationHoldForm {
  @IsUUID('all', { message: 'Choisissez la demande concernée par le recours.' })
  requestId!: string;

  @IsOptional()
  @IsIn(['oui'])
  confirme?: 'oui';
}
