import { Injectable } from '@nestjs/common';
import * as client from 'openid-client';
import type { Request } from 'express';
import { AuditService } from '../common/audit.service';
import { saveSession } from '../common/session-save';
import { OidcService } from './oidc.service';
import type { SessionUser } from './principal';

function sessionUser(req: Request): SessionUser | undefined {
  return (req.session as unknown as { passport?: { user?: SessionUser } } | undefined)?.passport?.user;
}

/**
 * Signing out: P2V's session ended (passport's logout: the old session id opens nothing), audited, then
 * the provider's end_session URL (id_token_hint, a `state` kept in the new session and checked on the
 * return to /deconnexion/fin). The sign-out form's and the account closure's (« Mes données »), which
 * ends with it.
 */
@Injectable()
export class SignOutService {
  constructor(
    private readonly oidc: OidcService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Ends the request's session; the URL to send the browser to (the provider's end_session), or null when
   * nobody was signed in. `accountClosed`: the end page says that the account is closed.
   */
  async signOut(req: Request, opts: { accountClosed?: boolean } = {}): Promise<string | null> {
    const user = sessionUser(req);
    const label = req.principal?.displayName ?? (user?.kind === 'agent' ? 'Agent' : 'Famille');
    await new Promise<void>((resolve, reject) => req.logout((err) => (err ? reject(err as Error) : resolve())));
    if (!user) return null;
    const state = client.randomState();
    req.session.logoutState = state;
    if (opts.accountClosed) req.session.accountClosed = true;
    await this.auditSignOut(user, label);
    const url = await this.oidc.endSessionUrl(user, state);
    await saveSession(req);
    return url;
  }

  /** Sign-outs are audited (issue #14): who, with which provider. The session ends even if the entry cannot be written (then a 500). */
  private auditSignOut(user: SessionUser, label: string): Promise<void> {
    const actor = { type: user.kind === 'agent' ? ('AGENT' as const) : ('FAMILY' as const), id: user.id, label };
    const entityType = user.kind === 'agent' ? 'agent' : 'family_account';
    const action = user.kind === 'agent' ? 'AGENT_SIGNED_OUT' : 'FAMILY_SIGNED_OUT';
    return this.audit.recordNow({ actor, action, entityType, entityId: user.id, after: { provider: user.provider } });
  }
}
