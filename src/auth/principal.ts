import type { Language } from '../common/i18n';
import type { OversightGrant, StaffRole } from './roles';

/** What passport keeps in the session: who signed in, with which provider, and the ID token for logout. */
export interface SessionUser {
  kind: 'family' | 'agent';
  id: string;
  provider: 'franceconnect' | 'proconnect';
  idToken: string;
}

export interface StaffGrant {
  establishmentId: string;
  establishmentCode: string;
  establishmentName: string;
  role: StaffRole;
}

/** The signed-in user as loaded from the database on every request (roles are never cached). */
export type Principal =
  /** A family: its contact details too, for the convocations its own bookings send (one query per request). */
  | { kind: 'family'; id: string; displayName: string; email: string | null; mobilePhone: string | null; language: Language | null }
  | { kind: 'agent'; id: string; displayName: string; email: string; grants: StaffGrant[]; oversight: OversightGrant[] };

/** The signed-in user as the actor of an audited change. */
export function actorOf(p: Principal): { type: 'AGENT' | 'FAMILY'; id: string; label: string } {
  return { type: p.kind === 'agent' ? 'AGENT' : 'FAMILY', id: p.id, label: p.displayName };
}

/** The signed-in family (its id and contact details); a route for families only calls it. */
export function familyOf(p: Principal): { id: string; email: string | null; mobilePhone: string | null } {
  if (p.kind !== 'family') throw new Error('A family route reached without a family signed in');
  return { id: p.id, email: p.email, mobilePhone: p.mobilePhone };
}

/** Whether a staff member holds one of these roles at this establishment. */
export function holdsRole(p: Principal, establishmentId: string, roles: StaffRole[]): boolean {
  return p.kind === 'agent' && p.grants.some((g) => g.establishmentId === establishmentId && roles.includes(g.role));
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
    requestId?: string;
    /** The page's language (src/common/i18n.ts pageLanguage): French on staff pages. */
    language?: Language;
  }
}

declare module 'express-session' {
  interface SessionData {
    logoutState?: string;
    /** Set by the closure of the account (« Mes données »): the sign-out's end page says the account is closed. */
    accountClosed?: boolean;
    /** When the person signed in (ms since the epoch, wall clock): the session ends SESSION_ABSOLUTE_HOURS later. */
    signedInAt?: number;
    signInReturn?: string;
  }
}
