import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  Min,
  Matches,
  MaxLength,
  MinLength,
  validateSync,
  ValidationError,
} from 'class-validator';
import { parseReminderOffsets, type ReminderOffset } from './reminder-offsets';

/** Environment values are strings; anything else is left for validation to refuse. */
const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }) => {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') return value;
  if (['true', '1', 'yes', 'on'].includes(value.toLowerCase())) return true;
  if (['false', '0', 'no', 'off'].includes(value.toLowerCase())) return false;
  return value;
};
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/**
 * The environment, as read at start-up. Every variable is listed in .env.example and in the
 * README's configuration table. Anything invalid stops the start with a message naming it.
 */
export class EnvironmentVariables {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @Transform(toInt)
  @IsInt({ message: 'PORT must be a whole number between 1 and 65535' })
  @Min(1, { message: 'PORT must be a whole number between 1 and 65535' })
  @Max(65535, { message: 'PORT must be a whole number between 1 and 65535' })
  PORT = 3000;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl(
    { require_tld: false, protocols: ['http', 'https'], require_protocol: true },
    { message: 'APP_URL must be an absolute http(s) URL, e.g. https://p2v.justice.gouv.fr' },
  )
  APP_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl(
    { require_tld: false, protocols: ['postgres', 'postgresql'], require_protocol: true },
    { message: 'DATABASE_URL must be a postgres:// URL' },
  )
  DATABASE_URL?: string;

  @IsString()
  P2V_DATA_DIR = '.data/pglite';

  @Transform(toInt)
  @IsInt({ message: 'EMBEDDED_DB_PORT must be a whole number (0 picks a free port)' })
  @Min(0)
  @Max(65535)
  EMBEDDED_DB_PORT = 0;

  @Transform(toBool)
  @IsOptional()
  @IsBoolean({ message: 'DEMO_IDP must be true or false' })
  DEMO_IDP?: boolean;

