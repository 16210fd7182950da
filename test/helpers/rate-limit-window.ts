/**
 * The rate limits count in fixed windows of a minute, aligned on the epoch (src/common/rate-limit-store.ts):
 * requests meant to be counted together wait, when less than 10 s of the current window is left, for
 * the next window to begin (a count straddling two windows would start again from zero).
 */
export async function awayFromWindowEnd(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 10_000) await new Promise((resolve) => setTimeout(resolve, left + 100));
}
