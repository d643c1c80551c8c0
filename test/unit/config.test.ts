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
    expect(config.cursorSecret).toBeUndefined();
    expect(config.maxSubscriptionsPerUser).toBe(5000);
    expect(config.defaultQuotas).toEqual({
      storageLimitBytes: 100 * 1024 ** 3,
      dailyUploadLimitBytes: 20 * 1024 ** 3,
    });
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
    [
      'a cursor secret under 256 bits',
      { ...valid, CURSOR_SECRET: randomBytes(31).toString('base64url') },
      'CURSOR_SECRET',
    ],
    [
      'a negative storage limit',
      { ...valid, DEFAULT_STORAGE_LIMIT_BYTES: '-1' },
      'DEFAULT_STORAGE_LIMIT_BYTES',
    ],
    [
      'a fractional daily limit',
      { ...valid, DEFAULT_DAILY_UPLOAD_LIMIT_BYTES: '1.5' },
      'DEFAULT_DAILY_UPLOAD_LIMIT_BYTES',
    ],
    [
      'a subscription cap of zero',
      { ...valid, MAX_SUBSCRIPTIONS_PER_USER: '0' },
      'MAX_SUBSCRIPTIONS_PER_USER',
    ],
    ['a missing database URL', { JWT_SECRET: valid.JWT_SECRET }, 'DATABASE_URL'],
    ['a non-postgres database URL', { ...valid, DATABASE_URL: 'mysql://localhost/x' }, 'DATABASE_URL'],
    ['a non-numeric upload limit', { ...valid, MAX_UPLOAD_BYTES: 'lots' }, 'MAX_UPLOAD_BYTES'],
    [
      'a fractional connection count',
      { ...valid, DATABASE_MAX_CONNECTIONS: '1.5' },
      'DATABASE_MAX_CONNECTIONS',
    ],
    ['a flag that is not true or false', { ...valid, DATABASE_PREPARE: 'yes' }, 'DATABASE_PREPARE'],
    ['an S3 endpoint that is not http(s)', { ...valid, S3_ENDPOINT: 'ftp://files.example' }, 'S3_ENDPOINT'],
    ['a bucket name S3 would refuse', { ...valid, VIDEOS_BUCKET: 'Clip_IQ' }, 'VIDEOS_BUCKET'],
  ])('fails fast on %s, naming the variable', (_case, env, variable) => {
    expect(() => parseConfig(env)).toThrow(new RegExp(`configuration is invalid:[\\s\\S]*${variable}`));
  });

  it('names every bad variable at once, and treats blank values as unset', () => {
    // Act
    const attempt = () => parseConfig({ DATABASE_URL: ' ', JWT_SECRET: 'short', RATE_LIMIT_PER_MINUTE: '0' });

    // Assess
    expect(attempt).toThrow(
      /DATABASE_URL: is required\n {2}JWT_SECRET: must decode[^\n]*\n {2}RATE_LIMIT_PER_MINUTE: must be a whole number/,
    );
  });

  it('trims values and splits the CORS origins list', () => {
    // Act
    const config = parseConfig({
      ...valid,
      CORS_ORIGINS: ' https://a.example , https://b.example,',
      S3_REGION: ' eu-west-1 ',
    });

    // Assess
    expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.storage.region).toBe('eu-west-1');
  });

  it('takes a ws: or wss: WebSocket URL, the local server by default, and refuses any other', () => {
    // Act
    const local = parseConfig(valid);
    const deployed = parseConfig({
      ...valid,
      WEBSOCKET_URL: 'wss://abc123.execute-api.eu-west-1.amazonaws.com/prod',
    });
    const attempt = () => parseConfig({ ...valid, WEBSOCKET_URL: 'https://abc123.example/prod' });

    // Assess
    expect(local.websocketUrl).toBe('ws://127.0.0.1:3001');
    expect(deployed.websocketUrl).toBe('wss://abc123.execute-api.eu-west-1.amazonaws.com/prod');
    expect(attempt).toThrow(/WEBSOCKET_URL: must be a URL starting with ws:\/\/ or wss:\/\//);
  });
});
