import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';

export interface FieldError {
  field: string;
  message: string;
}

export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[]; values: Record<string, unknown> };

/** Validates a posted form against a class-validator class; the messages of the class are French. */
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
