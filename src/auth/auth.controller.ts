import { Controller, Get, HttpCode, Logger, Next, Post, Query, Req, Res } from '@nestjs/common';
import * as client from 'openid-client';
import passport from 'passport';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Public } from './access.decorator';
import { AuditService } from '../common/audit.service';
import { saveSession } from '../common/session-save';
import { inLanguage } from '../common/i18n';
import { OidcService, ProviderName, SignInRefused } from './oidc.service';
import { SignOutService } from './sign-out.service';
import type { SessionUser } from './principal';

const PROVIDER_LABEL: Record<ProviderName, string> = { franceconnect: 'FranceConnect', proconnect: 'ProConnect' };

function sessionUser(req: Request): SessionUser | undefined {
  return (req.session as unknown as { passport?: { user?: SessionUser } } | undefined)?.passport?.user;
}

@Controller()
export class AuthController {
  private readonly logger = new Logger(AuthController.name);
  constructor(
    private readonly oidc: OidcService,
    private readonly audit: AuditService,
    private readonly signOuts: SignOutService,
  ) {}

  @Get('connexion')
  @Public()
  async familySignIn(@Req() req: Request, @Res() res: Response, @Next() next: NextFunction) {
    await this.start('franceconnect', req, res, next);
  }

  @Get('connexion/callback')
  @Public()
  async familyCallback(@Req() req: Request, @Res() res: Response, @Next() next: NextFunction) {
    await this.callback('franceconnect', '/mon-espace', req, res, next);
  }

  @Get('agents/connexion')
  @Public()
  async agentSignIn(@Req() req: Request, @Res() res: Response, @Next() next: NextFunction) {
    await this.start('proconnect', req, res, next);
  }

  @Get('agents/connexion/callback')
  @Public()
  async agentCallback(@Req() req: Request, @Res() res: Response, @Next() next: NextFunction) {
    await this.callback('proconnect', '/agents', req, res, next);
  }

  /** The sign-out link shows a confirmation form: signing out changes state, so it is a POST with its CSRF token. */
  @Get('deconnexion')
  @Public()
  confirmSignOut(@Req() req: Request, @Res() res: Response) {
    const user = sessionUser(req);
    if (!user) return res.redirect(303, '/');
    res.render('auth/sign-out.njk', {
      providerName: PROVIDER_LABEL[user.provider],
      back: user.kind === 'family' ? '/mon-espace' : '/agents',
    });
  }

  /** Ends the P2V session, then the provider's session (end_session with id_token_hint and state). The guard checked the CSRF token. */
  @Post('deconnexion')
  @Public()
  signOut(@Req() req: Request, @Res() res: Response, @Next() next: NextFunction) {
    this.signOuts
      .signOut(req)
      .then((url) => res.redirect(303, url ?? '/'))
      .catch(next);
  }

  @Get('deconnexion/fin')
  @Public()
  @HttpCode(200)
  signedOut(@Req() req: Request, @Res() res: Response, @Query('state') state?: string) {
    const expected = req.session.logoutState;
    const accountClosed = req.session.accountClosed === true;
    delete req.session.logoutState;
    delete req.session.accountClosed;
    res.render('auth/signed-out.njk', { confirmed: Boolean(expected) && expected === state, accountClosed });
  }

  /** Discovery of the provider; if it cannot be reached, a French 503 page says so. */
  private async providerReady(name: ProviderName, res: Response): Promise<boolean> {
    try {
      await this.oidc.configuration(name);
      return true;
    } catch {
      res.status(503).render('errors/503.njk', { provider: PROVIDER_LABEL[name] });
      return false;
    }
  }

  private async start(name: ProviderName, req: Request, res: Response, next: NextFunction) {
    if (!(await this.providerReady(name, res))) return;
    const authenticate = passport.authenticate(name) as RequestHandler;
    await authenticate(req, res, next);
  }

  private async callback(name: ProviderName, home: string, req: Request, res: Response, next: NextFunction) {
    if (!(await this.providerReady(name, res))) return;
    type Info = { message?: string; refused?: SignInRefused };
    const authenticate = passport.authenticate(name, (err: unknown, user: SessionUser | false, info?: Info) => {
      const oidcError =
        err instanceof client.ClientError || err instanceof client.AuthorizationResponseError || err instanceof client.ResponseBodyError;
      if (err && !oidcError) return next(err);
      if (oidcError) this.logger.warn({ err, requestId: req.requestId }, `Sign-in with ${name} refused by the OpenID checks`);
      if (!user) {
        const reason = info?.message;
        const refused = () => {
          if (reason === 'UNKNOWN_AGENT') return res.status(403).render('auth/unknown-agent.njk');
          const failed = () =>
            res.status(401).render('auth/sign-in-failed.njk', {
              tooWeak: reason === 'ACR_TOO_LOW',
              providerName: PROVIDER_LABEL[name],
              retry: name === 'franceconnect' ? '/connexion' : '/agents/connexion',
            });
          if (name === 'franceconnect') return failed();
          // An agent's failed sign-in is a staff page: French, without the language selector.
          Object.assign(res.locals, { lang: 'fr', dir: 'ltr', languageChoices: undefined });
          return inLanguage('fr', failed);
        };
        // Refused sign-ins are audited (issue #14); the refusal page waits for the entry.
        return this.auditRefusal(name, req, err, info).then(refused, next);
      }
      // passport regenerates the session id here (session fixation); the session's absolute lifetime starts now.
      req.login(user, (e) => {
        if (e) return next(e);
        req.session.signedInAt = Date.now();
        saveSession(req).then(() => res.redirect(303, home), next);
      });
    }) as RequestHandler;
    await authenticate(req, res, next);
  }

  /**
   * A refused sign-in: who as far as known (the provider's name or e-mail, or nobody when the OpenID
   * checks failed, e.g. a state or nonce that does not match), the provider and why.
   */
  private auditRefusal(name: ProviderName, req: Request, err: unknown, info?: { message?: string; refused?: SignInRefused }) {
    const refused = info?.refused;
    const reason = refused?.reason ?? (err ? 'OIDC_CHECK_FAILED' : (info?.message ?? 'REFUSED'));
    // What the OpenID checks said (e.g. a state that does not match): openid-client puts the detail in `cause`.
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : undefined;
    // An error the provider answered (RFC 6749 4.1.2.1): its code and description, as it sent them.
    const answered =
      err instanceof client.AuthorizationResponseError
        ? `${err.error}${err.error_description ? ` (${err.error_description.slice(0, 200)})` : ''}`
        : undefined;
    const detail = answered ?? cause;
    const error = err instanceof Error ? { error: detail ? `${err.message}: ${detail}` : err.message } : {};
    const label = refused?.who || (name === 'franceconnect' ? 'Usager FranceConnect non identifié' : 'Agent ProConnect non identifié');
    return this.audit.recordNow({
      actor: { type: name === 'franceconnect' ? 'FAMILY' : 'AGENT', id: null, label },
      action: 'SIGN_IN_REFUSED',
      entityType: name === 'franceconnect' ? 'family_account' : 'agent',
      after: { provider: PROVIDER_LABEL[name], reason, ...error, ...refused?.details, requestId: req.requestId },
    });
  }
}
