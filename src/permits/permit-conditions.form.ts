import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateBy, ValidateIf } from 'class-validator';
import { Text } from './permit-form.transforms';
import type { PermitTerms } from './permit.queries';
import { ROOM_CONDITION_LABELS } from './permit-validity';

/** The limits and conditions of a permit (R341-1), as the greffe types them when recording it or the head changes them. */

/** What the forms offer: the room kinds a permit may impose, the days of the week (ISO). */
export const CONDITION_CHOICES = {
  roomConditions: ROOM_CONDITION_LABELS,
  weekDays: [
    { value: 1, label: 'Lundi' },
    { value: 2, label: 'Mardi' },
    { value: 3, label: 'Mercredi' },
    { value: 4, label: 'Jeudi' },
    { value: 5, label: 'Vendredi' },
    { value: 6, label: 'Samedi' },
    { value: 7, label: 'Dimanche' },
  ],
};

const HOUR = /^([01]\d|2[0-3])[:h]?[0-5]\d$/;
const HOUR_MESSAGE = 'Saisissez une heure au format HH:MM (par exemple 09:30)';

/** A whole number typed in a text field; empty is no answer. */
const ToInt = () =>
  Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    const v = value.trim();
    if (!v) return undefined;
    return /^\d{1,6}$/.test(v) ? Number(v) : v;
  });

/** Checkboxes: none, one (a string) or several (a list); read as ISO days (numbers). */
const ToDays = () =>
  Transform(({ value }: { value: unknown }) => {
    if (value === undefined || value === '') return undefined;
    const list = Array.isArray(value) ? (value as unknown[]) : [value];
    return list.map((d) => (typeof d === 'string' && /^[1-7]$/.test(d) ? Number(d) : d));
  });

/** An hour typed 9:30, 09:30, 09h30 or 0930, read as HH:MM. */
const ToHour = () =>
  Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    const v = value.trim().replace(/^(\d):/, '0$1:');
    if (!v) return undefined;
    return HOUR.test(v) ? `${v.slice(0, 2)}:${v.slice(-2)}` : v;
  });

/** An hour (HH:MM) after the one of another field, when that one is valid. */
function IsLaterThan(field: string, message: string) {
  return ValidateBy({
    name: 'isLaterThan',
    constraints: [field],
    validator: {
      validate: (value: unknown, args) => {
        const other = (args?.object as Record<string, unknown> | undefined)?.[field];
        return typeof value === 'string' && (typeof other !== 'string' || !/^\d{2}:\d{2}$/.test(other) || value > other);
      },
      defaultMessage: () => message,
    },
  });
}

export class PermitConditionsForm {
  @IsOptional()
  @ToInt()
  @Max(1000, { message: 'Le nombre de visites ne doit pas dépasser 1 000 (ou laissez vide : sans limite)' })
  @Min(1, { message: 'Le nombre de visites doit être au moins 1 (ou laissez vide : sans limite)' })
  @IsInt({ message: 'Saisissez un nombre entier de visites (ou laissez vide : sans limite)' })
  maxVisits?: number;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value))
  @IsIn(['SEPARATION', 'ACCESSIBLE'], { message: 'Choisissez le parloir imposé, ou « aucun »' })
  roomCondition?: 'SEPARATION' | 'ACCESSIBLE';

  @IsOptional()
  @ToDays()
  @IsIn([1, 2, 3, 4, 5, 6, 7], { each: true, message: 'Cochez les jours de visite autorisés' })
  allowedDays?: number[];

  @ValidateIf((f: PermitConditionsForm) => f.allowedFrom !== undefined || f.allowedTo !== undefined)
  @ToHour()
  @Matches(/^\d{2}:\d{2}$/, { message: `${HOUR_MESSAGE}, ou laissez les deux heures vides` })
  allowedFrom?: string;

  @ValidateIf((f: PermitConditionsForm) => f.allowedFrom !== undefined || f.allowedTo !== undefined)
  @ToHour()
  @IsLaterThan('allowedFrom', 'L’heure de fin doit être après l’heure de début')
  @Matches(/^\d{2}:\d{2}$/, { message: `${HOUR_MESSAGE}, ou laissez les deux heures vides` })
  allowedTo?: string;

  @Text()
  @IsOptional()
  @MaxLength(500, { message: 'La précision ne doit pas dépasser 500 caractères' })
  @IsString({ message: 'Saisissez la précision en une seule fois' })
  conditionsNote?: string;
}

/** The form's answers as stored: no answer is no limit, no condition. */
export function termsOf(f: PermitConditionsForm): PermitTerms {
  return {
    maxVisits: f.maxVisits ?? null,
    roomCondition: f.roomCondition ?? null,
    allowedDays: f.allowedDays?.length ? [...new Set(f.allowedDays)].sort() : null,
    allowedFrom: f.allowedFrom ?? null,
    allowedTo: f.allowedTo ?? null,
    conditionsNote: f.conditionsNote ?? null,
  };
}

/** Changing the terms of an existing permit: on a magistrate's permit, the magistrate's decision recorded. */
export class PermitConditionsChangeForm extends PermitConditionsForm {
  @Text()
  @IsOptional()
  @MaxLength(300, { message: 'La décision du magistrat ne doit pas dépasser 300 caractères' })
  @IsString({ message: 'Saisissez la décision du magistrat en une seule fois' })
  magistrateDecision?: string;
}
