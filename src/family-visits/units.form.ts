import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, Matches } from 'class-validator';
import { parseDay } from '../common/dates';
import { Trim } from '../common/forms';
import { parseTime, STAY_EVENT_LABELS } from './units.rules';

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
}

export class NewUnitForm extends UnitFields {
  @IsIn(['UVF', 'PF'], { message: 'Choisissez UVF ou parloir familial.' }) kind!: 'UVF' | 'PF';
}

export class EditUnitForm extends UnitFields {
  @IsOptional() @toBoolean() @IsBoolean() active!: boolean;
}

export class BookStayForm {
  @Matches(UUID, { message: 'Choisissez un logement.' }) unitId!: string;
  @Trim()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? (parseDay(value) ?? value) : value))
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'Indiquez le jour d’arrivée au format JJ/MM/AAAA.' })
  day!: string;
  @Trim()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? (parseTime(value) ?? value) : value))
  @Matches(/^\d{2}:\d{2}$/, { message: 'Indiquez l’heure d’arrivée au format HH:MM.' })
  time!: string;
}

export class StayEventForm {
  @IsIn(Object.keys(STAY_EVENT_LABELS), { message: 'Choisissez ce que vous consignez.' }) kind!: keyof typeof STAY_EVENT_LABELS;
  @Trim() @Matches(/^[\s\S]{3,4000}$/, { message: 'Décrivez ce que vous avez constaté (3 caractères au moins).' }) notes!: string;
}

export class EarlyEndForm {
  @IsIn(['REQUEST', 'SECURITY'], { message: 'Indiquez si la visite finit à la demande d’une des parties ou pour la sécurité.' })
  cause!: 'REQUEST' | 'SECURITY';
  @Trim() @Matches(/^[\s\S]{5,2000}$/, { message: 'Indiquez le motif de la fin anticipée (5 caractères au moins).' }) reason!: string;
  @IsOptional() @Trim() confirm?: string;
}

export const EARLY_END_CAUSES = { REQUEST: 'À la demande d’une des parties', SECURITY: 'Pour raison de sécurité' } as const;
