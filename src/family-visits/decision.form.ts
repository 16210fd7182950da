import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { parseDay } from '../common/dates';
import type { FamilyVisitRefusalGround } from './family-visit-request.entity';
import type { AuthorisationFollowup } from './decision-authorisation.rules';
import type { MagistrateAnswer } from './decision.rules';

/** The forms of the decisions on UVF / PF requests, with the French messages the pages show. */

const Text = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() || undefined : value));
const ToInt = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\s*\d{1,3}\s*$/.test(value) ? Number(value) : value));
/** A number typed, or undefined when left empty. */
const ToOptionalInt = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? (/^\s*\d{1,3}\s*$/.test(value) ? Number(value) : value.trim() || undefined) : value,
  );
const ToDay = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? (value.trim() ? (parseDay(value) ?? 'not-a-day') : undefined) : value,
  );

const isGrant = (o: DecisionForm) => o.decision === 'GRANT';
const isRefusal = (o: DecisionForm) => o.decision === 'REFUSE';

/** The head's decision on one request: authorise with a duration, or refuse with the facts, a ground and the motivation. */
export class DecisionForm {
  @IsIn(['GRANT', 'REFUSE'], { message: 'Choisissez d’autoriser ou de refuser la visite.' })
  decision!: 'GRANT' | 'REFUSE';

  @ToInt()
  @ValidateIf(isGrant)
  @Min(1, { message: 'Indiquez la durée de la visite en heures.' })
  @Max(72, { message: 'Une visite dure au plus 72 heures.' })
  @IsInt({ message: 'Indiquez la durée de la visite en heures entières.' })
  hours?: number;

  @ToInt()
  @IsOptional()
  @IsIn([1, 2], { message: 'Choisissez un créneau ou deux créneaux cumulés.' })
  slots?: 1 | 2;

  @ValidateIf(isRefusal)
  @IsIn(['SECURITY', 'GOOD_ORDER', 'CRIME_PREVENTION', 'ARCHITECTURE', 'CHILD_INTEREST'], { message: 'Choisissez le motif du refus.' })
  ground?: FamilyVisitRefusalGround;

  @Text()
  @ValidateIf(isRefusal)
  @MaxLength(4000, { message: 'Les faits ne doivent pas dépasser 4 000 caractères.' })
  @IsString({ message: 'Décrivez les faits qui fondent le refus.' })
  facts?: string;

  @Text()
  @ValidateIf(isRefusal)
  @MaxLength(4000, { message: 'La motivation ne doit pas dépasser 4 000 caractères.' })
  @IsString({ message: 'Expliquez en quoi ces faits justifient le refus.' })
  motivation?: string;

  /** « oui » once the decision was read back on the confirmation page. */
  @IsOptional()
  @IsIn(['oui'])
  confirme?: 'oui';
}

/** The transmission of a prévenu's case to the magistrate in charge. */
export class ReferralForm {
  @Text()
  @MaxLength(300, { message: 'Le magistrat ne doit pas dépasser 300 caractères.' })
  @IsString({ message: 'Indiquez le magistrat en charge du dossier (nom, fonction, juridiction).' })
  magistrate!: string;

  @Text()
  @MaxLength(4000, { message: 'L’avis ne doit pas dépasser 4 000 caractères.' })
  @IsString({ message: 'Rédigez l’avis du chef d’établissement.' })
  opinion!: string;

  @ToInt()
  @Min(1, { message: 'Proposez une durée de visite en heures.' })
  @Max(72, { message: 'Une visite dure au plus 72 heures.' })
  @IsInt({ message: 'Proposez une durée de visite en heures entières.' })
  proposedHours!: number;

  /** PF: one slot or two cumulated, fixed by the head (empty: one); ignored for a UVF. */
  @ToInt()
  @IsOptional()
  @IsIn([1, 2], { message: 'Choisissez un créneau ou deux créneaux cumulés.' })
  proposedSlots?: 1 | 2;

  /** « oui » once the transmission was read back on the confirmation page. */
  @IsOptional()
  @IsIn(['oui'])
  confirme?: 'oui';
}

/** The magistrate's answer on one referred request, as it came back. */
export class MagistrateAnswerForm {
  @IsUUID('4', { message: 'Choisissez la demande concernée.' })
  @IsString({ message: 'Choisissez la demande concernée.' })
  requestId!: string;

  @IsIn(['PERMANENT', 'TEMPORARY', 'REFUSED'], { message: 'Choisissez la réponse du magistrat.' })
  answer!: MagistrateAnswer;

  @ToDay()
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'Saisissez la date de fin au format JJ/MM/AAAA.' })
  until?: string;

  @Text()
  @IsOptional()
  @MaxLength(4000, { message: 'Les motifs ne doivent pas dépasser 4 000 caractères.' })
  @IsString()
  reasons?: string;

  /** UVF: the duration the magistrate authorised (empty: the one proposed); ignored for a refusal. A PF's is the head's: none is taken. */
  @ToOptionalInt()
  @ValidateIf((o: MagistrateAnswerForm) => o.answer !== 'REFUSED' && o.hours !== undefined)
  @Min(1, { message: 'Indiquez la durée de la visite autorisée en heures.' })
  @Max(72, { message: 'Une visite dure au plus 72 heures.' })
  @IsInt({ message: 'Indiquez la durée de la visite autorisée en heures entières.' })
  hours?: number;

  /** Not on the form (a PF's slots are the head's): only checked against the head's when posted. */
  @ToInt()
  @IsOptional()
  @IsIn([1, 2], { message: 'Choisissez un créneau ou deux créneaux cumulés.' })
  slots?: 1 | 2;

  /** « oui » once the answer was read back on the confirmation page. */
  @IsOptional()
  @IsIn(['oui'])
  confirme?: 'oui';
}

/** The magistrate's follow-up on his authorisation after an incident: maintained, or withdrawn, with the date of his decision. */
export class FollowupForm {
  @IsUUID('4', { message: 'Choisissez l’autorisation concernée.' })
  @IsString({ message: 'Choisissez l’autorisation concernée.' })
  requestId!: string;

  @IsIn(['MAINTAINED', 'WITHDRAWN'], { message: 'Choisissez la décision du magistrat : maintien ou annulation de l’autorisation.' })
  outcome!: AuthorisationFollowup;

  @ToDay()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'Saisissez la date de la décision du magistrat au format JJ/MM/AAAA.' })
  @IsString({ message: 'Indiquez la date de la décision du magistrat.' })
  on!: string;

  /** « oui » once the follow-up was read back on the confirmation page. */
  @IsOptional()
  @IsIn(['oui'])
  confirme?: 'oui';
}
