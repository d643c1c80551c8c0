import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLambdaInvokeApi } from '#tools/local-stack/lambda-invoke-api.ts';
import { freePort } from '#tools/local-stack/ports.ts';
import { startEmbeddedPostgres } from '#tools/local-stack/postgres.ts';
import { EMULATOR_CREDENTIALS, startS3Emulator } from '#tools/local-stack/s3-emulator.ts';

export const BENCH_BUCKET = 'clipiq-videos';
/** Kept between runs so the seeded dataset is reused (a fresh clone seeds it once). */
const BENCH_DATA_DIR = join(process.cwd(), '.clipiq', 'bench-postgres');
const BENCH_DATABASE = 'clipiq_bench';

/**
 * The stack the benchmark runs on: `DATABASE_URL`/`S3_ENDPOINT` when set, else an embedded PostgreSQL whose data
 * stays in `.clipiq/bench-postgres` and an in-process S3 emulator. Sets the environment the functions read
 * before any of them is imported; request budgets are set out of reach so no 429 pollutes a latency.
 *
 * @example
 * const stack = await startBenchStack(console.log); … await stack.stop();
 */
export async function startBenchStack(say: (message: string) => void) {
  const stops: Array<() => Promise<unknown>> = [];
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    const port = await freePort();
    say(`starting PostgreSQL on 127.0.0.1:${port} (data in .clipiq/bench-postgres)`);
    // Buffers for the working set, as a small RDS instance for a million videos would have (the default 128 MB
    // makes every query compete with the search's walks for cache).
    const server = await startEmbeddedPostgres({
      dataDir: BENCH_DATA_DIR,
      port,
      settings: { shared_buffers: '1GB' },
    });
    stops.push(() => server.stop());
    await server.createDatabase(BENCH_DATABASE);
    databaseUrl = server.url(BENCH_DATABASE);
  }
  let storage = {
    S3_ENDPOINT: process.env.S3_ENDPOINT,
    S3_ACCESS_KEY_ID: process.env.S3_ACCESS_KEY_ID,
    S3_SECRET_ACCESS_KEY: process.env.S3_SECRET_ACCESS_KEY,
    VIDEOS_BUCKET: process.env.VIDEOS_BUCKET ?? BENCH_BUCKET,
  };
  if (!storage.S3_ENDPOINT) {
    const dataDir = await mkdtemp(join(tmpdir(), 'clipiq-bench-s3-'));
    const emulator = await startS3Emulator({
      dataDir,
      port: 0,
      bucket: BENCH_BUCKET,
      corsOrigins: ['http://localhost:5173'],
    });
    stops.push(async () => {
      await emulator.stop();
      await rm(dataDir, { recursive: true, force: true });
    });
    storage = {
      S3_ENDPOINT: emulator.endpoint,
      S3_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
      VIDEOS_BUCKET: BENCH_BUCKET,
    };
  }
  Object.assign(process.env, {
    ...storage,
    DATABASE_URL: databaseUrl,
    JWT_SECRET: process.env.JWT_SECRET ?? randomBytes(32).toString('base64url'),
    RATE_LIMIT_PER_MINUTE: '100000000',
    RATE_LIMIT_AUTH_PER_MINUTE: '100000000',
    RATE_LIMIT_POSTS_PER_MINUTE: '100000000',
    LOG_LEVEL: 'SILENT',
    MEDIA_FUNCTION_NAME: 'clipiq-bench-mediaProcess',
  });
  // Ingest hands accepted uploads to the media function through the Lambda API: run it in-process, as the tests do.
  const media = await startLambdaInvokeApi(async (_name, event) => {
    const { handler } = await import('#functions/media/process.ts');
    return handler(
      event as Parameters<typeof handler>[0],
      {
        getRemainingTimeInMillis: () => 900_000,
      } as Parameters<typeof handler>[1],
    );
  });
  process.env.LAMBDA_ENDPOINT = media.endpoint;
  stops.push(async () => {
    await media.idle();
    await media.stop();
  });
  return {
    databaseUrl,
    async stop() {
      for (const stop of stops.reverse()) await stop();
    },
  };
}
