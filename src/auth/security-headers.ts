import type { HelmetOptions } from 'helmet';
import type { AppConfig } from '../config/config';

/** The origin of an absolute URL, or none for anything else. */
function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * The security headers of every answer (pages, errors, static files, the demo provider and SMS
 * endpoint): a CSP without inline scripts or styles, no framing, no MIME sniffing, a strict
 * referrer policy, HSTS in production. Sign-out's form redirects to the identity providers' end of
 * session: their origins are allowed as form targets (browsers apply form-action to redirects).
 */
export function helmetOptions(config: Pick<AppConfig, 'env' | 'franceConnect' | 'proConnect'>): HelmetOptions {
  const production = config.env === 'production';
  const providers = [config.franceConnect.issuer, config.proConnect.issuer].map(originOf).filter((o): o is string => Boolean(o));
  const formAction = ["'self'", ...new Set(providers)];
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction,
        frameAncestors: ["'none'"],
        ...(production ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // One year, sub-domains included, in production only (development and tests run over http).
    strictTransportSecurity: production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  };
}