  @Transform(toBool)
  @IsOptional()
  @IsBoolean({ message: 'SEED_DEMO_DATA must be true or false' })
  SEED_DEMO_DATA?: boolean;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'SESSION_SECRET must be at least 32 characters long' })
  SESSION_SECRET?: string;

  @Transform(toInt)
  @IsInt({ message: 'SESSION_IDLE_MINUTES must be a whole number of minutes' })
  @Min(1)
  @Max(24 * 60)
  SESSION_IDLE_MINUTES = 30;

  /** However active, a session ends this many hours after its sign-in (OWASP ASVS 3.3.x). */
  @Transform(toInt)
  @IsInt({ message: 'SESSION_ABSOLUTE_HOURS must be a whole number of hours' })
  @Min(1)
  @Max(7 * 24)
  SESSION_ABSOLUTE_HOURS = 12;

  @Transform(toInt)
  @IsInt({ message: 'SIGNIN_RATE_LIMIT must be a whole number of requests per minute' })
  @Min(1)
  SIGNIN_RATE_LIMIT = 30;

  @Transform(toInt)
  @IsInt({ message: 'VIDEO_SERVICE_RATE_LIMIT must be a whole number of requests per minute' })
  @Min(1)
  VIDEO_SERVICE_RATE_LIMIT = 600;

  @Transform(toInt)
  @IsInt({ message: 'ECROU_RATE_LIMIT must be a whole number of requests per minute' })
  @Min(1)
  ECROU_RATE_LIMIT = 10;

  @Transform(toBool)
  @IsBoolean({ message: 'TRUST_PROXY must be true or false' })
  TRUST_PROXY = false;

  /** Templates read again on every page (a developer editing views/); compiled once and kept otherwise. */
  @Transform(toBool)
  @IsBoolean({ message: 'TEMPLATE_RELOAD must be true or false' })
  TEMPLATE_RELOAD = false;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Transform(toBool)
  @IsOptional()
  @IsBoolean({ message: 'DEMO_MESSAGING must be true or false' })
  DEMO_MESSAGING?: boolean;

  @Transform(toInt)
  @IsInt({ message: 'DEMO_SMTP_PORT must be a whole number (0 picks a free port)' })
  @Min(0)
  @Max(65535)
  DEMO_SMTP_PORT = 0;

  @Transform(emptyToUndefined) @IsOptional() @IsString() SMTP_HOST?: string;

  @Transform(toInt)
  @IsInt({ message: 'SMTP_PORT must be a whole number between 1 and 65535' })
  @Min(1)
  @Max(65535)
  SMTP_PORT = 587;

  @Transform(toBool)
  @IsBoolean({ message: 'SMTP_SECURE must be true or false' })
  SMTP_SECURE = false;

  @Transform(emptyToUndefined) @IsOptional() @IsString() SMTP_USER?: string;
  @Transform(emptyToUndefined) @IsOptional() @IsString() SMTP_PASSWORD?: string;

  @IsString()
  @MinLength(3)
  MAIL_FROM = 'P2V - Ministère de la Justice <ne-pas-repondre@p2v.justice.gouv.fr>';

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true }, { message: 'SMS_API_URL must be an absolute URL, e.g. https://api.brevo.com' })
  SMS_API_URL?: string;

  @Transform(emptyToUndefined) @IsOptional() @IsString() SMS_API_KEY?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[A-Za-z0-9]{3,11}$/, { message: 'SMS_SENDER must be 3 to 11 letters or digits' })
  SMS_SENDER = 'JUSTICE';

  @Transform(toBool)
  @IsBoolean({ message: 'NOTIFICATIONS_WORKER must be true or false' })
  NOTIFICATIONS_WORKER = true;

  @Transform(toInt)
  @IsInt({ message: 'NOTIFICATIONS_POLL_MS must be a whole number of milliseconds' })
  @Min(100)
  NOTIFICATIONS_POLL_MS = 2000;

  @Transform(toInt)
  @IsInt({ message: 'WAITLIST_POLL_MS must be a whole number of milliseconds' })
  @Min(100)
  WAITLIST_POLL_MS = 60000;

  /** How often the figures of the DAP's national view are recomputed (the recent months of every establishment). */
  @Transform(toInt)
  @IsInt({ message: 'OVERSIGHT_REFRESH_MS must be a whole number of milliseconds' })
  @Min(1000)
  OVERSIGHT_REFRESH_MS = 3600000;

  /** A GENESIS population import that would release more than this share (%) of the population asks for an explicit confirmation. */
  @Transform(toInt)
  @IsInt({ message: 'GENESIS_RELEASE_CONFIRM_PERCENT must be a whole number of percent between 1 and 100' })
  @Min(1)
  @Max(100)
  GENESIS_RELEASE_CONFIRM_PERCENT = 10;

  @Transform(toInt)
  @IsInt({ message: 'NOTIFICATIONS_MAX_ATTEMPTS must be a whole number' })
  @Min(1)
  @Max(30)
  NOTIFICATIONS_MAX_ATTEMPTS = 8;

  @Transform(toInt)
  @IsInt({ message: 'NOTIFICATIONS_RETRY_BASE_MS must be a whole number of milliseconds' })
  @Min(10)
  NOTIFICATIONS_RETRY_BASE_MS = 30000;

  @IsString()
  REMINDER_OFFSETS = 'P2D:EMAIL,P1D:SMS';

  @IsString()
  DOCUMENTS_DIR = '.data/documents';

  @Transform(toInt)
  @IsInt({ message: 'DOCUMENTS_RETENTION_DAYS must be a whole number of days' })
  @Min(365, { message: 'DOCUMENTS_RETENTION_DAYS must be at least 365: a recourse stays possible for a year (CE, 13 July 2016, Czabaj)' })
  @Max(3650)
  DOCUMENTS_RETENTION_DAYS = 365;

  /** Sent (or failed, cancelled, dropped) messages are deleted this many days after they ended (docs/retention.md). */
  @Transform(toInt)
  @IsInt({ message: 'NOTIFICATIONS_RETENTION_DAYS must be a whole number of days' })
  @Min(30)
  @Max(3650)
  NOTIFICATIONS_RETENTION_DAYS = 365;

  /** Delivery attempts (the providers' answers) are deleted this many days after they finished. */
  @Transform(toInt)
  @IsInt({ message: 'NOTIFICATION_ATTEMPTS_RETENTION_DAYS must be a whole number of days' })
  @Min(7)
  @Max(3650)
  NOTIFICATION_ATTEMPTS_RETENTION_DAYS = 90;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'DOCUMENTS_KEY must be 32 random bytes in base64 (openssl rand -base64 32)' })
  DOCUMENTS_KEY?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'AUDIT_KEY must be 32 random bytes in base64 (openssl rand -base64 32)' })
  AUDIT_KEY?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'VIDEO_CALL_CODE_SECRET must be at least 32 characters long' })
  VIDEO_CALL_CODE_SECRET?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'VIDEO_SERVICE_API_KEY must be at least 32 characters long' })
  VIDEO_SERVICE_API_KEY?: string;

  /** The hosting provider the legal notice names (name, address, phone), set per deployment (/mentions-legales). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(300, { message: 'HOSTING_PROVIDER must be at most 300 characters (name, address, phone)' })
  HOSTING_PROVIDER?: string;

  /** The data protection officer's address, on the personal data page (/donnees-personnelles). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsEmail({}, { message: 'DPO_EMAIL must be an e-mail address' })
  DPO_EMAIL?: string;

  /** Where people report an accessibility problem (/accessibilite); without it, the page sends them to the establishment. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsEmail({}, { message: 'ACCESSIBILITY_EMAIL must be an e-mail address' })
  ACCESSIBILITY_EMAIL?: string;

  /** The date of the accessibility evaluation the statement reports (YYYY-MM-DD). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'ACCESSIBILITY_AUDIT_DATE must be a date written YYYY-MM-DD' })
  ACCESSIBILITY_AUDIT_DATE?: string;

  /** The share of the RGAA's criteria met, in percent, found by the last full audit made by a person; none: no such audit. */
  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: 'ACCESSIBILITY_AUDIT_RATE must be a whole number of percent, from 0 to 100' })
  @Min(0, { message: 'ACCESSIBILITY_AUDIT_RATE must be a whole number of percent, from 0 to 100' })
  @Max(100, { message: 'ACCESSIBILITY_AUDIT_RATE must be a whole number of percent, from 0 to 100' })
  ACCESSIBILITY_AUDIT_RATE?: number;

  @Transform(toBool)
  @IsBoolean({ message: 'TX_GUARD must be true or false' })
  TX_GUARD = false;

  @Transform(toBool)
  @IsBoolean({ message: 'TEST_ENDPOINTS must be true or false' })
  TEST_ENDPOINTS = false;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  SQL_CAPTURE_FILE?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true }, { message: 'FC_ISSUER must be an absolute URL' })
  FC_ISSUER?: string;
  @Transform(emptyToUndefined) @IsOptional() @IsString() FC_CLIENT_ID?: string;
  @Transform(emptyToUndefined) @IsOptional() @IsString() FC_CLIENT_SECRET?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true }, { message: 'PC_ISSUER must be an absolute URL' })
  PC_ISSUER?: string;
  @Transform(emptyToUndefined) @IsOptional() @IsString() PC_CLIENT_ID?: string;
  @Transform(emptyToUndefined) @IsOptional() @IsString() PC_CLIENT_SECRET?: string;
}

