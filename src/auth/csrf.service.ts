import { Injectable } from '@nestjs/common';
import { csrfSync } from 'csrf-sync';
import type { Request } from 'express';

/** Synchronizer-token CSRF protection: one token per session, sent back in every form as `_csrf`. */
@Injectable()
export class CsrfService {
  private readonly sync = csrfSync({
    getTokenFromRequest: (req) => (typeof req.body?._csrf === 'string' ? req.body._csrf : undefined),
  });

  token(req: Request): string {
    return this.sync.generateToken(req);
  }

  isValid(req: Request): boolean {
    return Boolean(req.session) && this.sync.isRequestValid(req);
  }
}
