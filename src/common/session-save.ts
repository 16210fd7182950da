import type { Request } from 'express';

/**
 * Stores the session now. express-session saves a changed session only as the response ends, and it
 * sends the headers first (it holds back the body's last byte until the store answers): a browser
 * follows a 303 on its headers, so the next page could read the session as it was before. Data kept
 * for the next page (post/redirect/get) is saved with this before the redirect.
 */
export function saveSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((e) => (e ? reject(e as Error) : resolve())));
}
