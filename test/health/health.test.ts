import { describe, expect, it } from 'vitest';
import { handler } from '../../functions/health/get.ts';
import { callApi } from '../support/lambda.ts';

describe('GET /health', () => {
  it('reports ok when the database and the bucket answer', async () => {
    // Act
    const response = await callApi(handler, { path: '/api/v1/health' });

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', database: 'ok', storage: 'ok' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });
});
