import { Inject, Injectable, Logger } from '@nestjs/common';
import * as client from 'openid-client';
import { Strategy, type AuthenticateOptions, type StrategyOptions, type VerifyFunction } from 'openid-client/passport';
import passport from 'passport';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig, type OidcClientSettings } from '../config/config';
import { AgentsService } from '../agents/agents.service';
import { FamiliesService } from '../families/families.service';
import type { SessionUser } from './principal';

export type ProviderName = 'franceconnect' | 'proconnect';

/** Levels of assurance accepted from FranceConnect: eIDAS "substantiel" (eidas1) or above. */
export const ACCEPTED_ACR = ['eidas1', 'eidas2', 'eidas3'];

export const SCOPES: Record<ProviderName, string> = {
  franceconnect: 'openid given_name family_name birthdate email',
  proconnect: 'openid email given_name usual_name uid',
};

/**
 * openid-client's passport strategy, plus what FranceConnect and ProConnect require: a state and a
 * nonce of 32+ characters on every request (the library checks both at the callback) and acr_values.
 */
class FranceConnectStyleStrategy extends Strategy {
  constructor(
    options: StrategyOptions,
    verify: VerifyFunction,
    private readonly extraParams: Record<string, string>,
  ) {
    super(options, verify);
  }

  override authorizationRequestParams<T extends AuthenticateOptions>(req: Request, options: T) {
    const params = new URLSearchParams(super.authorizationRequestParams(req, options));
    params.set('state', client.randomState());
    params.set('nonce', client.randomNonce());
    for (const [k, v] of Object.entries(this.extraParams)) params.set(k, v);
    return params;
  }
}

/** A text claim as received, or empty when the provider sent none (or not a text). */
function text(claim: unknown): string {
  return typeof claim === 'string' ? claim : '';
}

export class SignInRefused extends Error {
  constructor(
    readonly reason: 'UNKNOWN_AGENT' | 'ACR_TOO_LOW',
    /** Who tried, as far as the provider told us (for the audit log): a name, an e-mail address. */
    readonly who: string,
    readonly details: Record<string, string> = {},
  ) {
    super(reason);
  }
}

@Injectable()
export class OidcService {
  private readonly logger = new Logger(OidcService.name);
  private readonly configs = new Map<ProviderName, Promise<client.Configuration>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly families: FamiliesService,
    private readonly agents: AgentsService,
  ) {}

  private settings(name: ProviderName): OidcClientSettings {
    return name === 'franceconnect' ? this.config.franceConnect : this.config.proConnect;
  }

  /** Discovery happens on first use (the demo provider lives in this very process), then is cached. */
  configuration(name: ProviderName): Promise<client.Configuration> {
    let pending = this.configs.get(name);
    if (!pending) {
      const s = this.settings(name);
      const insecure = this.config.demoIdp && new URL(s.issuer).protocol === 'http:';
      pending = client
        .discovery(
          new URL(s.issuer),
          s.clientId,
          {
            client_secret: s.clientSecret,
            id_token_signed_response_alg: name === 'franceconnect' ? 'ES256' : 'RS256',
            userinfo_signed_response_alg: name === 'franceconnect' ? 'ES256' : 'RS256',
          },
          client.ClientSecretPost(s.clientSecret),
          insecure ? { execute: [client.allowInsecureRequests] } : undefined,
        )
        .then((c) => {
          // Verify the signatures of the ID token and of the signed userinfo against the JWKS.
          client.enableNonRepudiationChecks(c);
          this.register(name, c);
          return c;
        });
      pending.catch((e) => {
        this.logger.error(`OpenID discovery failed for ${name}: ${String(e)}`);
        this.configs.delete(name);
      });
      this.configs.set(name, pending);
    }
    return pending;
  }

  private register(name: ProviderName, config: client.Configuration) {
    const callbackURL = `${this.config.appUrl}${name === 'franceconnect' ? '/connexion/callback' : '/agents/connexion/callback'}`;
    const verify: VerifyFunction = (tokens, done) => {
      this.verify(name, config, tokens)
        .then((user) => {
          done(null, user);
        })
        .catch((e) => {
          if (e instanceof SignInRefused) done(null, false, { message: e.reason, refused: e });
          else done(e);
        });
    };
    const strategy = new FranceConnectStyleStrategy(
      { config, scope: SCOPES[name], callbackURL, name, sessionKey: `oidc:${name}` },
      verify,
      { acr_values: 'eidas1' },
    );
    passport.use(name, strategy as unknown as passport.Strategy);
  }

  private async verify(
    name: ProviderName,
    config: client.Configuration,
    tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers,
  ): Promise<SessionUser> {
    const claims = tokens.claims();
    if (!claims || !tokens.id_token) throw new Error('No ID token returned');
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    return this.userOf(name, { sub: claims.sub, acr: text(claims.acr) }, userinfo, tokens.id_token);
  }

  /**
   * The P2V user of a provider's checked answer: for FranceConnect the level of assurance, then the
   * family's account (created on first sign-in); for ProConnect the agent (known, active, with a role).
   * Also the tests' session endpoint's path (src/demo/test-session.ts), so that it signs in the same way.
   */
  async userOf(
    name: ProviderName,
    claims: { sub: string; acr: string },
    userinfo: Record<string, unknown>,
    idToken: string,
  ): Promise<SessionUser> {
    if (name === 'franceconnect') {
      if (!ACCEPTED_ACR.includes(claims.acr)) {
        const who = `${text(userinfo.given_name)} ${text(userinfo.family_name)}`.trim();
        throw new SignInRefused('ACR_TOO_LOW', who, { acr: claims.acr });
      }
      const account = await this.families.signIn({
        subject: claims.sub,
        givenName: text(userinfo.given_name),
        familyName: text(userinfo.family_name),
        birthdate: typeof userinfo.birthdate === 'string' ? userinfo.birthdate : null,
        email: typeof userinfo.email === 'string' ? userinfo.email : null,
      });
      return { kind: 'family', id: account.id, provider: name, idToken };
    }
    const agent = await this.agents.signIn({
      subject: claims.sub,
      email: text(userinfo.email),
      givenName: text(userinfo.given_name),
      usualName: text(userinfo.usual_name),
    });
    if (!agent) throw new SignInRefused('UNKNOWN_AGENT', text(userinfo.email), { email: text(userinfo.email) });
    return { kind: 'agent', id: agent.id, provider: name, idToken };
  }

  async endSessionUrl(user: SessionUser, state: string): Promise<string> {
    const config = await this.configuration(user.provider);
    return client
      .buildEndSessionUrl(config, {
        id_token_hint: user.idToken,
        post_logout_redirect_uri: `${this.config.appUrl}/deconnexion/fin`,
        state,
      })
      .toString();
  }
}