export interface OidcClientSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

export interface NotificationSettings {
  demo: boolean;
  demoSmtpPort: number;
  smtp: { host: string; port: number; secure: boolean; user?: string; password?: string } | null;
  mailFrom: string;
  sms: { apiUrl: string; apiKey: string; sender: string } | null;
  worker: boolean;
  pollMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  reminderOffsets: ReminderOffset[];
  /** Days a finished message is kept, days a delivery attempt is kept (the retention job). */
  retentionDays: number;
  attemptsRetentionDays: number;
}

export interface DocumentSettings {
  dir: string;
  key: Buffer;
  /** Days a request's documents are kept after its final decision (the photo of a permit stays with it). */
  retentionDays: number;
}

export interface VideoCallConfig {
  /** HMAC-SHA256 secret of the contacts' codes (only their hash is stored). */
  codeSecret: string;
  /** The key the external video service presents to POST /api/visio/codes/verifier. */
  serviceApiKey: string;
}

/** What the legal pages say that depends on the deployment (src/home/legal.controller.ts). */
export interface LegalSettings {
  /** The hosting provider (name, address, phone); none: the legal notice says it is not filled in. */
  hostingProvider?: string;
  dpoEmail: string;
  /** Accessibility feedback; none: the statement sends people to the establishment. */
  accessibilityEmail?: string;
  /** YYYY-MM-DD. */
  accessibilityAuditDate: string;
  /** The RGAA criteria met in the last full audit by a person, in percent; none: no such audit (the status is then « non conforme »). */
  accessibilityAuditRate?: number;
}

