import { Router, type Request } from 'express';
import { type OidcService, type ProviderName, SignInRefused } from '../auth/oidc.service';
import type { SessionUser } from '../auth/principal';
import { customIdentity, DEMO_AGENTS, DEMO_FAMILIES } from '../demo-idp/identities';

/**
 * Tests only (TEST_ENDPOINTS, refused in production): `POST /__test__/session` signs the request's
 * browser in as a demo identity (`sub`) or a typed one (the demo provider's « Une autre identité »
 * fields), without the OpenID exchange: the same account look-up as a real sign-in
 * (OidcService.userOf: level of assurance, account created on first sign-in, agent known with a role,
 * audited), then the session as passport's callback leaves it (new session id, `signedInAt`), and
 * the same redirect to the person's home. The OpenID flow itself is proved by test/auth.e2e-spec.ts
 * and the other files that sign in through the demo provider; the rest start signed in this way,
 * some 200 sign-ins a run of 6 to 8 requests each spared.
 * Mounted by main.ts after the session and passport, outside the app's routes and CSRF.
 */
export function testSession(oidc: OidcService): Router {
  const router = Router();
  router.post('/', (req, res, next) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const provider: ProviderName | null = body.provider === 'franceconnect' || body.provider === 'proconnect' ? body.provider : null;
    if (!provider) return void res.status(400).type('text/plain').send('provider: franceconnect or proconnect');
    const identity = identityOf(provider, body);
    if (!identity) return void res.status(400).type('text/plain').send('sub of a demo identity, or the fields of a typed one');
    oidc
      .userOf(provider, { sub: identity.sub, acr: identity.acr }, identity.userinfo, 'test-session')
      .then((user) => signIn(req, user))
      .then(() => res.redirect(303, provider === 'franceconnect' ? '/mon-espace' : '/agents'))
      .catch((e: unknown) => {
        if (e instanceof SignInRefused) return void res.status(403).type('text/plain').send(e.reason);
        next(e);
      });
  });
  return router;
}

interface Identity {
  sub: string;
  acr: string;
  userinfo: Record<string, unknown>;
}

function identityOf(provider: ProviderName, body: Record<string, unknown>): Identity | null {
  const typed = body.given_name !== undefined;
  if (provider === 'franceconnect') {
    const known = typed ? null : DEMO_FAMILIES.find((f) => f.sub === body.sub);
    const custom = typed ? customIdentity('family', body) : null;
    const f = known ?? (custom?.kind === 'family' ? custom.identity : null);
    return f ? { sub: f.sub, acr: f.acr, userinfo: { ...f } } : null;
  }
  const known = typed ? null : DEMO_AGENTS.find((a) => a.sub === body.sub);
  const custom = typed ? customIdentity('agent', body) : null;
  const a = known ?? (custom?.kind === 'agent' ? custom.identity : null);
  return a ? { sub: a.sub, acr: 'eidas1', userinfo: { ...a } } : null;
}

/** What passport's callback does (auth.controller.ts): a new session id, the user, when the session's absolute lifetime starts. */
function signIn(req: Request, user: SessionUser): Promise<void> {
  return new Promise((resolve, reject) =>
    req.login(user, (e) => {
      if (e) return reject(e as Error);
      req.session.signedInAt = Date.now();
      req.session.save((e2) => (e2 ? reject(e2 as Error) : resolve()));
    }),
  );
}
