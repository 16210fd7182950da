import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { parseDay } from '../common/dates';
import { EmptyToUndefined, Trim } from '../common/forms';
import {
  DISTANCE_MESSAGE,
  HOUSE_RULES_MAX,
  HOUSE_RULES_MESSAGE,
  houseRulesOf,
  INTERVENTION_CAUSES,
  type InterventionCause,
  MAX_DISTANCE_KM,
  parseDuration,
  parseTime,
  STAY_EVENT_LABELS,
} from './units.rules';

/** The forms of the units and stays (validated by validateForm, French messages). */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const toNumber = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value));
const toBoolean = () => Transform(({ value }: { value: unknown }) => value === 'oui');

class UnitFields {
  @Trim() @Matches(/^.{1,80}$/, { message: 'Indiquez le nom du logement (80 caractères au plus).' }) name!: string;
  @toNumber()
  @IsIn(Array.from({ length: 20 }, (_, i) => i + 1), { message: 'La capacité est un nombre de visiteurs de 1 à 20.' })
  capacity!: number;
  @IsOptional() @toBoolean() @IsBoolean() accessible!: boolean;
  /** The unit's rules (règlement intérieur); blank = none. */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? (houseRulesOf(value) ?? undefined) : value))
  @IsString({ message: HOUSE_RULES_MESSAGE })
  @MaxLength(HOUSE_RULES_MAX, { message: HOUSE_RULES_MESSAGE })
  houseRules?: string;
}

export class NewUnitForm extends UnitFields {
  @IsIn(['UVF', 'PF'], { message: 'Choisissez UVF ou parloir familial.' }) kind!: 'UVF' | 'PF';
}

export class EditUnitForm extends UnitFields {
  @IsOptional() @toBoolean() @IsBoolean() active!: boolean;
}

/** A unit and a local start: booking a stay, or moving it. */
export class BookStayForm {
  @Matches(UUID, { message: 'Choisissez un logement.' }) unitId!: string;
  @Trim()
  // A day or time that does not parse (31/02, 25:00) fails the pattern below, never reaches the service.
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? parseDay(value) : value))
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'Indiquez le jour d’arrivée au format JJ/MM/AAAA.' })
  day!: string;
  @Trim()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? parseTime(value) : value))
  @Matches(/^\d{2}:\d{2}$/, { message: 'Indiquez l’heure d’arrivée au format HH:MM.' })
  time!: string;
  /** « Date convenue avec la famille »: a start outside the wished period. */
  @IsOptional() @toBoolean() @IsBoolean() outsideWish?: boolean;
  /** « Autorisation exceptionnelle du chef d'établissement »: a PF outside the usual hours. */
  @IsOptional() @toBoolean() @IsBoolean() exceptionalHours?: boolean;
}

/**
 * A family parlour granted in two cumulated slots: the day, the first slot's start (`time`) and length,
 * the second slot's start; the second lasts the rest of the granted hours.
 */
export class BookTwoSlotsForm extends BookStayForm {
  @Trim()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? (parseDuration(value) ?? value) : value))
  @IsInt({ message: 'Indiquez la durée du premier créneau, par exemple 3 h ou 2 h 30.' })
  firstDuration!: number;
  @Trim()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? parseTime(value) : value))
  @Matches(/^\d{2}:\d{2}$/, { message: 'Indiquez l’heure de début du second créneau au format HH:MM.' })
  secondTime!: string;
}

export class CancelStayForm {
  @Trim() @Matches(/^[\s\S]{5,2000}$/, { message: 'Indiquez le motif de l’annulation (5 à 2 000 caractères).' }) reason!: string;
}

/** The waiting list's priority data of a case: no leave possible, the family's distance (blank = unknown). */
export class PriorityForm {
  @IsOptional() @toBoolean() @IsBoolean() noLeavePossible!: boolean;
  @Transform(({ value }: { value: unknown }) =>
    value === undefined || (typeof value === 'string' && value.trim() === '')
      ? null
      : typeof value === 'string' && /^\s*\d+\s*$/.test(value)
        ? Number(value)
        : value,
  )
  @ValidateIf((o: PriorityForm) => o.distanceKm !== null && o.distanceKm !== undefined)
  @IsInt({ message: DISTANCE_MESSAGE })
  @Min(0, { message: DISTANCE_MESSAGE })
  @Max(MAX_DISTANCE_KM, { message: DISTANCE_MESSAGE })
  distanceKm!: number | null;
  /** Where the form was sent from: the booking page, or the priority page. */
  @IsOptional() @IsIn(['reserver']) retour?: 'reserver';
}

export class StayEventForm {
  @IsIn(Object.keys(STAY_EVENT_LABELS), { message: 'Choisissez ce que vous consignez.' }) kind!: keyof typeof STAY_EVENT_LABELS;
  @Trim() @Matches(/^[\s\S]{3,4000}$/, { message: 'Décrivez ce que vous avez constaté (3 caractères au moins).' }) notes!: string;
  /** An intervention's cause; none given: on an incident or a suspicion. Ignored for any other entry. */
  @IsOptional()
  @IsIn(Object.keys(INTERVENTION_CAUSES), { message: 'Choisissez la cause de l’intervention.' })
  interventionCause?: InterventionCause;
  /** Who decided an intervention on incident (the head or a delegate); none: the agent recording it. */
  @EmptyToUndefined()
  @IsOptional()
  @Matches(UUID, { message: 'Choisissez qui a décidé l’intervention.' })
  decidedBy?: string;
}

export class EarlyEndForm {
  @IsIn(['REQUEST', 'SECURITY'], { message: 'Indiquez si la visite finit à la demande d’une des parties ou pour la sécurité.' })
  cause!: 'REQUEST' | 'SECURITY';
  @Trim() @Matches(/^[\s\S]{5,2000}$/, { message: 'Indiquez le motif de la fin anticipée (5 caractères au moins).' }) reason!: string;
  @IsOptional() @Trim() confirm?: string;
}

export const EARLY_END_CAUSES = { REQUEST: 'À la demande d’une des parties', SECURITY: 'Pour raison de sécurité' } as const;
