import { CanActivate, ExecutionContext, ForbiddenException, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ACCESS_KEY, RouteAccess } from './access.decorator';
import { CsrfService } from './csrf.service';

export class CsrfRefusedException extends ForbiddenException {
  constructor() {
    super('CSRF_REFUSED');
  }
}

/**
 * Global guard. Refuses any route that declares no access (@Public or @Roles), checks the CSRF
 * token of every state-changing request, the role, and for staff the establishment in the URL.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly csrf: CsrfService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const access = this.reflector.getAllAndOverride<RouteAccess | undefined>(ACCESS_KEY, [context.getHandler(), context.getClass()]);
    if (!access) {
      this.logger.error(
        `Route ${req.method} ${(req.route as { path?: string } | undefined)?.path ?? req.path} declares no access: refused`,
      );
      throw new ForbiddenException();
    }
    if (!['GET', 'HEAD', 'OPTIONS'].includes(req.method) && !this.csrf.isValid(req)) throw new CsrfRefusedException();
    if (access.public) return true;

    const principal = req.principal;
    if (!principal) throw new UnauthorizedException();
    if (principal.kind === 'family') {
      if (access.roles.includes('FAMILY')) return true;
      throw new ForbiddenException();
    }
    if (access.roles.includes('OVERSIGHT') && principal.oversight.length > 0) return true;
    const code = typeof req.params?.establishment === 'string' ? req.params.establishment : undefined;
    const allowed = principal.grants.some((g) => access.roles.includes(g.role) && (code === undefined || g.establishmentCode === code));
    if (!allowed) throw new ForbiddenException();
    return true;
  }
}
