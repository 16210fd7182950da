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

  it('requires FranceConnect and ProConnect settings when the demo provider is off', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x@localhost/db' })).toThrow(/FC_ISSUER is required/);
    const c = loadConfig({ DATABASE_URL: 'postgres://x@localhost/db', DEMO_IDP: 'true' });
    expect(c.demoIdp).toBe(true);
    expect(c.seedDemoData).toBe(false);
  });
});
