import { generateKeyPairSync, randomBytes } from 'node:crypto';
import express, { NextFunction, Request, Response, Router } from 'express';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { AppConfig } from '../config/config';
import { customIdentity, DEMO_AGENTS, DEMO_FAMILIES, type DemoAgentIdentity, type DemoFamilyIdentity } from './identities';

/**
 * A local OpenID Connect provider that stands in for FranceConnect v2 and ProConnect in the demo
 * and the tests: authorization code flow, ES256/RS256-signed ID tokens, signed (application/jwt)
 * userinfo, JWKS, RP-initiated logout. Mounted under /demo-idp of the app itself. Never in production.
 */
export function createDemoIdp(config: AppConfig): Router {
  if (config.env === 'production') throw new Error('The demo OpenID provider is refused in production');
  const issuer = `${config.appUrl}/demo-idp`;
  const jwk = (alg: 'ES256' | 'RS256') => {
    const { privateKey } =
      alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
    return { ...privateKey.export({ format: 'jwk' }), alg, use: 'sig', kid: `demo-${alg.toLowerCase()}` };
  };
  const families = new Map<string, DemoFamilyIdentity>(DEMO_FAMILIES.map((f) => [f.sub, f]));
  const agents = new Map<string, DemoAgentIdentity>(DEMO_AGENTS.map((a) => [a.sub, a]));
  const fc = config.franceConnect;
  const pc = config.proConnect;

  const configuration: Configuration = {
    clients: [
      {
        client_id: fc.clientId,
        client_secret: fc.clientSecret,
        redirect_uris: [`${config.appUrl}/connexion/callback`],
        post_logout_redirect_uris: [`${config.appUrl}/deconnexion/fin`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
        id_token_signed_response_alg: 'ES256',
        userinfo_signed_response_alg: 'ES256',
      },
      {
        client_id: pc.clientId,
        client_secret: pc.clientSecret,
        redirect_uris: [`${config.appUrl}/agents/connexion/callback`],
        post_logout_redirect_uris: [`${config.appUrl}/deconnexion/fin`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
        id_token_signed_response_alg: 'RS256',
        userinfo_signed_response_alg: 'RS256',
      },
    ],
    jwks: { keys: [jwk('ES256'), jwk('RS256')] as never },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims: {
      openid: ['sub'],
      given_name: ['given_name'],
      family_name: ['family_name'],
      birthdate: ['birthdate'],
      email: ['email'],
      usual_name: ['usual_name'],
      uid: ['uid'],
    },
    scopes: ['openid', 'given_name', 'family_name', 'birthdate', 'email', 'usual_name', 'uid'],
    acrValues: ['eidas0', 'eidas1', 'eidas2', 'eidas3'],
    conformIdTokenClaims: true,
    pkce: { required: () => false },
    features: {
      devInteractions: { enabled: false },
      jwtUserinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        // Like FranceConnect: sign out at once, no confirmation page. The form posts itself (a script file: the CSP allows no inline script).
        logoutSource: async (ctx: KoaContextWithOIDC, form: string) => {
          const button = '<button type="submit">Se déconnecter du fournisseur de démonstration</button>';
          ctx.body = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Déconnexion</title></head>
<body>${form.replace('</form>', `<input type="hidden" name="logout" value="yes">${button}</form>`)}
<script src="/static/demo-idp-logout.js"></script></body></html>`;
        },
      },
    },
    findAccount: async (_ctx, sub) => {
      const family = families.get(sub);
      const agent = agents.get(sub);
      if (!family && !agent) return undefined;
      return {
        accountId: sub,
        claims: async () => {
          if (family) {
            const { acr: _acr, note: _note, ...claims } = family;
            return claims;
          }
          const { note: _note, ...claims } = agent!;
          return claims;
        },
      };
    },
    interactions: { url: (_ctx, interaction) => `/demo-idp/interaction/${interaction.uid}` },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, AuthorizationCode: 60, IdToken: 3600 },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      const error = String(out.error).replace(/[<>&"]/g, '');
      ctx.body = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Erreur</title></head>
<body><h1>Erreur du fournisseur d’identité de démonstration</h1><p>${error}</p></body></html>`;
    },
  };

  const provider = new Provider(issuer, configuration);
  provider.proxy = config.trustProxy;

  const router = Router();
  const body = express.urlencoded({ extended: false, limit: '10kb' });

  router.get('/interaction/:uid', async (req: Request, res: Response, next: NextFunction) => {
    try {
      const details = await provider.interactionDetails(req, res);
      const clientId = String(details.params.client_id);
      if (details.prompt.name === 'consent') {
        // The real providers ask no consent from the user for these clients: grant what was asked.
        const grant = details.grantId
          ? await provider.Grant.find(details.grantId)
          : new provider.Grant({ accountId: details.session!.accountId, clientId });
        grant!.addOIDCScope(String(details.params.scope));
        const grantId = await grant!.save();
        await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
        return;
      }
      const forFamilies = clientId === fc.clientId;
      res.render('demo-idp/login.njk', {
        uid: details.uid,
        providerName: forFamilies ? 'FranceConnect' : 'ProConnect',
        identities: forFamilies
          ? DEMO_FAMILIES.map((f) => ({
              sub: f.sub,
              name: `${f.given_name} ${f.family_name}`,
              detail: `née ou né le ${f.birthdate}`,
              note: f.note,
            }))
          : DEMO_AGENTS.map((a) => ({ sub: a.sub, name: `${a.given_name} ${a.usual_name}`, detail: a.email, note: a.note })),
      });
    } catch (e) {
      next(e);
    }
  });

  router.post('/interaction/:uid/login', body, async (req: Request, res: Response, next: NextFunction) => {
    try {
      const details = await provider.interactionDetails(req, res);
      const clientId = String(details.params.client_id);
      const form = (req.body ?? {}) as Record<string, unknown>;
      // Another identity typed on the page (any name, any script) is kept for this provider's lifetime.
      const custom = form.custom === '1' ? customIdentity(clientId === fc.clientId ? 'family' : 'agent', form) : null;
      if (custom?.kind === 'family') families.set(custom.identity.sub, custom.identity);
      if (custom?.kind === 'agent') agents.set(custom.identity.sub, custom.identity);
      const sub = custom ? custom.identity.sub : typeof form.sub === 'string' ? form.sub : '';
      const family = clientId === fc.clientId ? families.get(sub) : undefined;
      const agent = clientId === pc.clientId ? agents.get(sub) : undefined;
      if (!family && !agent) {
        res.status(400).send('Identité inconnue ou incomplète');
        return;
      }
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: sub, acr: family ? family.acr : 'eidas1', amr: ['pwd'] } },
        { mergeWithLastSubmission: false },
      );
    } catch (e) {
      next(e);
    }
  });

  router.use(provider.callback());
  return router;
}
