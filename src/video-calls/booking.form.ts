import { IsIn, IsUUID, Length, Matches } from 'class-validator';
import { Trim } from '../common/forms';

/** A slot of the grid for a detainee (the slot page's query). */
export class SlotForm {
  @IsUUID('all', { message: 'Choisissez une personne détenue.' })
  detenu!: string;

  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'Choisissez un jour.' })
  jour!: string;

  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'Choisissez un créneau.' })
  debut!: string;
}

/** The slot and contact of a booking, as the read-back and the booking post them. */
export class BookingForm extends SlotForm {
  @IsUUID('all', { message: 'Choisissez le contact à appeler.' })
  contact!: string;
}

/** The cancellation of a booked call: a reason, and the box ticked. */
export class CancelForm {
  @Trim()
  @Length(3, 500, { message: 'Indiquez le motif de l’annulation (3 à 500 caractères).' })
  motif!: string;

  @IsIn(['oui'], { message: 'Cochez la case pour confirmer l’annulation.' })
  confirmation!: string;
}
