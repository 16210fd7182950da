import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

/** Structured JSON logs (one object per line) for the app and Nest itself. */
export function createPinoLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'p2v' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
  });
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