/** The data protection officer's address when DPO_EMAIL is not set. */
export const DEFAULT_DPO_EMAIL = 'dpd@justice.gouv.fr';
/** The date the accessibility statement was written, when ACCESSIBILITY_AUDIT_DATE is not set. */
export const DEFAULT_ACCESSIBILITY_AUDIT_DATE = '2026-11-24';

export interface AppConfig {
  env: 'development' | 'test' | 'production';
  port: number;
  appUrl: string;
  databaseUrl?: string;
  dataDir: string;
  embeddedDbPort: number;
  demoIdp: boolean;
  seedDemoData: boolean;
  sessionSecret: string;
  sessionIdleMinutes: number;
  /** A session ends this long after its sign-in, whatever the activity (wall-clock time, like the idle timeout). */
  sessionAbsoluteHours: number;
  signinRateLimit: number;
  /** Code checks per minute from the video service's address (one machine calling for every establishment). */
  videoServiceRateLimit: number;
  /** Checks of a detainee's écrou number (step 1 of a permit request) per minute and address. */
  ecrouRateLimit: number;
  trustProxy: boolean;
  /** Nunjucks reads the templates again on every render (TEMPLATE_RELOAD): for a developer editing views/ only. */
  templateReload: boolean;
  logLevel: string;
  franceConnect: OidcClientSettings;
  proConnect: OidcClientSettings;
  notifications: NotificationSettings;
  documents: DocumentSettings;
  videoCalls: VideoCallConfig;
  /** How often unanswered waiting-list offers are passed to the next family. */
  waitlistPollMs: number;
  oversightRefreshMs: number;
  /** Above this share (%) of the population released by one GENESIS import, the administrator must confirm it explicitly. */
  genesisReleaseConfirmPercent: number;
  legal: LegalSettings;
  /** A query on another connection inside an open transaction throws (tests). */
  txGuard: boolean;
  /** Tests may set the application's clock and reset its data through /__test__/… (never in production). */
  testEndpoints: boolean;
  /** Benchmarks: the SQL of each request is written to this file (never in production; src/database/sql-capture.ts). */
  sqlCaptureFile?: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function flatten(errors: ValidationError[]): string[] {
  return errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).map((m) =>
      m.startsWith(e.property) ? `${m} (got "${String(e.value)}")` : `${e.property}: ${m} (got "${String(e.value)}")`,
    ),
  );
}

/** Demo client credentials of the local provider; never accepted in production. */
export const DEMO_CLIENTS = {
  franceConnect: { clientId: 'p2v-franceconnect-demo', clientSecret: 'demo-secret-franceconnect-not-for-production' },
  proConnect: { clientId: 'p2v-proconnect-demo', clientSecret: 'demo-secret-proconnect-not-for-production' },
};

/** Key of the local SMS endpoint (demo mode only). */
export const DEMO_SMS_API_KEY = 'demo-sms-api-key';

