import { Transform } from 'class-transformer';
import { Matches, ValidateBy, ValidationOptions } from 'class-validator';
import { parseDay } from '../common/dates';

/**
 * Text trimmed; an empty text is no answer (undefined). Anything else (a list, when a field is sent
 * twice) is left for the rules to refuse.
 */
export const Text = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() || undefined : value));

const NOT_A_DAY = 'not-a-day';

/** A day typed JJ/MM/AAAA (or AAAA-MM-JJ), read as AAAA-MM-JJ; empty is no answer; anything else fails @IsDay(). */
export const ToDay = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? (value.trim() ? (parseDay(value) ?? NOT_A_DAY) : undefined) : value,
  );

/** A day read by @ToDay(). */
export const IsDay = (message: string) => Matches(/^\d{4}-\d{2}-\d{2}$/, { message });

/** A day (AAAA-MM-JJ) not before the day of another field of the form (when that one is valid). */
export function IsOnOrAfter(field: string, options: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isOnOrAfter',
      constraints: [field],
      validator: {
        validate: (value: unknown, args) => {
          const other = (args?.object as Record<string, unknown> | undefined)?.[field];
          return typeof value === 'string' && (typeof other !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(other) || value >= other);
        },
      },
    },
    options,
  );
}
