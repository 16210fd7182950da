import { Logger } from '@nestjs/common';

/**
 * Runs a background job every `intervalMs` in this instance (never keeping the process alive), now
 * or after the first interval; a failed run is logged and the next one happens anyway. The jobs must
 * be safe to run in several instances at once (row locks, idempotent updates). Returns `stop`.
 */
export function runPeriodically(
  name: string,
  intervalMs: number,
  job: (log: Logger) => Promise<void>,
  opts: { runNow?: boolean } = {},
): () => void {
  const logger = new Logger(name);
  const run = async () => {
    try {
      await job(logger);
    } catch (e) {
      logger.error(`${name} run failed: ${String(e)}`);
    }
  };
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  if (opts.runNow) void run();
  return () => clearInterval(timer);
}
