import { auditKey } from '../common/audit.service';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('defaults to the demo on the embedded database', () => {
    const c = loadConfig({});
    expect(c.databaseUrl).toBeUndefined();
    expect(c.demoIdp).toBe(true);
    expect(c.seedDemoData).toBe(true);
    expect(c.port).toBe(3000);
    expect(c.franceConnect.issuer).toBe('http://localhost:3000/demo-idp');
  });

  it('names the bad variable and its value', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT must be a whole number.*got "abc"/);
    expect(() => loadConfig({ SESSION_IDLE_MINUTES: '-5' })).toThrow(ConfigError);
  });

  it('requires real providers, a database and a secret in production, and refuses the demo provider', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ NODE_ENV: 'production', DEMO_IDP: 'true' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('DATABASE_URL is required in production'),
        'DEMO_IDP must not be enabled in production',
        'SESSION_SECRET is required in production',
      ]),
    );
  });

  it('requires the video-call code secret and the video service’s key in production, 32 characters at least', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/VIDEO_CALL_CODE_SECRET is required in production/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/VIDEO_SERVICE_API_KEY is required in production/);
    expect(() => loadConfig({ VIDEO_SERVICE_API_KEY: 'short' })).toThrow(/VIDEO_SERVICE_API_KEY must be at least 32 characters long/);
    const key = 'k'.repeat(32);
    expect(loadConfig({ VIDEO_CALL_CODE_SECRET: 's'.repeat(32), VIDEO_SERVICE_API_KEY: key }).videoCalls).toEqual({
      codeSecret: 's'.repeat(32),
      serviceApiKey: key,
    });
  });

  it('requires the audit key in production, 32 bytes in base64, and signs with a fixed development key elsewhere', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/AUDIT_KEY is required in production/);
    expect(() => loadConfig({ AUDIT_KEY: 'short' })).toThrow(/AUDIT_KEY must be 32 random bytes in base64/);
    expect(() => auditKey({ NODE_ENV: 'production' })).toThrow(/AUDIT_KEY is required in production/);
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(auditKey({ AUDIT_KEY: key })).toEqual(Buffer.alloc(32, 7));
    expect(auditKey({})).toHaveLength(32);
  });

  it('requires FranceConnect, ProConnect, SMTP and SMS settings when the demo stand-ins are off', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x@localhost/db' })).toThrow(/FC_ISSUER is required/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x@localhost/db', DEMO_IDP: 'true' })).toThrow(
      /SMTP_HOST is required when DEMO_MESSAGING is off/,
    );
    const real = loadConfig({
      DATABASE_URL: 'postgres://x@localhost/db',
      DEMO_IDP: 'true',
      SMTP_HOST: 'smtp.example.fr',
      SMS_API_URL: 'https://api.brevo.com/',
      SMS_API_KEY: 'k',
    });
    expect(real.notifications.sms).toEqual({ apiUrl: 'https://api.brevo.com', apiKey: 'k', sender: 'JUSTICE' });
    expect(real.notifications.demo).toBe(false);
    const c = loadConfig({ DATABASE_URL: 'postgres://x@localhost/db', DEMO_IDP: 'true', DEMO_MESSAGING: 'true' });
    expect(c.demoIdp).toBe(true);
    expect(c.seedDemoData).toBe(false);
  });

  it('reads the reminder offsets and refuses bad ones', () => {
    expect(loadConfig({}).notifications.reminderOffsets).toEqual([
      { before: 'P2D', channel: 'EMAIL' },
      { before: 'P1D', channel: 'SMS' },
    ]);
    expect(() => loadConfig({ REMINDER_OFFSETS: 'P1D:PIGEON' })).toThrow(/REMINDER_OFFSETS: Invalid reminder channel "PIGEON"/);
    expect(() => loadConfig({ NODE_ENV: 'production', DEMO_MESSAGING: 'true' })).toThrow(
      /DEMO_MESSAGING must not be enabled in production/,
    );
  });

  it('keeps the test aids off by default and refuses the test endpoints in production', () => {
    expect(loadConfig({})).toMatchObject({ txGuard: false, testEndpoints: false });
    expect(loadConfig({ TX_GUARD: 'true', TEST_ENDPOINTS: 'true' })).toMatchObject({ txGuard: true, testEndpoints: true });
    expect(() => loadConfig({ NODE_ENV: 'production', TEST_ENDPOINTS: 'true' })).toThrow(
      /TEST_ENDPOINTS must not be enabled in production/,
    );
    expect(() => loadConfig({ TEST_ENDPOINTS: 'maybe' })).toThrow(/TEST_ENDPOINTS must be true or false/);
  });

  it('records no SQL unless the benchmark asks (SQL_CAPTURE_FILE), and never in production', () => {
    expect(loadConfig({}).sqlCaptureFile).toBeUndefined();
    expect(loadConfig({ SQL_CAPTURE_FILE: '/tmp/capture.jsonl' }).sqlCaptureFile).toBe('/tmp/capture.jsonl');
    expect(() => loadConfig({ NODE_ENV: 'production', SQL_CAPTURE_FILE: '/tmp/capture.jsonl' })).toThrow(
      /SQL_CAPTURE_FILE must not be set in production/,
    );
  });
});

