import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '#lib/config.ts';

const valid = {
  DATABASE_URL: 'postgres://u:p@localhost:5432/clipiq',
  JWT_SECRET: randomBytes(32).toString('base64url'),
};

describe('configuration', () => {
  it('applies the documented defaults', () => {
    const config = parseConfig(valid);

    expect(config.database).toEqual({ max: 1, prepare: true, connectTimeoutSeconds: 3 });
    expect(config.maxUploadBytes).toBe(5 * 1024 ** 3);
    expect(config.multipartThresholdBytes).toBe(100 * 1024 ** 2);
    expect(config.storage).toMatchObject({ bucket: 'clipiq-videos', forcePathStyle: false });
  });

  it('uses path-style addressing when an S3 endpoint is configured', () => {
    expect(parseConfig({ ...valid, S3_ENDPOINT: 'http://127.0.0.1:9000' }).storage.forcePathStyle).toBe(true);
  });

  it.each([
    [
      'a JWT secret under 256 bits',
      { ...valid, JWT_SECRET: randomBytes(31).toString('base64url') },
      'JWT_SECRET',
    ],
    ['a missing JWT secret', { DATABASE_URL: valid.DATABASE_URL }, 'JWT_SECRET'],
    ['a missing database URL', { JWT_SECRET: valid.JWT_SECRET }, 'DATABASE_URL'],
    ['a non-postgres database URL', { ...valid, DATABASE_URL: 'mysql://localhost/x' }, 'DATABASE_URL'],
    ['a non-numeric upload limit', { ...valid, MAX_UPLOAD_BYTES: 'lots' }, 'MAX_UPLOAD_BYTES'],
  ])('fails fast on %s, naming the variable', (_case, env, variable) => {
    expect(() => parseConfig(env)).toThrow(new RegExp(`configuration is invalid:[\\s\\S]*${variable}`));
  });
});
