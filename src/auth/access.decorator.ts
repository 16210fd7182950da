import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Role } from './roles';
import type { Principal } from './principal';

export const ACCESS_KEY = 'p2v:access';
export type RouteAccess = { public: true } | { public: false; roles: Role[] };

/** Anyone, signed in or not, may use this route. */
export const Public = () => SetMetadata(ACCESS_KEY, { public: true } satisfies RouteAccess);

/**
 * Only these roles may use this route. When the route has an `:establishment` parameter (an
 * establishment code), staff must hold one of the roles at that establishment.
 */
export const Roles = (...roles: Role[]) => SetMetadata(ACCESS_KEY, { public: false, roles } satisfies RouteAccess);

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext) => {
  return ctx.switchToHttp().getRequest<Request>().principal;
});

export type { Principal };
