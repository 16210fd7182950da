import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';

/** An X-Request-Id a proxy may give (kept as the request's id): 8 to 64 letters, digits, `_` or `-`. */
const GIVEN_ID = /^[\w-]{8,64}$/;

/**
 * Each request's id (the proxy's X-Request-Id when it is well formed, a new UUID otherwise), sent back
 * in X-Request-Id and kept as `req.requestId`, and one access-log line when its answer is sent or the
 * client leaves: method, path (never the query string, which may hold a name or a number), status,
 * time in ms. Nothing else of the request (no cookie, no header). /health, which the load balancer
 * polls, is not logged. An answer of 500 or more is logged as an error.
 */
export function accessLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && GIVEN_ID.test(given) ? given : randomUUID();
    req.requestId = id;
    res.setHeader('X-Request-Id', id);
    const path = req.url.split('?')[0];
    if (path !== '/health') {
      const started = Date.now();
      const done = () => {
        res.off('close', done);
        res.off('finish', done);
        const line = {
          req: { id, method: req.method, path },
          res: { statusCode: res.statusCode },
          responseTime: Date.now() - started,
        };
        if (!res.writableFinished) logger.info(line, 'request aborted');
        else if (res.statusCode >= 500) logger.error(line, 'request errored');
        else logger.info(line, 'request completed');
      };
      res.on('finish', done);
      res.on('close', done);
    }
    next();
  };
}
