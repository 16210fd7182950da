import type { NextFunction, Request, Response } from 'express';

/**
 * P2V has one address, APP_URL: the OpenID providers send people back there, and the session cookie
 * belongs to that host. Opened on another name of the same server (127.0.0.1 instead of localhost,
 * the server's own name, the load balancer's address), a sign-in would start with a cookie the
 * return to APP_URL does not carry, and fail. So every request on another address is sent to the
 * same path on APP_URL, before anything else is done with it.
 */

/** What a request says of the address it was sent to. */
export interface RequestAddress {
  method: string;
  /** The path alone. */
  path: string;
  /** The path and query string, as received. */
  url: string;
  /** Host and port as the browser sent them: the Host header, or X-Forwarded-Host behind a trusted proxy. */
  host: string | undefined;
  /** The browser's scheme when a trusted proxy states it (X-Forwarded-Proto); null when unknown. */
  protocol: string | null;
}

export type AddressDecision =
  | { kind: 'serve' }
  /** GET or HEAD: the same path and query on APP_URL. */
  | { kind: 'redirect'; location: string }
  /** Any other method: a form sent to the wrong address is not carried over (its CSRF token belongs to another session); `home` is APP_URL's home page. */
  | { kind: 'refuse'; home: string };

/**
 * Paths that machines call on whatever address they know the server by, with no session: the load
 * balancer's health check, the video service's API (its own key).
 */
const ANY_ADDRESS = [/^\/health\/?$/, /^\/api\//];

/** A Host header value: a name or an IP (v6 in brackets), perhaps a port; nothing else (no user, no path). */
const HOST = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/** The host and port of `host` as a URL of `protocol` writes them (lower case, default port left out), or null if it is not a host. */
function normalisedHost(protocol: string, host: string | undefined): string | null {
  if (!host || !HOST.test(host)) return null;
  try {
    return new URL(`${protocol}//${host}`).host;
  } catch {
    return null;
  }
}

/** Whether the request is on APP_URL (or on a path any address may call), and where to send it otherwise. */
export function canonicalAddress(appUrl: string, req: RequestAddress): AddressDecision {
  if (ANY_ADDRESS.some((p) => p.test(req.path))) return { kind: 'serve' };
  const app = new URL(appUrl);
  const sameHost = normalisedHost(app.protocol, req.host) === app.host;
  const sameScheme = req.protocol === null || `${req.protocol.toLowerCase()}:` === app.protocol;
  if (sameHost && sameScheme) return { kind: 'serve' };
  // The location is APP_URL's, never the request's: no redirect elsewhere can be made from outside.
  const base = `${app.origin}${app.pathname.replace(/\/$/, '')}`;
  if (req.method !== 'GET' && req.method !== 'HEAD') return { kind: 'refuse', home: `${base}/` };
  return { kind: 'redirect', location: `${base}${req.url.startsWith('/') ? req.url : '/'}` };
}

/**
 * The middleware: a permanent redirect in production (301), a temporary one elsewhere (302: a
 * developer's browser must not remember that 127.0.0.1:3000 is another app's address); a form sent
 * to another address gets a French page (421) with the link to APP_URL.
 */
export function canonicalAddressMiddleware(config: { appUrl: string; env: string; trustProxy: boolean }) {
  return (req: Request, res: Response, next: NextFunction) => {
    const forwardedProto = config.trustProxy && Boolean(req.get('X-Forwarded-Proto'));
    const decision = canonicalAddress(config.appUrl, {
      method: req.method,
      path: req.path,
      url: req.originalUrl,
      host: req.host,
      protocol: forwardedProto ? req.protocol : null,
    });
    switch (decision.kind) {
      case 'serve':
        return next();
      case 'redirect':
        return res.redirect(config.env === 'production' ? 301 : 302, decision.location);
      case 'refuse':
        return res.status(421).render('errors/wrong-address.njk', { home: decision.home });
    }
  };
}
