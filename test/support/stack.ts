import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Event } from 'aws-lambda';
import postgres from 'postgres';
import { inject } from 'vitest';
import { DERIVED_PREFIX } from '#lib/media/derived-keys.ts';
import { startLambdaInvokeApi } from '#tools/local-stack/lambda-invoke-api.ts';
import { startS3Emulator } from '#tools/local-stack/s3-emulator.ts';
import { createStorageEventBridge } from '#tools/local-stack/storage-event-bridge.ts';
import { lambdaContext } from './lambda.ts';

export const TEST_BUCKET = 'clipiq-videos';
export const TEST_CORS_ORIGIN = 'http://localhost:5173';
export const MEDIA_FUNCTION = 'clipiq-test-mediaProcess';

/**
 * The stack one test file runs on: its own database cloned from the migrated template, its own S3 emulator
 * (in-process, so its object-created events reach this file's ingest function through the real bridge), and the
 * environment the functions read their configuration from. Started by the per-file setup before any test
 * imports a handler.
 */
export async function startTestStack() {
  const database = `test_${randomUUID().replaceAll('-', '')}`;
  const admin = postgres(inject('postgresAdminUrl'), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${database} template clipiq_template`).finally(() => admin.end());

  const storageDir = await mkdtemp(join(tmpdir(), 'clipiq-test-s3-'));
  const emulator = await startS3Emulator({
    dataDir: storageDir,
    port: 0,
    bucket: TEST_BUCKET,
    corsOrigins: [TEST_CORS_ORIGIN],
  });

  Object.assign(process.env, {
    DATABASE_URL: `${inject('postgresUrlPrefix')}${database}`,
    DATABASE_CONNECT_TIMEOUT_SECONDS: '2',
    JWT_SECRET: inject('jwtSecret'),
    S3_ENDPOINT: emulator.endpoint,
    S3_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
    S3_SECRET_ACCESS_KEY: emulator.credentials.secretAccessKey,
    VIDEOS_BUCKET: TEST_BUCKET,
    CORS_ORIGINS: TEST_CORS_ORIGIN,
    BCRYPT_COST: '10',
    // Files exercise many calls from one address; the rate-limit tests set their own small budgets.
    RATE_LIMIT_PER_MINUTE: process.env.RATE_LIMIT_PER_MINUTE ?? '100000',
    RATE_LIMIT_AUTH_PER_MINUTE: process.env.RATE_LIMIT_AUTH_PER_MINUTE ?? '100000',
    RATE_LIMIT_POSTS_PER_MINUTE: process.env.RATE_LIMIT_POSTS_PER_MINUTE ?? '100000',
    LOG_LEVEL: 'ERROR',
    MEDIA_FUNCTION_NAME: MEDIA_FUNCTION,
    MEDIA_CONCURRENCY: process.env.MEDIA_CONCURRENCY ?? '2',
  });

  // The media steps ingest and every unit invoke asynchronously, run in-process through a real invoke API.
  const mediaSteps: { functionName: string; event: unknown }[] = [];
  const lambdaApi = await startLambdaInvokeApi(async (functionName, event) => {
    mediaSteps.push({ functionName, event });
    const { handler } = await import('#functions/media/process.ts');
    return handler(event as Parameters<typeof handler>[0], lambdaContext(functionName));
  });
  process.env.LAMBDA_ENDPOINT = lambdaApi.endpoint;

  const delivered: S3Event[] = [];
  const bridge = createStorageEventBridge(
    async (event) => {
      delivered.push(event);
      const { handler } = await import('#functions/ingest/on-object-created.ts');
      await handler(event, lambdaContext('clipiq-test-ingest'));
    },
    { retries: 2, retryDelayMs: 50 },
  );
  // Like the bucket's notification rule, which names uploads/ only: what the media units write is never delivered.
  emulator.onObjectCreated((event) => {
    if (!event.Records.every((record) => record.s3.object.key.startsWith(DERIVED_PREFIX)))
      void bridge.deliver(event);
  });

  return {
    databaseName: database,
    databaseUrl: process.env.DATABASE_URL as string,
    emulator,
    /** Every event the bridge handed to the ingest function, in order. */
    deliveredEvents: delivered,
    /** Every media step invoked, in order. */
    mediaSteps,
    /** Resolves when every storage event so far has been ingested (including retries) and processed. */
    async storageEventsSettled() {
      await bridge.idle();
      await lambdaApi.idle();
    },
    async stop() {
      await bridge.idle();
      await lambdaApi.idle();
      await lambdaApi.stop();
      await emulator.stop();
      await rm(storageDir, { recursive: true, force: true });
    },
  };
}

export type TestStack = Awaited<ReturnType<typeof startTestStack>>;

let current: TestStack | undefined;

export function setTestStack(stack: TestStack) {
  current = stack;
}

/** The stack of the running test file. */
export function testStack(): TestStack {
  if (!current) throw new Error('The per-file test setup has not started the stack');
  return current;
}
