import 'reflect-metadata';
import { ExecutionContext, ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Public, Roles } from './access.decorator';
import { AccessGuard, CsrfRefusedException } from './access.guard';
import type { CsrfService } from './csrf.service';
import type { Principal } from './principal';

class Routes {
  undeclared() {}
  @Public() open() {}
  @Roles('FAMILY') family() {}
  @Roles('ADMIN') admin() {}
}

function context(
  handler: keyof Routes,
  req: Partial<{ method: string; params: Record<string, string>; principal: Principal }>,
): ExecutionContext {
  const request = { method: 'GET', params: {}, path: '/x', ...req };
  return {
    getHandler: () => Reflect.get(Routes.prototype, handler),
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

const admin: Principal = {
  kind: 'agent',
  id: 'a',
  displayName: 'A',
  email: 'a@x.fr',
  grants: [{ establishmentId: '1', establishmentCode: 'NORD', establishmentName: 'Nord', role: 'ADMIN' }],
  oversight: [],
};

describe('AccessGuard', () => {
  let csrfValid = true;
  const guard = new AccessGuard(new Reflector(), { isValid: () => csrfValid } as unknown as CsrfService);
  beforeEach(() => (csrfValid = true));

  it('refuses a route that declares no access, even to an admin', () => {
    expect(() => guard.canActivate(context('undeclared', { principal: admin }))).toThrow(ForbiddenException);
  });

  it('lets anyone use a public route, but checks CSRF on its POST', () => {
    expect(guard.canActivate(context('open', {}))).toBe(true);
    csrfValid = false;
    expect(() => guard.canActivate(context('open', { method: 'POST' }))).toThrow(CsrfRefusedException);
  });

  it('asks anonymous users to sign in and refuses the wrong kind of user', () => {
    expect(() => guard.canActivate(context('family', {}))).toThrow(UnauthorizedException);
    expect(() => guard.canActivate(context('family', { principal: admin }))).toThrow(ForbiddenException);
    expect(() =>
      guard.canActivate(
        context('admin', { principal: { kind: 'family', id: 'f', displayName: 'F', email: null, mobilePhone: null, language: null } }),
      ),
    ).toThrow(ForbiddenException);
  });

  it('checks the role at the establishment named in the URL', () => {
    expect(guard.canActivate(context('admin', { principal: admin, params: { establishment: 'NORD' } }))).toBe(true);
    expect(() => guard.canActivate(context('admin', { principal: admin, params: { establishment: 'SUD' } }))).toThrow(ForbiddenException);
  });
});
