import { Transform } from 'class-transformer';
import { Equals, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { EmptyToUndefined, ToList } from '../common/forms';
import { ASKABLE_DOCUMENTS, type AskableDocument } from './missing-pieces';
import { PERMIT_STATUSES, type PermitStatus } from './permit.entity';
import type { RefusalGround } from './permit-request.entity';
import { REFUSAL_GROUND_CODES } from './refusal-grounds';
import { IsDay, IsOnOrAfter, Text, ToDay } from './permit-form.transforms';
import { PermitConditionsForm } from './permit-conditions.form';
import type { QueueFilter } from './permit-instruction.service';
import { RELATIONSHIPS, type Relationship } from './permit.rules';

// class-validator checks a property's rules from the one written nearest the property upwards, and
// the page shows the first that fails: the rule that the field is given (and is text) sits nearest.

/** The establishment's forms (greffe and head of establishment), with the French messages the pages show. */

const QUEUE_FILTERS: readonly QueueFilter[] = ['', 'SUBMITTED', 'INCOMPLETE', 'READY', 'decidees'];

/**
 * The work queue's search (`?filtre=&q=&page=`): a list to read, never an error page, so a value
 * that makes no sense is simply not applied (unknown filter, a search sent twice).
 */
export function queueQuery(query: Record<string, unknown>): { filter: QueueFilter; search: string } {
  const filter = QUEUE_FILTERS.find((f) => f === query.filtre) ?? '';
  const search = typeof query.q === 'string' ? query.q.trim().slice(0, 100) : '';
  return { filter, search };
}

/** A request to the family for the missing pieces: the kinds, a message, the date they are due (checked by the service). */
export class AskFamilyForm {
  @ToList()
  @IsIn(Object.keys(ASKABLE_DOCUMENTS), { each: true, message: 'Choisissez les documents dans la liste.' })
  kinds: AskableDocument[] = [];

  @IsOptional()
  @MaxLength(2000, { message: 'Le message ne doit pas dépasser 2 000 caractères' })
  @IsString({ message: 'Expliquez à la famille ce qu’elle doit envoyer (10 caractères au moins).' })
  message?: string;

  @IsOptional()
  @ToDay()
  @IsDay('Saisissez la date limite au format JJ/MM/AAAA')
  due?: string;
}

/** The review of one document. */
export class ReviewDocumentForm {
  @IsIn(['ACCEPTED', 'TO_REPLACE'], { message: 'Choisissez « accepté » ou « à remplacer ».' })
  review!: 'ACCEPTED' | 'TO_REPLACE';

  @IsOptional()
  @MaxLength(500, { message: 'Le motif ne doit pas dépasser 500 caractères' })
  @IsString({ message: 'Indiquez pourquoi le document doit être remplacé.' })
  reason?: string;
}

/** An internal note. */
export class NoteForm {
  @MaxLength(2000, { message: 'La note ne doit pas dépasser 2 000 caractères' })
  @IsString({ message: 'Écrivez la note.' })
  note!: string;
}

/** The decision: a refusal has a legal ground and a motivation in fact (checked by the service). */
export class DecisionForm {
  @IsIn(['GRANT', 'REFUSE'], { message: 'Choisissez d’accorder ou de refuser le permis' })
  decision!: 'GRANT' | 'REFUSE';

  @ValidateIf((f: DecisionForm) => f.decision === 'REFUSE')
  @IsIn(REFUSAL_GROUND_CODES, { message: 'Choisissez le motif légal du refus.' })
  ground?: RefusalGround;

  @IsOptional()
  @MaxLength(5000, { message: 'La motivation ne doit pas dépasser 5 000 caractères' })
  @IsString({ message: 'Saisissez la motivation en une seule fois' })
  motivation?: string;
}

/** A permit issued on paper, or by the magistrate for a prévenu, recorded by the greffe. Dates read as AAAA-MM-JJ. */
export class RecordPermitForm extends PermitConditionsForm {
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @Matches(/^[0-9A-Z]{1,20}$/, { message: 'Saisissez le numéro d’écrou de la personne détenue' })
  ecrou!: string;

  @Text()
  @MaxLength(100, { message: 'Le prénom ne doit pas dépasser 100 caractères' })
  @IsString({ message: 'Saisissez le prénom du visiteur' })
  givenName!: string;

  @Text()
  @MaxLength(100, { message: 'Le nom ne doit pas dépasser 100 caractères' })
  @IsString({ message: 'Saisissez le nom du visiteur' })
  familyName!: string;

  @ToDay()
  @IsDay('Saisissez une date de naissance valide, au format JJ/MM/AAAA')
  birthdate!: string;

  @IsIn(Object.keys(RELATIONSHIPS), { message: 'Choisissez le lien avec la personne détenue' })
  relationship!: Relationship;

  @IsIn(['PAPER', 'MAGISTRATE'], { message: 'Indiquez qui a délivré le permis' })
  origin!: 'PAPER' | 'MAGISTRATE';

  @ToDay()
  @IsDay('Saisissez la date de début de validité, au format JJ/MM/AAAA')
  validFrom!: string;

  @IsOptional()
  @ToDay()
  @IsOnOrAfter('validFrom', { message: 'La fin de validité doit être une date après le début (ou vide pour un permis permanent)' })
  @IsDay('La fin de validité doit être une date après le début (ou vide pour un permis permanent)')
  validTo?: string;

  @Text()
  @IsOptional()
  @MaxLength(200, { message: 'L’autorité ne doit pas dépasser 200 caractères' })
  @IsString({ message: 'Saisissez l’autorité en une seule fois' })
  issuingAuthority?: string;

  @Text()
  @IsOptional()
  @MaxLength(100, { message: 'La référence ne doit pas dépasser 100 caractères' })
  @IsString({ message: 'Saisissez la référence en une seule fois' })
  paperReference?: string;
}

/** Suspension, withdrawal (confirmed) or reactivation of a permit. */
export class PermitStatusForm {
  @IsIn(PERMIT_STATUSES, { message: 'Choisissez l’action.' })
  status!: PermitStatus;

  @IsOptional()
  @MaxLength(2000, { message: 'Le motif ne doit pas dépasser 2 000 caractères' })
  @IsString({ message: 'Saisissez le motif en une seule fois' })
  reason?: string;

  @ValidateIf((f: PermitStatusForm) => f.status === 'WITHDRAWN')
  @Equals('oui', { message: 'Cochez la case pour confirmer le retrait définitif.' })
  confirm?: 'oui';
}

/** The consent of the parental-authority holders for a minor of 16 or more to visit without an adult: a document of the request, or the paper one described. */
export class UnaccompaniedConsentForm {
  @EmptyToUndefined()
  @IsOptional()
  @IsUUID('all', { message: 'Choisissez l’autorisation dans la liste' })
  documentId?: string;

  @Text()
  @IsOptional()
  @IsString({ message: 'Décrivez l’autorisation en une seule fois' })
  @MinLength(5, {
    message: 'Décrivez l’autorisation reçue (5 caractères au moins), par exemple : « autorisation signée des deux parents »',
  })
  @MaxLength(500, { message: 'La description ne doit pas dépasser 500 caractères' })
  note?: string;
}

export class WithdrawConsentForm {
  @Equals('oui', { message: 'Cochez la case pour confirmer le retrait de l’autorisation.' })
  confirm!: 'oui';
}
