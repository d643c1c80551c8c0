import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '#tools/local-stack/ports.ts';
import { type LocalPostgres, startEmbeddedPostgres } from '#tools/local-stack/postgres.ts';
import { migrate } from '#tools/migrate.ts';
import { callApi } from '../support/lambda.ts';

// This file runs its own PostgreSQL server, so it can stop and restart it without touching other files.
let server: LocalPostgres;
let dataDir: string;
let port: number;
let url: string;
let handlers: {
  health: typeof import('#functions/health/get.ts').handler;
  register: typeof import('#functions/auth/register.ts').handler;
};

const startServer = () => startEmbeddedPostgres({ dataDir, port });

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'clipiq-outage-pg-'));
  port = await freePort();
  server = await startServer();
  await server.createDatabase('clipiq');
  url = server.url('clipiq');
  const migrator = postgres(url, { max: 1, onnotice: () => {} });
  await migrate(migrator).finally(() => migrator.end());
  process.env.DATABASE_URL = url;
  process.env.DATABASE_CONNECT_TIMEOUT_SECONDS = '1';
  handlers = {
    health: (await import('#functions/health/get.ts')).handler,
    register: (await import('#functions/auth/register.ts')).handler,
  };
}, 60_000);

afterAll(async () => {
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const registration = (name: string) => ({
  method: 'POST',
  path: '/api/v1/auth/register',
  body: { email: `${name}@example.test`, username: name, password: 'long enough password' },
});

describe('PostgreSQL outage and recovery', () => {
  it('answers 503 problem+json quickly while the database is down, then recovers without a restart', async () => {
    // Prepare
    expect((await callApi(handlers.health)).status).toBe(200);
    await server.stop();

    // Act
    const startedAt = performance.now();
    const duringOutage = await callApi(handlers.register, registration('during_outage'));
    const outageMs = performance.now() - startedAt;
    server = await startServer();
    const afterRecovery = await callApi(handlers.register, registration('after_recovery'));

    // Assess
    expect(duringOutage.status).toBe(503);
    expect(duringOutage.headers['content-type']).toBe('application/problem+json');
    expect(duringOutage.body).toMatchObject({ type: 'urn:clipiq:problem:unavailable', status: 503 });
    expect(JSON.stringify(duringOutage.body)).not.toMatch(/ECONNREFUSED|stack|at /);
    expect(outageMs).toBeLessThan(5_000);
    expect(afterRecovery.status).toBe(201);
  });

  it('leaves nothing half-written when the database dies in the middle of a multi-write transaction', async () => {
    // Prepare: hold a lock on refresh_tokens so registration stops after inserting the user, inside its transaction.
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    let releaseLock = () => {};
    const lockHeld = admin
      .begin(async (tx) => {
        await tx`lock table refresh_tokens in access exclusive mode`;
        await new Promise<void>((resolve) => {
          releaseLock = resolve;
        });
      })
      .catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const pending = callApi(handlers.register, registration('half_written'));
    const observer = postgres(url, { max: 1, onnotice: () => {} });
    for (let waiting = 0; waiting === 0; ) {
      [{ waiting = 0 } = {}] = await observer<{ waiting: number }[]>`
        select count(*)::int as waiting from pg_stat_activity where wait_event_type = 'Lock'`;
    }
    await observer.end();

    // Act: the database goes away while the registration waits between its two inserts.
    await server.stop();
    const response = await pending;
    releaseLock();
    await lockHeld;
    await admin.end({ timeout: 1 }).catch(() => undefined);
    server = await startServer();

    // Assess
    expect(response.status).toBe(503);
    const check = postgres(url, { max: 1, onnotice: () => {} });
    const users = await check`select 1 from users where username = 'half_written'`;
    await check.end();
    expect(users).toHaveLength(0);
    const again = await callApi(handlers.register, registration('half_written'));
    expect(again.status).toBe(201);
  });
});