describe('the proxy and the rate limits', () => {
  it('trusts no proxy unless TRUST_PROXY is set', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(() => loadConfig({ TRUST_PROXY: 'maybe' })).toThrow(/TRUST_PROXY must be true or false/);
  });

  it('limits the écrou checks to 10 a minute unless ECROU_RATE_LIMIT says otherwise', () => {
    expect(loadConfig({}).ecrouRateLimit).toBe(10);
    expect(loadConfig({ ECROU_RATE_LIMIT: '3' }).ecrouRateLimit).toBe(3);
    expect(() => loadConfig({ ECROU_RATE_LIMIT: '0' })).toThrow(ConfigError);
  });
});

describe('the legal pages’ settings', () => {
  it('names the ministry’s DPO and the statement’s date by default, no hosting provider nor accessibility address', () => {
    expect(loadConfig({}).legal).toEqual({
      hostingProvider: undefined,
      dpoEmail: 'dpd@justice.gouv.fr',
      accessibilityEmail: undefined,
      accessibilityAuditDate: '2026-11-24',
    });
  });

  it('reads them from the environment, and refuses an address or a date that is not one', () => {
    const legal = loadConfig({
      HOSTING_PROVIDER: ' Hébergeur SAS, 1 rue de l’Exemple, 75001 Paris, 01 23 45 67 89 ',
      DPO_EMAIL: 'dpo@example.gouv.fr',
      ACCESSIBILITY_EMAIL: 'accessibilite@example.gouv.fr',
      ACCESSIBILITY_AUDIT_DATE: '2027-01-15',
      ACCESSIBILITY_AUDIT_RATE: '72',
    }).legal;
    expect(legal).toEqual({
      hostingProvider: 'Hébergeur SAS, 1 rue de l’Exemple, 75001 Paris, 01 23 45 67 89',
      dpoEmail: 'dpo@example.gouv.fr',
      accessibilityEmail: 'accessibilite@example.gouv.fr',
      accessibilityAuditDate: '2027-01-15',
      accessibilityAuditRate: 72,
    });
    expect(loadConfig({ DPO_EMAIL: '', HOSTING_PROVIDER: '' }).legal).toMatchObject({
      dpoEmail: 'dpd@justice.gouv.fr',
      hostingProvider: undefined,
    });
    expect(() => loadConfig({ DPO_EMAIL: 'dpd' })).toThrow(/DPO_EMAIL must be an e-mail address/);
    expect(() => loadConfig({ ACCESSIBILITY_EMAIL: 'nobody' })).toThrow(/ACCESSIBILITY_EMAIL must be an e-mail address/);
    expect(() => loadConfig({ ACCESSIBILITY_AUDIT_DATE: '15/01/2027' })).toThrow(
      /ACCESSIBILITY_AUDIT_DATE must be a date written YYYY-MM-DD/,
    );
    expect(() => loadConfig({ ACCESSIBILITY_AUDIT_DATE: '2027-02-30' })).toThrow(/ACCESSIBILITY_AUDIT_DATE must be a date that exists/);
    for (const rate of ['101', '-1', '72.5', 'beaucoup'])
      expect(() => loadConfig({ ACCESSIBILITY_AUDIT_RATE: rate })).toThrow(
        /ACCESSIBILITY_AUDIT_RATE must be a whole number of percent, from 0 to 100/,
      );
    expect(loadConfig({ ACCESSIBILITY_AUDIT_RATE: '' }).legal.accessibilityAuditRate).toBeUndefined();
    expect(() => loadConfig({ HOSTING_PROVIDER: 'x'.repeat(301) })).toThrow(/HOSTING_PROVIDER must be at most 300 characters/);
  });
});
