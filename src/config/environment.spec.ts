import { AppConfig } from './app-config.js';
import { ConfigValidationError, validateEnvironment } from './environment.js';

const STRONG = 'q7Vh2LxN9cRk4TzW8mPb3YsJ6fDa1GeU';

describe('validateEnvironment', () => {
  it('applies defaults for development', () => {
    const env = validateEnvironment({});
    expect(env.PORT).toBe(3000);
    expect(env.NODE_ENV).toBe('development');
    expect(env.SEED_DEMO_DATA).toBe(true);
  });

  it('refuses production without JWT_SECRET, naming the variable', () => {
    expect(() => validateEnvironment({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
  });

  it('refuses a weak or placeholder JWT_SECRET', () => {
    expect(() => validateEnvironment({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow(/at least 32/);
    expect(() => validateEnvironment({ JWT_SECRET: 'changeme-changeme-changeme-changeme-1' })).toThrow(/placeholder/);
  });

  it('names every bad variable in one message', () => {
    try {
      validateEnvironment({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
      throw new Error('expected a ConfigValidationError');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigValidationError);
      const message = (err as Error).message;
      expect(message).toMatch(/PORT/);
      expect(message).toMatch(/DATABASE_URL/);
      expect(message).toMatch(/LOG_LEVEL/);
    }
  });

  it('never echoes secret values in the error', () => {
    expect(() => validateEnvironment({ NODE_ENV: 'production', JWT_SECRET: 'tiny-secret' })).toThrow(/^(?![\s\S]*tiny-secret)/);
  });

  it('turns off seeding and auto-migration in production unless asked', () => {
    const env = validateEnvironment({ NODE_ENV: 'production', JWT_SECRET: STRONG });
    expect(env.SEED_DEMO_DATA).toBe(false);
    expect(env.MIGRATE_ON_START).toBe(false);
    expect(new AppConfig(env).jwt.generatedSecret).toBe(false);
  });

  it('generates a development secret when none is set', () => {
    const config = new AppConfig(validateEnvironment({}));
    expect(config.jwt.generatedSecret).toBe(true);
    expect(config.jwt.secret.length).toBeGreaterThanOrEqual(32);
  });

  it('reads DATABASE_REPLICA_URLS as a list of postgresql:// URLs, refusing anything else without echoing it', () => {
    const config = new AppConfig(validateEnvironment({ DATABASE_REPLICA_URLS: 'postgresql://r1:5432/shop, postgres://u:pw@r2/shop' }));
    expect(config.database.replicas).toEqual({ urls: ['postgresql://r1:5432/shop', 'postgres://u:pw@r2/shop'], maxLagMs: 5000, checkIntervalMs: 1000 });
    expect(new AppConfig(validateEnvironment({})).database.replicas.urls).toEqual([]);
    for (const bad of ['mysql://u:hunter2@r1/shop', 'postgresql://r1/shop,,postgresql://r2/shop', 'postgresql://u:hunter2@r1/shop postgresql://r2/shop']) {
      expect(() => validateEnvironment({ DATABASE_REPLICA_URLS: bad })).toThrow(
        /^(?![\s\S]*hunter2)[\s\S]*DATABASE_REPLICA_URLS must be comma-separated postgresql:\/\/ URLs/,
      );
    }
  });
});

describe('validateEnvironment: development conveniences', () => {
  it('seeds by default on the embedded database only; with DATABASE_URL only when asked', () => {
    expect(validateEnvironment({}).SEED_DEMO_DATA).toBe(true);
    expect(validateEnvironment({ DATABASE_URL: 'postgresql://db/shop' }).SEED_DEMO_DATA).toBe(false);
    expect(validateEnvironment({ DATABASE_URL: 'postgresql://db/shop', SEED_DEMO_DATA: 'true' }).SEED_DEMO_DATA).toBe(true);
  });

  it('refuses weak JWT secrets in production only', () => {
    expect(() => validateEnvironment({ NODE_ENV: 'production', JWT_SECRET: 'a'.repeat(32) })).toThrow(/too weak/);
    expect(validateEnvironment({ JWT_SECRET: 'a'.repeat(32) }).JWT_SECRET).toBe('a'.repeat(32));
  });
});
