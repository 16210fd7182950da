import { plainToInstance, Transform } from 'class-transformer';
import { validate } from 'class-validator';
import { DomainError } from './domain-error';

export interface FieldError {
  field: string;
  /** A text, or a key of the catalogs (« area:path ») that the page translates with `values` (msg() in forms.njk). */
  message: string;
  values?: Record<string, unknown>;
}

export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[]; values: Record<string, unknown> };

/**
 * Validates a posted form (or a query string) against a class-validator class; the messages of the
 * class are French. Unknown fields are dropped; a field sent twice arrives as a list and fails a
 * text rule like any other bad value.
 */
export async function validateForm<T extends object>(cls: new () => T, body: unknown): Promise<FormResult<T>> {
  const values = { ...((body ?? {}) as Record<string, unknown>) };
  delete values._csrf;
  const instance = plainToInstance(cls, values);
  const errors = await validate(instance, { whitelist: true, forbidUnknownValues: true });
  if (errors.length === 0) return { ok: true, value: instance };
  return {
    ok: false,
    values,
    errors: errors.map((e) => ({ field: e.property, message: Object.values(e.constraints ?? {})[0] ?? 'Valeur invalide' })),
  };
}

export type Attempt<T> = { ok: true; value: T } | { ok: false; status: 400 | 403 | 409 | 422; errors: FieldError[] };

/**
 * Runs the command of a form. A rule's refusal (a DomainError, except "not found") becomes the
 * error of `field` (or of the field the error names), for the form to be shown again with it;
 * anything else is thrown (404 and 500 pages).
 */
export async function attempt<T>(command: () => Promise<T>, field: string | ((e: DomainError) => string)): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await command() };
  } catch (e) {
    if (!(e instanceof DomainError) || e.status === 404) throw e;
    return { ok: false, status: e.status, errors: [{ field: typeof field === 'string' ? field : field(e), message: e.message }] };
  }
}

/** Form field transforms: text trimmed; a single value or several as a list (checkboxes). */
export const Trim = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
export const EmptyToUndefined = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? undefined : value));
export const ToList = () =>
  Transform(({ value }: { value: unknown }): unknown[] =>
    value === undefined || value === '' ? [] : Array.isArray(value) ? (value as unknown[]) : [value],
  );
