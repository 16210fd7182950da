import { BadRequestException, CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';

/** No text P2V stores or searches may hold a NUL character (PostgreSQL refuses it in text). */
export function containsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 5 || value === null || typeof value !== 'object') return false;
  return Object.entries(value as Record<string, unknown>).some(([k, v]) => k.includes('\u0000') || containsNul(v, depth + 1));
}

export class BadInputException extends BadRequestException {
  constructor() {
    super('Votre saisie contient un caractère non autorisé. Retirez-le, puis envoyez de nouveau.');
  }
}

/**
 * Global guard, after the access guard: a request whose query, form fields or file name hold a NUL
 * character is refused with a French 400 page before any handler sees it.
 */
@Injectable()
export class InputGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (containsNul(req.query) || containsNul(req.body) || containsNul(req.params) || containsNul(req.file?.originalname)) {
      throw new BadInputException();
    }
    return true;
  }
}
