import { Equals, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsDay, IsOnOrAfter, Text, ToDay } from './permit-form.transforms';

/** A no-contact order recorded on the detainee (« interdiction d’entrer en relation »). */
export class NoContactOrderForm {
  @Text()
  @MaxLength(100, { message: 'Le prénom ne doit pas dépasser 100 caractères' })
  @IsString({ message: 'Saisissez le prénom de la personne' })
  personGivenName!: string;

  @Text()
  @MaxLength(100, { message: 'Le nom ne doit pas dépasser 100 caractères' })
  @IsString({ message: 'Saisissez le nom de la personne' })
  personFamilyName!: string;

  @IsOptional()
  @ToDay()
  @IsDay('Saisissez la date de naissance au format JJ/MM/AAAA, ou laissez vide')
  personBirthdate?: string;

  @IsIn(['JUDICIAL_RECORD', 'DECLARED'], { message: 'Indiquez d’où vient l’interdiction' })
  source!: 'JUDICIAL_RECORD' | 'DECLARED';

  @Text()
  @MaxLength(300, { message: 'L’autorité ne doit pas dépasser 300 caractères' })
  @IsString({ message: 'Indiquez l’autorité et la décision (par exemple « JLD de Lyon, ordonnance du 2 mars 2026 »)' })
  authority!: string;

  @IsOptional()
  @ToDay()
  @IsDay('Saisissez la date de fin au format JJ/MM/AAAA, ou laissez vide')
  validUntil?: string;
}

/** The re-examination of a rejected request (recours gracieux): an optional note for the letter. */
export class ReexamineForm {
  @IsOptional()
  @MaxLength(2000, { message: 'Le texte ne doit pas dépasser 2 000 caractères' })
  @IsString({ message: 'Saisissez le texte en une seule fois' })
  note?: string;
}

/** A signature delegation given by the head of establishment. */
export class DelegationForm {
  @IsUUID('all', { message: 'Choisissez l’agent' })
  agentId!: string;

  @ToDay()
  @IsDay('Saisissez la date de début au format JJ/MM/AAAA')
  validFrom!: string;

  @IsOptional()
  @ToDay()
  @IsOnOrAfter('validFrom', { message: 'La date de fin doit être après le début (ou vide)' })
  @IsDay('La date de fin doit être après le début (ou vide)')
  validTo?: string;
}

/** The quality printed under an agent's signature (L212-1). */
export class QualityForm {
  @IsUUID('all', { message: 'Choisissez l’agent' })
  agentId!: string;

  @IsOptional()
  @Text()
  @MaxLength(150, { message: 'La qualité ne doit pas dépasser 150 caractères' })
  @IsString({ message: 'Saisissez la qualité en une seule fois' })
  quality?: string;
}

/** The confirmation of a revocation or of the end of a no-contact order. */
export class ConfirmForm {
  @Equals('oui', { message: 'Cochez la case pour confirmer.' })
  confirm!: 'oui';
}
