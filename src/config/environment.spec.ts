import { validateEnvironment } from './environment.js';

const base = { DATABASE_URL: 'postgresql://localhost/claimtrack' };

describe('validateEnvironment', () => {
  it('requires JWT_SECRET unless the database is the embedded one', () => {
    expect(() => validateEnvironment(base)).toThrow(/JWT_SECRET/);
    expect(validateEnvironment({ ...base, EMBEDDED_DATABASE: 'true' }).JWT_SECRET).toBeUndefined();
    expect(validateEnvironment({ ...base, JWT_SECRET: 'x'.repeat(32) }).JWT_SECRET).toBe('x'.repeat(32));
  });

  it('refuses short secrets and malformed numbers, naming each variable', () => {
    expect(() => validateEnvironment({ ...base, JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
    expect(() => validateEnvironment({ ...base, JWT_SECRET: 'x'.repeat(32), PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => validateEnvironment({ ...base, JWT_SECRET: 'x'.repeat(32), CONFIDENCE_CACHE_CLAIMS: '10' })).toThrow(/CONFIDENCE_CACHE_CLAIMS/);
  });

  it('applies defaults and converts numbers', () => {
    const env = validateEnvironment({ ...base, JWT_SECRET: 'x'.repeat(32), PORT: '8080' });
    expect(env).toMatchObject({ PORT: 8080, BODY_LIMIT: 2_097_152, ACCESS_TOKEN_TTL_SECONDS: 900, HOST: '127.0.0.1', CONFIDENCE_CACHE_CLAIMS: 100_000 });
  });
});
