import { Equals, IsIn, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { DOCUMENT_KINDS, type DocumentKind } from './permit-document.entity';
import { IsDay, Text, ToDay } from './permit-form.transforms';
import { ID_DOCUMENT_TYPES, RELATIONSHIPS, type IdDocumentType, type Relationship } from './permit.rules';

// class-validator checks a property's rules from the one written nearest the property upwards, and
// the page shows the first that fails: the rule that the field is given (and is text) sits nearest.

/**
 * The family's forms: one class per step of the request that has fields (steps 5 and 7 send only a
 * file, step 9 only the confirmation), and the document sent back when the establishment asks.
 * Every rule carries the French message the page shows.
 */

/** Step 1: the detainee, by establishment, numéro d'écrou and family name. */
export class DetaineeStepForm {
  @Text()
  @IsString({ message: 'Choisissez l’établissement' })
  establishment!: string;

  @Text()
  @Matches(/^[0-9A-Za-z]{1,20}$/, { message: 'Saisissez le numéro d’écrou : chiffres et lettres, 20 au plus' })
  ecrou!: string;

  @Text()
  @MaxLength(100, { message: 'Le nom de famille ne doit pas dépasser 100 caractères' })
  @IsString({ message: 'Saisissez le nom de famille de la personne détenue' })
  lastName!: string;
}

/** Step 2: the list of documents to prepare, understood. */
export class DocumentsListStepForm {
  @Equals('oui', { message: 'Cochez « J’ai compris » pour continuer' })
  understood!: 'oui';
}

const BIRTHDATE = 'Saisissez une date de naissance valide, au format JJ/MM/AAAA';
const isForSomeoneElse = (f: VisitorStepForm) => f.forWhom === 'autre';

/** Step 3: the visitor, the account holder (FranceConnect identity) or someone else (typed). */
export class VisitorStepForm {
  @IsIn(['moi', 'autre'], { message: 'Indiquez pour qui est la demande' })
  forWhom!: 'moi' | 'autre';

  @ValidateIf(isForSomeoneElse)
  @Text()
  @MaxLength(100, { message: 'Le prénom ne doit pas dépasser 100 caractères' })
  @IsString({ message: 'Saisissez le prénom du visiteur' })
  givenName?: string;

  @ValidateIf(isForSomeoneElse)
  @Text()
  @MaxLength(100, { message: 'Le nom ne doit pas dépasser 100 caractères' })
  @IsString({ message: 'Saisissez le nom du visiteur' })
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
  @IsIn(Object.keys(RELATIONSHIPS), { message: 'Choisissez votre lien avec la personne détenue' })
  relationship!: Relationship;

  @ValidateIf((f: RelationshipStepForm) => f.relationship === 'OTHER' || f.detail !== undefined)
  @Text()
  @MaxLength(200, { message: 'La précision ne doit pas dépasser 200 caractères' })
  @IsString({ message: 'Précisez le lien' })
  detail?: string;
}

/** Step 6: the identity document's type (the file comes with it). */
export class IdDocumentStepForm {
  @IsIn(Object.keys(ID_DOCUMENT_TYPES), { message: 'Choisissez le type de pièce d’identité' })
  idType!: IdDocumentType;
}

/** Step 8: an optional comment. */
export class CommentStepForm {
  @IsOptional()
  @MaxLength(1000, { message: 'Le commentaire ne doit pas dépasser 1 000 caractères' })
  @IsString({ message: 'Saisissez le commentaire en une seule fois' })
  comment?: string;
}

/** A document sent while the establishment waits for documents. */
export class ReplaceDocumentForm {
  @IsIn(DOCUMENT_KINDS, { message: 'Choisissez le document que vous envoyez' })
  kind!: DocumentKind;
}
