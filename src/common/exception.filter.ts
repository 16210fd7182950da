import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CLOSED_ACCOUNT_MESSAGE, isClosedAccountRefusal } from './closed-account';
import { isDatabaseUnavailable } from './database-unavailable';
import { DomainError } from './domain-error';
import { BadInputException } from './input.guard';

const PAGES: Record<number, string> = {
  400: 'errors/400.njk',
  401: 'errors/401.njk',
  403: 'errors/403.njk',
  404: 'errors/404.njk',
  429: 'errors/429.njk',
  503: 'errors/503.njk',
};

/** Every error becomes a French DSFR page (or JSON for JSON clients). No stack trace ever reaches the user. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost) {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    let status: number = HttpStatus.INTERNAL_SERVER_ERROR;
    let message: string | undefined;
    if (exception instanceof HttpException) status = exception.getStatus();
    if (exception instanceof BadInputException) message = exception.message;
    else if (exception instanceof DomainError) {
      status = exception.status;
      message = exception.message;
    } else if (typeof (exception as { status?: unknown })?.status === 'number' && (exception as { expose?: boolean }).expose) {
      status = (exception as { status: number }).status; // body-parser & co (payload too large, bad JSON)
    } else if (isClosedAccountRefusal(exception)) {
      // The family's account was closed while this request was on its way (migration FamilyAccountClosure).
      status = HttpStatus.UNAUTHORIZED;
      message = CLOSED_ACCOUNT_MESSAGE;
    } else if (isDatabaseUnavailable(exception)) {
      // The database is restarting or out of reach (issue #14): « try again », not a failure of the page.
      status = HttpStatus.SERVICE_UNAVAILABLE;
    }
    if (status === 503) this.logger.warn({ err: exception, requestId: req.requestId }, 'Service unavailable');
    else if (status >= 500) this.logger.error({ err: exception, requestId: req.requestId }, 'Unhandled error');
    if (res.headersSent) return;
    if (status === 503) res.setHeader('Retry-After', '5');
    const csrf = exception instanceof HttpException && exception.message === 'CSRF_REFUSED';
    if (req.accepts(['html', 'json']) === 'json') {
      res.status(status).json({ statusCode: status, error: csrf ? 'CSRF_REFUSED' : HttpStatus[status], requestId: req.requestId });
      return;
    }
    const view = PAGES[status] ?? (status >= 500 ? 'errors/500.njk' : 'errors/400.njk');
    res.status(status).render(view, { message, csrf, requestId: req.requestId }, (err: Error | null, html?: string) => {
      if (err) {
        this.logger.error({ err, requestId: req.requestId }, 'Error page failed to render');
        res.type('text/plain').send('Une erreur est survenue. Veuillez réessayer plus tard.');
        return;
      }
      res.send(html);
    });
  }
}
