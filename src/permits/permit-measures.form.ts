import { Equals, IsIn, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { IsDay, Text, ToDay } from './permit-form.transforms';

// The rule that the field is given sits nearest the property: the page shows the first that fails.

/** A suspension or a withdrawal, intended (the holder may answer) or, in urgency, taken at once. */
export class ProposeMeasureForm {
  @IsIn(['SUSPENSION', 'WITHDRAWAL'], { message: 'Choisissez la mesure envisagée.' })
  kind!: 'SUSPENSION' | 'WITHDRAWAL';

  @Text()
  @MaxLength(2000, { message: 'Les motifs ne doivent pas dépasser 2 000 caractères' })
  @IsString({ message: 'Une suspension ou un retrait doit être motivé (10 caractères au moins).' })
  grounds!: string;

  @IsOptional()
  @ToDay()
  @IsDay('Saisissez la fin de la suspension au format JJ/MM/AAAA, ou laissez vide')
  suspendedUntil?: string;

  @IsOptional()
  @IsIn(['oui'], { message: 'Cochez la case ou laissez-la vide.' })
  urgent?: 'oui';

  @ValidateIf((f: ProposeMeasureForm) => f.urgent === 'oui')
  @Text()
  @MaxLength(2000, { message: 'La justification ne doit pas dépasser 2 000 caractères' })
  @IsString({ message: 'Justifiez l’urgence (10 caractères au moins).' })
  urgencyJustification?: string;

  @ValidateIf((f: ProposeMeasureForm) => f.urgent === 'oui')
  @Equals('oui', { message: 'Cochez la case pour confirmer la mesure immédiate, sans procédure contradictoire.' })
  confirm?: 'oui';
}

/** Enacting an intended measure (confirmed). */
export class EnactMeasureForm {
  @Equals('oui', { message: 'Cochez la case pour confirmer la décision.' })
  confirm!: 'oui';
}

/** Putting a magistrate's permit on hold and referring to the magistrate. */
export class ReferForm {
  @Text()
  @MaxLength(2000, { message: 'Les circonstances ne doivent pas dépasser 2 000 caractères' })
  @IsString({ message: 'Indiquez les circonstances exceptionnelles qui justifient le sursis (10 caractères au moins).' })
  grounds!: string;

  @IsOptional()
  @Text()
  @MaxLength(300, { message: 'Le nom du magistrat ne doit pas dépasser 300 caractères' })
  @IsString({ message: 'Indiquez le magistrat saisi et sa juridiction.' })
  magistrate?: string;

  @Equals('oui', { message: 'Cochez la case pour confirmer le sursis : les visites sont suspendues jusqu’à la réponse du magistrat.' })
  confirm!: 'oui';
}

/** The magistrate's answer to a referral. */
export class MagistrateAnswerForm {
  @IsIn(['MAINTAINED', 'SUSPENDED', 'WITHDRAWN'], { message: 'Choisissez la réponse du magistrat.' })
  answer!: 'MAINTAINED' | 'SUSPENDED' | 'WITHDRAWN';

  @IsOptional()
  @Text()
  @MaxLength(2000, { message: 'La précision ne doit pas dépasser 2 000 caractères' })
  @IsString({ message: 'Saisissez la précision en une seule fois' })
  note?: string;
}

/** The holder's observations on an intended measure: a family's form, its messages are catalog keys (permits.json). */
export class ObservationsForm {
  @Text()
  @MaxLength(5000, { message: 'permits:errors.observationsTooLong' })
  @IsString({ message: 'permits:errors.observationsRequired' })
  observations!: string;
}
