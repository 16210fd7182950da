import type { Request } from 'express';
import type { FieldError } from '../common/forms';

/**
 * A file refused on a step of the request (post/redirect/get): the errors wait in the session for
 * the step's page the browser is sent back to, which shows them once. The page of a refused file is
 * thus a GET that "back" reloads with the current state (the photo accepted since), not a form's
 * answer kept in the history with its old message.
 */
interface StepErrors {
  requestId: string;
  step: number;
  errors: FieldError[];
  values: Record<string, unknown>;
}

declare module 'express-session' {
  interface SessionData {
    permitStepErrors?: StepErrors;
  }
}

export function keepStepErrors(req: Request, kept: StepErrors): void {
  req.session.permitStepErrors = kept;
}

/** The errors kept for this step of this request, removed from the session; null if none. */
export function takeStepErrors(req: Request, requestId: string, step: number): Omit<StepErrors, 'requestId' | 'step'> | null {
  const kept = req.session.permitStepErrors;
  if (!kept) return null;
  delete req.session.permitStepErrors;
  return kept.requestId === requestId && kept.step === step ? { errors: kept.errors, values: kept.values } : null;
}
