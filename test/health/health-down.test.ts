import { describe, expect, it } from 'vitest';
import { freePort } from '#tools/local-stack/ports.ts';
import { callApi } from '../support/lambda.ts';

describe('GET /health with dependencies down', () => {
  it('answers 503 problem+json naming the database and the storage when neither answers', async () => {
    // Prepare: nothing listens where this file's functions look for the database and the storage.
    process.env.DATABASE_URL = `postgres://postgres:x@127.0.0.1:${await freePort()}/clipiq`;
    process.env.DATABASE_CONNECT_TIMEOUT_SECONDS = '1';
    process.env.S3_ENDPOINT = `http://127.0.0.1:${await freePort()}`;
    const { handler } = await import('#functions/health/get.ts');

    // Act
    const response = await callApi(handler, { path: '/api/v1/health' });

    // Assess
    expect(response.status).toBe(503);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.body).toMatchObject({
      type: 'urn:clipiq:problem:unavailable',
      status: 503,
      detail: 'Unavailable: database, storage',
      database: 'down',
      storage: 'down',
    });
  });
});
