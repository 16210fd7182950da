import { Equals, IsIn, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { DOCUMENT_KINDS, type DocumentKind } from './permit-document.entity';
import { IsDay, Text, ToDay } from './permit-form.transforms';
import { ID_DOCUMENT_TYPES, RELATIONSHIPS, type IdDocumentType, type Relationship } from './permit.rules';

// class-validator checks a property's rules from the one written nearest the property upwards, and
// the page shows the first that fails: the rule that the field is given (and is text) sits nearest.

/**
 * The family's forms: one class per step of the request that has fields (steps 5 and 7 send only a
 * file, step 9 only the confirmation), and the document sent back when the establishment asks.
 * Every rule's message is a key of the catalogs (locales/<language>/permits.json): the page shows it
 * in the family's language (msg() in views/partials/forms.njk).
 */

/** Step 1: the detainee, by establishment, numéro d'écrou and family name. */
export class DetaineeStepForm {
  @Text()
  @IsString({ message: 'permits:errors.establishmentRequired' })
  establishment!: string;

  @Text()
  @Matches(/^[0-9A-Za-z]{1,20}$/, { message: 'permits:errors.ecrouInvalid' })
  ecrou!: string;

  @Text()
  @MaxLength(100, { message: 'permits:errors.lastNameTooLong' })
  @IsString({ message: 'permits:errors.lastNameRequired' })
  lastName!: string;
}

/** Step 2: the list of documents to prepare, understood. */
export class DocumentsListStepForm {
  @Equals('oui', { message: 'permits:errors.understoodRequired' })
  understood!: 'oui';
}

const BIRTHDATE = 'permits:errors.birthdateInvalid';
const isForSomeoneElse = (f: VisitorStepForm) => f.forWhom === 'autre';

/** Step 3: the visitor, the account holder (FranceConnect identity) or someone else (typed). */
export class VisitorStepForm {
  @IsIn(['moi', 'autre'], { message: 'permits:errors.forWhomRequired' })
  forWhom!: 'moi' | 'autre';

  @ValidateIf(isForSomeoneElse)
  @Text()
  @MaxLength(100, { message: 'permits:errors.givenNameTooLong' })
  @IsString({ message: 'permits:errors.givenNameRequired' })
  givenName?: string;

  @ValidateIf(isForSomeoneElse)
  @Text()
  @MaxLength(100, { message: 'permits:errors.familyNameTooLong' })
  @IsString({ message: 'permits:errors.familyNameRequired' })
  familyName?: string;

  /** AAAA-MM-JJ once read (typed JJ/MM/AAAA); in the past, checked against the clock by the step. */
  @ValidateIf(isForSomeoneElse)
  @ToDay()
  @IsDay(BIRTHDATE)
  birthdate?: string;
}
export const BIRTHDATE_MESSAGE = BIRTHDATE;

/** Step 4: the relationship with the detainee ("other" says which). */
export class RelationshipStepForm {
  @IsIn(Object.keys(RELATIONSHIPS), { message: 'permits:errors.relationshipRequired' })
  relationship!: Relationship;

  @ValidateIf((f: RelationshipStepForm) => f.relationship === 'OTHER' || f.detail !== undefined)
  @Text()
  @MaxLength(200, { message: 'permits:errors.detailTooLong' })
  @IsString({ message: 'permits:errors.detailRequired' })
  detail?: string;
}

/** Step 6: the identity document's type (the file comes with it). */
export class IdDocumentStepForm {
  @IsIn(Object.keys(ID_DOCUMENT_TYPES), { message: 'permits:errors.idTypeRequired' })
  idType!: IdDocumentType;
}

/** Step 8: an optional comment. */
export class CommentStepForm {
  @IsOptional()
  @MaxLength(1000, { message: 'permits:errors.commentTooLong' })
  @IsString({ message: 'permits:errors.commentOnce' })
  comment?: string;
}

/** A document sent while the establishment waits for documents. */
export class ReplaceDocumentForm {
  @IsIn(DOCUMENT_KINDS, { message: 'permits:errors.documentKindRequired' })
  kind!: DocumentKind;
}
