/**
 * The absolute lifetime of a session (OWASP ASVS 3.3.x): besides the idle timeout (the cookie's
 * rolling maxAge), a session ends a fixed time after its sign-in, however active it is.
 * Wall-clock time, like the idle timeout: the application's Clock moves in tests for domain rules only.
 */
export function sessionOutlived(signedInAt: number | undefined, now: number, absoluteHours: number): boolean {
  // A signed-in session without its sign-in time predates the rule: it ends once.
  if (typeof signedInAt !== 'number' || !Number.isFinite(signedInAt)) return true;
  return now - signedInAt >= absoluteHours * 3_600_000;
}
