import 'reflect-metadata';
import { join, resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import connectPgSimple from 'connect-pg-simple';
import express, { NextFunction, Request, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import session from 'express-session';
import helmet from 'helmet';
import nunjucks from 'nunjucks';
import passport from 'passport';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { AppointmentsService } from './appointments/appointments.service';
import { CsrfService } from './auth/csrf.service';
import { OidcService } from './auth/oidc.service';
import type { SessionUser } from './auth/principal';
import { accessLog } from './common/access-log';
import { canonicalAddressMiddleware } from './common/canonical-address';
import { AuditService } from './common/audit.service';
import { Clock } from './common/clock';
import { DocumentStore } from './common/document-store';
import { PostgresRateLimitStore } from './common/rate-limit-store';
import { createPinoLogger, PinoNestLogger } from './common/logger';
import { DEFAULT_LANGUAGE, Translations } from './common/i18n';
import { complianceStatus } from './home/legal-pages';
import { registerFilters } from './common/nunjucks-filters';
import { helmetOptions } from './auth/security-headers';
import { TouchThrottle } from './auth/session-touch';
import { projectRoot } from './common/project-root';
import { AppConfig, ConfigError, loadConfig } from './config/config';
import { EmbeddedPostgres, startEmbeddedPostgres } from './database/embedded-postgres';
import { requestContext } from './database/sql-capture';
import { installTransactionGuard } from './database/transaction-guard';
import { ensureDemoPhotos } from './demo/demo-photos';
import { seedDemoData, seedVisitDay } from './demo/seed';
import { testEndpoints } from './demo/test-endpoints';
import { listRoutes } from './demo/test-routes';
import { testSession } from './demo/test-session';
import { demoSmsRouter, startDemoSmtp } from './notifications/demo-messaging';
import { videoServiceApi } from './video-calls/codes.controller';
import { VideoCallCodesService } from './video-calls/codes.service';

/** Where the demo's permit photos go: the app's documents folder, encrypted with its key (as every permit photo). */
function demoPhotoStore(config: AppConfig): DocumentStore {
  return new DocumentStore(resolve(projectRoot(), config.documents.dir), config.documents.key);
}

export interface RunningApp {
  app: NestExpressApplication;
  url: string;
  close(): Promise<void>;
}

export async function bootstrap(initialConfig: AppConfig): Promise<RunningApp> {
  let config = initialConfig;
  const log = createPinoLogger(config.logLevel);
  const logger = log.logger;
  const root = projectRoot();
  let embedded: EmbeddedPostgres | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres(resolve(root, config.dataDir), config.embeddedDbPort);
    databaseUrl = embedded.url;
    logger.info({ dataDir: config.dataDir }, 'Embedded PostgreSQL (PGlite) started');
  }

  // One small pool for the session store and the demo message capture.
  const sidePool = new Pool({ connectionString: databaseUrl, max: 5 });
  // A connection the server closes (restart, failover) is logged and replaced, never a crash.
  sidePool.on('error', (err) => logger.warn({ err }, 'Session store connection lost'));
  let demoSmtp: { port: number; close(): Promise<void> } | undefined;
  if (config.notifications.demo) {
    demoSmtp = await startDemoSmtp(sidePool, config.notifications.demoSmtpPort);
    if (!config.notifications.smtp) {
      config = { ...config, notifications: { ...config.notifications, smtp: { host: '127.0.0.1', port: demoSmtp.port, secure: false } } };
    }
    logger.warn({ smtpPort: demoSmtp.port }, 'Demo messaging: e-mails and SMS are captured locally, never sent');
  }

  if (config.txGuard) installTransactionGuard();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config, databaseUrl), {
    logger: new PinoNestLogger(logger),
    bodyParser: false,
  });
  const server: express.Express = app.getHttpAdapter().getInstance();
  server.disable('x-powered-by');
  if (config.trustProxy) app.set('trust proxy', 1);

  // Views: Nunjucks, autoescape on, DSFR templates in views/.
  const views = join(root, 'views');
  const env = nunjucks.configure(views, {
    autoescape: true,
    express: server,
    // Compiled once and kept, in the demo and the tests as in production; TEMPLATE_RELOAD=true to edit views/ live.
    noCache: config.templateReload,
    throwOnUndefined: false,
  });
  registerFilters(env);
  // In the request's language (set by src/auth/principal.middleware.ts), macros imported without context included; French before it is known (a 415).
  const translations = app.get(Translations);
  env.addGlobal('t', translations.current);
  env.addGlobal('msg', translations.message);
  env.addGlobal('lang', DEFAULT_LANGUAGE);
  env.addGlobal('dir', 'ltr');
  env.addGlobal('serviceName', 'P2V');
  env.addGlobal('demo', config.demoIdp);
  // Every page's footer states the accessibility compliance status, the statement's.
  env.addGlobal('accessibilityStatus', complianceStatus(config.legal.accessibilityAuditRate));
  app.setBaseViewsDir(views);
  app.setViewEngine('njk');

  // Request ids and structured access logs (no query strings, no cookies).
  app.use(accessLog(logger));
  // The benchmarks' SQL capture needs to know which request a statement serves (src/database/sql-capture.ts).
  if (config.sqlCaptureFile)
    app.use((req: Request, _res: Response, next: NextFunction) => requestContext.run({ requestId: req.requestId ?? '' }, next));
  // Security headers on every answer from here on: redirects, refusals, the demo provider and the demo SMS endpoint included.
  app.use(helmet(helmetOptions(config)));
  // One address, APP_URL (the OpenID providers return there): any other host name is sent there first.
  app.use(canonicalAddressMiddleware(config));
  // No answer is kept by the browser or a proxy (ASVS V8.2.1): a family's requests or a detainee's name on a
  // shared computer, a page shown again by « back » after sign-out. The static files below are the exception
  // (they set their own Cache-Control). With nothing kept, an ETag (a hash of every page) would serve no purpose.
  server.set('etag', false);
  app.use((_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'private, no-store');
    next();
  });

  // Rate limits per client address, counted in PostgreSQL (rate_limit_hits): every instance behind the
  // load balancer counts the same requests. The address is the socket's unless TRUST_PROXY is set.
  const dataSource = app.get(DataSource);
  const limitStore = (name: string) =>
    new PostgresRateLimitStore(dataSource, name, Date.now, (err) => logger.warn({ err, limiter: name }, 'Rate limit purge failed'));
  // Sign-in routes, and the contact's video-call code page.
  const signInLimiter = rateLimit({
    windowMs: 60_000,
    limit: config.signinRateLimit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    store: limitStore('signin'),
    handler: (_req, res) => res.status(429).render('errors/429.njk'),
  });
  app.use(['/connexion', '/agents/connexion', '/demo-idp/interaction', '/visio/code'], signInLimiter);
  // The écrou check of a permit request (step 1): trying many numbers is slowed (ECROU_RATE_LIMIT), on top of
  // the family's failed checks per hour (permit_lookup_failures).
  const ecrouLimiter = rateLimit({
    windowMs: 60_000,
    limit: config.ecrouRateLimit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    store: limitStore('ecrou'),
    handler: (_req, res) =>
      res.status(429).render('errors/429.njk', {
        message: 'Vous avez vérifié trop de numéros d’écrou en peu de temps. Patientez une minute puis réessayez.',
      }),
  });
  app.use('/demandes', (req: Request, res: Response, next: NextFunction) =>
    req.method === 'POST' && /^\/[^/]+\/etape\/0*1\/?$/i.test(req.path) ? ecrouLimiter(req, res, next) : next(),
  );
  // The video service's code checks too (a JSON answer): guesses are bounded per address as well as per code.
  // One machine calls for every establishment, so its limit is its own (VIDEO_SERVICE_RATE_LIMIT).
  const videoServiceLimiter = rateLimit({
    windowMs: 60_000,
    limit: config.videoServiceRateLimit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    store: limitStore('video-service'),
    handler: (_req, res) => res.status(429).json({ ok: false, reason: 'RATE_LIMITED' }),
  });
  app.use('/api/visio', videoServiceLimiter);

  // The local OpenID provider (demo and tests only) lives outside the app's session.
  if (config.demoIdp) {
    // Loaded only here: production never loads oidc-provider (which asks for Node.js 22; README).
    const { createDemoIdp } = await import('./demo-idp/demo-idp.js');
    app.use('/demo-idp', createDemoIdp(config));
    logger.warn('Demo OpenID provider enabled at /demo-idp: never in production');
  }
  if (config.notifications.demo) app.use('/demo-sms', demoSmsRouter(sidePool));
  // The video service's adapter endpoint: JSON, its own key, outside the session and CSRF (a machine calls it).
  app.use('/api/visio', videoServiceApi(app.get(VideoCallCodesService)));
  if (config.testEndpoints) {
    const deps = {
      clock: app.get(Clock),
      dataSource: app.get(DataSource),
      appointments: app.get(AppointmentsService),
      photos: demoPhotoStore(config),
      documentsDir: config.documents.dir,
      routes: () => listRoutes(app),
    };
    app.use('/__test__', testEndpoints(deps));
    logger.warn('Test endpoints enabled at /__test__ (clock, reset, routes, session): never in production');
  }

  // DSFR assets straight from node_modules, and our own few static files.
  // A file served drops the no-store set above (send() then writes its own Cache-Control); a path that is
  // no file goes on to a 404 page, kept by no one.
  const cached = (maxAge: string) => ({
    maxAge: config.env === 'production' ? maxAge : 0,
    index: false as const,
    setHeaders: (res: Response) => res.removeHeader('Cache-Control'),
  });
  app.use('/dsfr', express.static(join(root, 'node_modules/@gouvfr/dsfr/dist'), cached('7d')));
  app.use('/static', express.static(join(root, 'public'), cached('1d')));

  // Forms only: no route takes JSON (the demo SMS endpoint parses its own); any other body is refused.
  app.use((req: Request, _res: Response, next: NextFunction) => {
    const hasBody = ['POST', 'PUT', 'PATCH'].includes(req.method) && req.headers['content-type'] !== undefined;
    if (hasBody && !req.is('application/x-www-form-urlencoded') && !req.is('multipart/form-data')) {
      return next(Object.assign(new Error('Unsupported content type'), { status: 415, expose: true }));
    }
    next();
  });
  app.use(express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 200 }));

  const PgStore = connectPgSimple(session);
  // The idle timeout pushed back at most once a minute per session, not on every page (session-touch.ts).
  const touches = new TouchThrottle(60_000);
  class SessionStore extends PgStore {
    override touch(sid: string, sess: session.SessionData, cb?: (err?: unknown) => void): void {
      if (touches.due(sid, Date.now())) super.touch(sid, sess, cb);
      else cb?.();
    }
    override destroy(sid: string, cb?: (err?: unknown) => void): void {
      touches.forget(sid);
      super.destroy(sid, cb);
    }
  }
  app.use(
    session({
      name: 'p2v.sid',
      store: new SessionStore({ pool: sidePool, tableName: 'session', createTableIfMissing: false, pruneSessionInterval: 15 * 60 }),
      secret: config.sessionSecret,
      resave: false,
      saveUninitialized: false,
      rolling: true,
      proxy: config.trustProxy,
      cookie: { httpOnly: true, sameSite: 'lax', secure: config.env === 'production', maxAge: config.sessionIdleMinutes * 60_000 },
    }),
  );
  passport.serializeUser((user, done) => done(null, user));
  passport.deserializeUser((user: SessionUser, done) => done(null, user));
  // No passport.initialize(): since passport 0.6 the session strategy below sets up the same on each request.
  app.use(passport.session());
  // Tests only: start a session as a person without the OpenID exchange (src/demo/test-session.ts).
  if (config.testEndpoints) app.use('/__test__/session', testSession(app.get(OidcService)));

  const csrf = app.get(CsrfService);
  app.use((req: Request, res: Response, next: NextFunction) => {
    res.locals.csrfToken = () => csrf.token(req);
    res.locals.currentPath = req.path;
    next();
  });

  await app.init();

  // A chain written before AUDIT_KEY (plain SHA-256 head) gets its first signed entry (issue #14).
  const chain = await app.get(DataSource).transaction((m) => app.get(AuditService).anchorLegacyChain(m));
  if (chain === 'ANCHORED') logger.info('Audit chain keyed from now on (AUDIT_CHAIN_KEYED)');
  if (chain === 'UNKNOWN_HEAD') logger.error('Audit chain head is not signed with AUDIT_KEY: run npm run audit:verify');

  if (config.seedDemoData) {
    const photos = demoPhotoStore(config);
    const seeded = await seedDemoData(app.get(DataSource), {
      onlyIfEmpty: true,
      appointments: app.get(AppointmentsService),
      now: app.get(Clock).now(),
      photos,
    });
    if (seeded) logger.info('Demo data created');
    // The demo visiting room has visits to check in on every day the app starts, its visitors' photos in this documents folder.
    else {
      const files = await ensureDemoPhotos(photos);
      await app.get(DataSource).transaction((m) => seedVisitDay(m, app.get(Clock).now(), files));
    }
  }

  await app.listen(config.port, config.env === 'production' ? '0.0.0.0' : '127.0.0.1');
  const url = config.appUrl;
  logger.info({ url, database: embedded ? 'embedded' : 'external' }, `P2V listening on ${url}`);
  // The start-up's lines now, not a second later (the log is buffered: src/common/logger.ts).
  await log.flush();
  return {
    app,
    url,
    async close() {
      await app.close();
      await demoSmtp?.close();
      await sidePool.end();
      await embedded?.stop();
      await log.close();
    },
  };
}

if (require.main === module) {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`P2V cannot start. ${e.message}\nSee .env.example and the README's configuration table.\n`);
      process.exit(1);
    }
    throw e;
  }
  bootstrap(config)
    .then((running) => {
      const stop = () => void running.close().finally(() => process.exit(0));
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    })
    .catch((e) => {
      process.stderr.write(`P2V failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    });
}
