import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateIf } from 'class-validator';
import { EmptyToUndefined, ToList, Trim } from '../common/forms';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** What both a staff entry and an online request say of the wished visit. */
class WishedVisitForm {
  @IsIn(['UVF', 'PF'], { message: 'familyVisits:errors.kindRequired' })
  kind!: 'UVF' | 'PF';

  @Matches(DAY, { message: 'familyVisits:errors.wishedFromFormat' })
  wishedFrom!: string;

  @Matches(DAY, { message: 'familyVisits:errors.wishedToFormat' })
  wishedTo!: string;

  @Type(() => Number)
  @IsInt({ message: 'familyVisits:errors.hoursRequired' })
  hours!: number;
}

/** Staff: the detainee's own request, received on a date. */
export class DetaineeRequestForm extends WishedVisitForm {
  @Trim()
  @Matches(/^[A-Za-z0-9]{1,20}$/, { message: 'Saisissez le numéro d’écrou : chiffres et lettres, 20 au plus.' })
  ecrou!: string;

  @Matches(DAY, { message: 'Saisissez la date de réception au format AAAA-MM-JJ.' })
  receivedOn!: string;

  /** When cases wait for the detainee's request: the one it joins (its id), or NEW for a new case. */
  @IsOptional()
  @EmptyToUndefined()
  @Matches(/^(NEW|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/, {
    message: 'Choisissez le dossier que la demande rejoint, ou un nouveau dossier.',
  })
  caseChoice?: string;
}

/** Staff: a visitor's request from a letter, an e-mail or at the desk. */
export class VisitorRequestForm {
  @IsUUID('4', { message: 'Choisissez le permis de visite du visiteur.' })
  permitId!: string;

  @Matches(DAY, { message: 'Saisissez la date de réception au format AAAA-MM-JJ.' })
  receivedOn!: string;

  @IsIn(['LETTER', 'EMAIL', 'IN_PERSON'], { message: 'Choisissez comment la demande est arrivée.' })
  channel!: 'LETTER' | 'EMAIL' | 'IN_PERSON';

  @IsOptional()
  @EmptyToUndefined()
  @IsUUID('4', { message: 'Choisissez l’adulte qui accompagne le visiteur mineur.' })
  accompaniedBy?: string;

  /** The visitor's own wished period and duration, when they differ from the case's (the case's otherwise). */
  @IsOptional()
  @EmptyToUndefined()
  @Matches(DAY, { message: 'Saisissez le premier jour souhaité au format AAAA-MM-JJ.' })
  wishedFrom?: string;

  @IsOptional()
  @EmptyToUndefined()
  @Matches(DAY, { message: 'Saisissez le dernier jour souhaité au format AAAA-MM-JJ.' })
  wishedTo?: string;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt({ message: 'Indiquez la durée souhaitée en heures entières.' })
  hours?: number;
}

/** Family online: the wished visit and who comes (permits); each minor's companion is read apart (accompagnant-<permit>). */
export class FamilyRequestForm extends WishedVisitForm {
  @ToList()
  @IsUUID('4', { each: true, message: 'familyVisits:errors.visitorsRequired' })
  visitors!: string[];
}

/** A document of a request: the parental-authority consent of a minor, or the signed rules. */
export class RequestDocumentForm {
  @IsIn(['PARENTAL_CONSENT', 'RULES_ACKNOWLEDGEMENT'], { message: 'familyVisits:errors.documentKind' })
  kind!: 'PARENTAL_CONSENT' | 'RULES_ACKNOWLEDGEMENT';

  @ValidateIf((f: RequestDocumentForm) => f.kind === 'PARENTAL_CONSENT')
  @Trim()
  @MaxLength(200, { message: 'familyVisits:errors.nameTooLong' })
  @Matches(/\S/, { message: 'familyVisits:errors.consentGivenBy' })
  @IsString({ message: 'familyVisits:errors.consentGivenBy' })
  consentGivenBy?: string;

  @ValidateIf((f: RequestDocumentForm) => f.kind === 'PARENTAL_CONSENT')
  @IsIn(['BOTH_PARENTS', 'SOLE_HOLDER', 'DELEGATE', 'GUARDIAN'], { message: 'familyVisits:errors.consentCapacity' })
  consentCapacity?: 'BOTH_PARENTS' | 'SOLE_HOLDER' | 'DELEGATE' | 'GUARDIAN';

  /** The adult the consent names as the one who will accompany the child (note DAP 2014). */
  @ValidateIf((f: RequestDocumentForm) => f.kind === 'PARENTAL_CONSENT')
  @Trim()
  @MaxLength(200, { message: 'familyVisits:errors.nameTooLong' })
  @Matches(/\S/, { message: 'familyVisits:errors.consentCompanion' })
  @IsString({ message: 'familyVisits:errors.consentCompanion' })
  consentCompanion?: string;

  @IsOptional()
  @EmptyToUndefined()
  @IsString({ message: 'familyVisits:errors.exitTimeFormat' })
  childExitTime?: string;

  @IsOptional()
  @EmptyToUndefined()
  @Trim()
  @MaxLength(200, { message: 'familyVisits:errors.nameTooLong' })
  @IsString({ message: 'familyVisits:errors.childCarer' })
  childCarer?: string;
}

/** Staff: a document received by post or at the desk, for one request of the case. */
export class StaffRequestDocumentForm extends RequestDocumentForm {
  @IsUUID('4', { message: 'Choisissez la demande que le document concerne.' })
  requestId!: string;
}

/** Staff: the withdrawal of a request, received by letter, e-mail or at the desk, on its date. */
export class WithdrawalForm {
  @Matches(DAY, { message: 'Saisissez la date du retrait au format AAAA-MM-JJ.' })
  withdrawnOn!: string;
}
