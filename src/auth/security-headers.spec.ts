import { helmetOptions } from './security-headers';

const providers = {
  franceConnect: { issuer: 'https://fcp.integ01.dev-franceconnect.fr/api/v1', clientId: 'a', clientSecret: 'b' },
  proConnect: { issuer: 'https://fca.integ01.dev-agentconnect.fr/api/v2', clientId: 'a', clientSecret: 'b' },
};

describe('helmetOptions', () => {
  it('sends HSTS in production only', () => {
    expect(helmetOptions({ env: 'production', ...providers }).strictTransportSecurity).toEqual({
      maxAge: 31_536_000,
      includeSubDomains: true,
    });
    expect(helmetOptions({ env: 'test', ...providers }).strictTransportSecurity).toBe(false);
  });

  it('allows no inline script and no framing, and forms only to the app and the providers’ origins', () => {
    const csp = helmetOptions({ env: 'production', ...providers }).contentSecurityPolicy as { directives: Record<string, string[]> };
    expect(csp.directives.scriptSrc).toEqual(["'self'"]);
    expect(csp.directives.frameAncestors).toEqual(["'none'"]);
    expect(csp.directives.formAction).toEqual([
      "'self'",
      'https://fcp.integ01.dev-franceconnect.fr',
      'https://fca.integ01.dev-agentconnect.fr',
    ]);
  });
});
