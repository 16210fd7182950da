import type { StaffRole } from './roles';

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
  | { kind: 'family'; id: string; displayName: string }
  | { kind: 'agent'; id: string; displayName: string; email: string; grants: StaffGrant[] };

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
    requestId?: string;
  }
}

declare module 'express-session' {
  interface SessionData {
    logoutState?: string;
    signInReturn?: string;
  }
}
