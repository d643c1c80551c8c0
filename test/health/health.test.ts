import { afterEach, describe, expect, it, vi } from 'vitest';
import { handler } from '#functions/health/get.ts';
import { callApi } from '../support/lambda.ts';
import { testStack } from '../support/stack.ts';

const health = () => callApi(handler, { path: '/api/v1/health' });
/** The bucket refuses the next probe: HEAD, which the S3 client tries twice. */
const storageDown = () => testStack().emulator.failNextRequests(2, ['HEAD']);
/** Moves the clock past the window in which a probe's answer is reused. */
const laterBy = (ms: number) => vi.setSystemTime(Date.now() + ms);

afterEach(() => {
  testStack().emulator.failNextRequests(0);
  vi.useRealTimers();
});

describe('GET /health', () => {
  it('reports ok when the database and the bucket answer', async () => {
    // Act
    const response = await health();

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', database: 'ok', storage: 'ok' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers the calls of five seconds from one probe, then probes again, a 503 like a 200', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'] });
    laterBy(5_001);
    const first = await health();
    storageDown();

    // Act: the outage is only seen once a new probe reaches the bucket.
    const withinWindow = await health();
    laterBy(5_001);
    const nextWindow = await health();
    const stillDownForTheWindow = await health();
    laterBy(5_001);
    const recovered = await health();

    // Assess
    expect([first.status, withinWindow.status]).toEqual([200, 200]);
    expect(nextWindow.status).toBe(503);
    expect(nextWindow.body).toMatchObject({ database: 'ok', storage: 'down' });
    expect(stillDownForTheWindow.status).toBe(503);
    expect(recovered.status).toBe(200);
  });
});
