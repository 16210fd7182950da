/**
 * The SQLSTATE the trigger refuse_closed_family_account raises (migration FamilyAccountClosure): a
 * family's permit request, online booking, waiting-list entry or online UVF / PF request written on an
 * account closed meanwhile (« Mes données »: a closure that committed while the request was on its way).
 */
export const CLOSED_ACCOUNT_SQLSTATE = 'P2V01';

/** What the family reads then (a 401 page: the account's sessions are over), a catalog key: in its language. */
export const CLOSED_ACCOUNT_MESSAGE = 'errors:closedAccount';

/** Whether an error is that refusal (a TypeORM QueryFailedError carries the driver's code, as does the pg error itself). */
export function isClosedAccountRefusal(e: unknown): boolean {
  const err = e as { code?: unknown; driverError?: { code?: unknown } } | null;
  return err?.driverError?.code === CLOSED_ACCOUNT_SQLSTATE || err?.code === CLOSED_ACCOUNT_SQLSTATE;
}
