import { Injectable } from '@nestjs/common';
import { csrfSync } from 'csrf-sync';
import type { Request } from 'express';

/** Synchronizer-token CSRF protection: one token per session, sent back in every form as `_csrf`. */
@Injectable()
export class CsrfService {
  private readonly sync = csrfSync({
    getTokenFromRequest: (req) => {
      const token = (req.body as { _csrf?: unknown } | undefined)?._csrf;
      return typeof token === 'string' ? token : undefined;
    },
  });

  token(req: Request): string {
    return this.sync.generateToken(req);
  }

  isValid(req: Request): boolean {
    return Boolean(req.session) && this.sync.isRequestValid(req);
  }
}