/** YYYY-MM-DD naming a day of the calendar (not 2026-02-30). */
function isCalendarDate(value: string): boolean {
  const [y, m, d] = value.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const vars = plainToInstance(EnvironmentVariables, { ...env }, { exposeDefaultValues: true });
  const problems = flatten(validateSync(vars, { skipMissingProperties: false, whitelist: false }));

  const production = vars.NODE_ENV === 'production';
  const demoIdp = vars.DEMO_IDP ?? !vars.DATABASE_URL;
  if (production && !vars.DATABASE_URL)
    problems.push('DATABASE_URL is required in production (the embedded database is for demos and tests)');
  if (production && demoIdp) problems.push('DEMO_IDP must not be enabled in production');
  if (production && vars.TEST_ENDPOINTS) problems.push('TEST_ENDPOINTS must not be enabled in production');
  if (production && vars.SQL_CAPTURE_FILE) problems.push('SQL_CAPTURE_FILE must not be set in production');
  if (production && !vars.SESSION_SECRET) problems.push('SESSION_SECRET is required in production');
  if (vars.SESSION_ABSOLUTE_HOURS * 60 < vars.SESSION_IDLE_MINUTES)
    problems.push('SESSION_ABSOLUTE_HOURS must not be shorter than SESSION_IDLE_MINUTES');
  if (production && !vars.APP_URL) problems.push('APP_URL is required in production');
  if (production && !vars.DOCUMENTS_KEY) problems.push('DOCUMENTS_KEY is required in production (documents are encrypted with it)');
  if (production && !vars.AUDIT_KEY) problems.push('AUDIT_KEY is required in production (the audit log is signed with it)');
  if (production && !vars.VIDEO_CALL_CODE_SECRET) problems.push('VIDEO_CALL_CODE_SECRET is required in production');
  if (production && !vars.VIDEO_SERVICE_API_KEY) problems.push('VIDEO_SERVICE_API_KEY is required in production');
  if (!demoIdp) {
    for (const name of ['FC_ISSUER', 'FC_CLIENT_ID', 'FC_CLIENT_SECRET', 'PC_ISSUER', 'PC_CLIENT_ID', 'PC_CLIENT_SECRET'] as const) {
      if (!vars[name]) problems.push(`${name} is required when DEMO_IDP is off`);
    }
  }
  const demoMessaging = vars.DEMO_MESSAGING ?? !vars.DATABASE_URL;
  if (production && demoMessaging) problems.push('DEMO_MESSAGING must not be enabled in production');
  if (!demoMessaging && !vars.SMTP_HOST) problems.push('SMTP_HOST is required when DEMO_MESSAGING is off');
  if (!demoMessaging && (!vars.SMS_API_URL || !vars.SMS_API_KEY))
    problems.push('SMS_API_URL and SMS_API_KEY are required when DEMO_MESSAGING is off');
  let reminderOffsets: ReminderOffset[] = [];
  try {
    reminderOffsets = parseReminderOffsets(vars.REMINDER_OFFSETS);
  } catch (e) {
    problems.push(`REMINDER_OFFSETS: ${(e as Error).message}`);
  }
  if (vars.ACCESSIBILITY_AUDIT_DATE && !isCalendarDate(vars.ACCESSIBILITY_AUDIT_DATE))
    problems.push(`ACCESSIBILITY_AUDIT_DATE must be a date that exists (got "${vars.ACCESSIBILITY_AUDIT_DATE}")`);
  if (problems.length) throw new ConfigError(problems);

  const appUrl = (vars.APP_URL ?? `http://localhost:${vars.PORT}`).replace(/\/$/, '');
  const demoIssuer = `${appUrl}/demo-idp`;
  return {
    env: vars.NODE_ENV,
    port: vars.PORT,
    appUrl,
    databaseUrl: vars.DATABASE_URL,
    dataDir: vars.P2V_DATA_DIR,
    embeddedDbPort: vars.EMBEDDED_DB_PORT,
    demoIdp,
    seedDemoData: vars.SEED_DEMO_DATA ?? !vars.DATABASE_URL,
    sessionSecret: vars.SESSION_SECRET ?? 'development-only-session-secret-change-me-0000',
    sessionIdleMinutes: vars.SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: vars.SESSION_ABSOLUTE_HOURS,
    signinRateLimit: vars.SIGNIN_RATE_LIMIT,
    videoServiceRateLimit: vars.VIDEO_SERVICE_RATE_LIMIT,
    ecrouRateLimit: vars.ECROU_RATE_LIMIT,
    trustProxy: vars.TRUST_PROXY,
    templateReload: vars.TEMPLATE_RELOAD,
    logLevel: vars.LOG_LEVEL,
    franceConnect: demoIdp
      ? { issuer: demoIssuer, ...DEMO_CLIENTS.franceConnect }
      : { issuer: vars.FC_ISSUER!, clientId: vars.FC_CLIENT_ID!, clientSecret: vars.FC_CLIENT_SECRET! },
    proConnect: demoIdp
      ? { issuer: demoIssuer, ...DEMO_CLIENTS.proConnect }
      : { issuer: vars.PC_ISSUER!, clientId: vars.PC_CLIENT_ID!, clientSecret: vars.PC_CLIENT_SECRET! },
    notifications: {
      demo: demoMessaging,
      demoSmtpPort: vars.DEMO_SMTP_PORT,
      // In demo mode, main.ts points SMTP at the local capture server once it listens.
      smtp: vars.SMTP_HOST
        ? { host: vars.SMTP_HOST, port: vars.SMTP_PORT, secure: vars.SMTP_SECURE, user: vars.SMTP_USER, password: vars.SMTP_PASSWORD }
        : null,
      mailFrom: vars.MAIL_FROM,
      sms:
        vars.SMS_API_URL && vars.SMS_API_KEY
          ? { apiUrl: vars.SMS_API_URL.replace(/\/$/, ''), apiKey: vars.SMS_API_KEY, sender: vars.SMS_SENDER }
          : demoMessaging
            ? { apiUrl: `${appUrl}/demo-sms`, apiKey: DEMO_SMS_API_KEY, sender: vars.SMS_SENDER }
            : null,
      worker: vars.NOTIFICATIONS_WORKER,
      pollMs: vars.NOTIFICATIONS_POLL_MS,
      maxAttempts: vars.NOTIFICATIONS_MAX_ATTEMPTS,
      retryBaseMs: vars.NOTIFICATIONS_RETRY_BASE_MS,
      reminderOffsets,
      retentionDays: vars.NOTIFICATIONS_RETENTION_DAYS,
      attemptsRetentionDays: vars.NOTIFICATION_ATTEMPTS_RETENTION_DAYS,
    },
    documents: {
      dir: vars.DOCUMENTS_DIR,
      // Outside production a fixed development key; never use it for real documents.
      key: Buffer.from(vars.DOCUMENTS_KEY ?? 'ZGV2ZWxvcG1lbnQtb25seS1kb2N1bWVudHMta2V5LTA=', 'base64'),
      retentionDays: vars.DOCUMENTS_RETENTION_DAYS,
    },
    videoCalls: {
      // Outside production, fixed development values; never use them for real calls.
      codeSecret: vars.VIDEO_CALL_CODE_SECRET ?? 'development-only-video-call-code-secret-0000',
      serviceApiKey: vars.VIDEO_SERVICE_API_KEY ?? 'development-only-video-service-api-key-0000',
    },
    waitlistPollMs: vars.WAITLIST_POLL_MS,
    oversightRefreshMs: vars.OVERSIGHT_REFRESH_MS,
    genesisReleaseConfirmPercent: vars.GENESIS_RELEASE_CONFIRM_PERCENT,
    legal: {
      hostingProvider: vars.HOSTING_PROVIDER?.trim() || undefined,
      dpoEmail: vars.DPO_EMAIL ?? DEFAULT_DPO_EMAIL,
      accessibilityEmail: vars.ACCESSIBILITY_EMAIL,
      accessibilityAuditDate: vars.ACCESSIBILITY_AUDIT_DATE ?? DEFAULT_ACCESSIBILITY_AUDIT_DATE,
      accessibilityAuditRate: vars.ACCESSIBILITY_AUDIT_RATE,
    },
    txGuard: vars.TX_GUARD,
    testEndpoints: vars.TEST_ENDPOINTS,
    sqlCaptureFile: vars.SQL_CAPTURE_FILE,
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
