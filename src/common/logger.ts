import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

/** The longest a log line waits in the buffer before it is written (ms). */
export const LOG_FLUSH_MS = 1000;

/** The app's logger, and how to write what it holds and stop its timer (the app's close). */
export interface AppLogger {
  logger: Logger;
  /** Writes the lines the buffer holds; resolves once they are written. */
  flush(): Promise<void>;
  /** Flushes, then stops the flush timer. */
  close(): Promise<void>;
}

/**
 * Structured JSON logs (one object per line) for the app and Nest itself, on `fd` (stdout). The lines
 * are buffered and written together, 4 KB at a time and at least every second (LOG_FLUSH_MS): one
 * write(2) per request was a measurable share of a page's time under load (issue #15). What is left is
 * written when the app has started (its start-up lines at once), when it closes, and when the process
 * exits, an uncaught error included (pino writes it synchronously then).
 */
export function createPinoLogger(level: string, fd = 1): AppLogger {
  const destination = pino.destination({ dest: fd, minLength: 4096, sync: false });
  const logger = pino(
    {
      level,
      base: { service: 'p2v' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
    },
    destination,
  );
  const flush = () => new Promise<void>((done) => logger.flush(() => done()));
  const timer = setInterval(() => logger.flush(), LOG_FLUSH_MS);
  timer.unref();
  return {
    logger,
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}

export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace', message: unknown, context?: string, extra?: unknown) {
    if (message && typeof message === 'object') this.logger[level]({ context, ...message, ...(extra ? { trace: extra } : {}) });
    else this.logger[level]({ context, ...(extra ? { trace: extra } : {}) }, String(message));
  }
  log(message: unknown, context?: string) {
    this.write('info', message, context);
  }
  error(message: unknown, trace?: string, context?: string) {
    this.write(
      'error',
      message,
      context ?? (trace && !trace.includes('\n') ? trace : undefined),
      trace?.includes('\n') ? trace : undefined,
    );
  }
  warn(message: unknown, context?: string) {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string) {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string) {
    this.write('trace', message, context);
  }
}
