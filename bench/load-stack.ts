// The stack the load run (bench/load.ts) drives: embedded PostgreSQL and the S3 emulator on loopback ports, a seeded
// dataset, and `serverless offline` over the built functions.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import bcrypt from 'bcryptjs';
import postgres from 'postgres';
import { freePort } from '#tools/local-stack/ports.ts';
import { startEmbeddedPostgres } from '#tools/local-stack/postgres.ts';
import { EMULATOR_CREDENTIALS } from '#tools/local-stack/s3-emulator.ts';
import { migrate } from '#tools/migrate.ts';

export const PASSWORD = 'load test password';
const BUCKET = 'clipiq-videos';
/** Clean-up steps, run in reverse order by the caller. */
export type Stops = Array<() => Promise<unknown>>;

/**
 * The S3 emulator in a process of its own, so the load this process generates (autocannon, the in-process callers)
 * cannot starve it and make the health check see storage as down.
 */
async function startEmulatorProcess(dataDir: string, stops: Stops) {
  const emulatorModule = pathToFileURL(join(process.cwd(), 'tools/local-stack/s3-emulator.ts')).href;
  const settings = { dataDir, port: 0, bucket: BUCKET, corsOrigins: ['http://localhost:5173'] };
  const script = [
    `const { startS3Emulator } = await import(${JSON.stringify(emulatorModule)});`,
    `const emulator = await startS3Emulator(${JSON.stringify(settings)});`,
    'console.log(emulator.endpoint);',
    "process.once('SIGTERM', () => emulator.stop().then(() => process.exit(0)));",
  ].join('\n');
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.stdout?.once('data', (chunk) => resolve(String(chunk).trim()));
    child.once('exit', (code) => reject(new Error(`the S3 emulator exited with code ${code}`)));
  });
  stops.push(async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  });
  return endpoint;
}

/**
 * Embedded PostgreSQL (migrated) and the S3 emulator on loopback ports of their own; returns the environment the
 * functions read.
 *
 * @example
 * const env = await startStack(stops);
 */
export async function startStack(stops: Stops) {
  const pgDir = await mkdtemp(join(tmpdir(), 'clipiq-load-pg-'));
  const database = await startEmbeddedPostgres({ dataDir: pgDir, port: await freePort(), ephemeral: true });
  stops.push(async () => {
    await database.stop();
    await rm(pgDir, { recursive: true, force: true });
  });
  await database.createDatabase('clipiq');
  const databaseUrl = database.url('clipiq');
  const migrator = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  await migrate(migrator).finally(() => migrator.end());
  const s3Dir = await mkdtemp(join(tmpdir(), 'clipiq-load-s3-'));
  const s3Endpoint = await startEmulatorProcess(s3Dir, stops);
  stops.push(() => rm(s3Dir, { recursive: true, force: true }));
  return {
    DATABASE_URL: databaseUrl,
    JWT_SECRET: randomBytes(32).toString('base64url'),
    S3_ENDPOINT: s3Endpoint,
    S3_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
    S3_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
    VIDEOS_BUCKET: BUCKET,
    BCRYPT_COST: '10',
    // Out of reach: this run measures the service, not the limiter (test/http/rate-limit.test.ts does that).
    RATE_LIMIT_PER_MINUTE: '100000000',
    RATE_LIMIT_AUTH_PER_MINUTE: '100000000',
    RATE_LIMIT_POSTS_PER_MINUTE: '100000000',
    DATABASE_MAX_CONNECTIONS: '10',
  };
}

/**
 * 5 channels with 100 public videos, 40 viewers (password {@link PASSWORD}) subscribed to every channel, 10
 * notifications each.
 *
 * @example
 * const { viewers, videos } = await seedLoadData(env.DATABASE_URL);
 */
export async function seedLoadData(databaseUrl: string) {
  const db = postgres(databaseUrl, { max: 1, onnotice: () => {}, transform: postgres.camel });
  const passwordHash = bcrypt.hashSync(PASSWORD, 10);
  const person = (role: string, index: number) => ({
    id: randomUUID(),
    email: `${role}${index}@load.test`,
    username: `${role}_${index}`,
    displayName: `${role} ${index}`,
    role,
    passwordHash,
  });
  const creators = Array.from({ length: 5 }, (_, index) => person('creator', index));
  const viewers = Array.from({ length: 40 }, (_, index) => person('viewer', index));
  const words = ['sunset', 'tutorial', 'cooking', 'travel', 'music', 'garden', 'bicycle', 'coffee'];
  const videos = Array.from({ length: 100 }, (_, index) => {
    const id = randomUUID();
    const owner = creators[index % creators.length] as { id: string };
    return {
      id,
      ownerId: owner.id,
      title: `${words[index % words.length]} ${words[(index * 3) % words.length]} #${index}`,
      status: 'ready',
      storageKey: `uploads/${owner.id}/${id}/clip.mp4`,
      fileName: 'clip.mp4',
      declaredContentType: 'video/mp4',
      declaredSizeBytes: 17_834,
      sizeBytes: 17_834,
      contentType: 'video/mp4',
      durationSeconds: 2,
      width: 320,
      height: 240,
      publishedAt: new Date(Date.now() - index * 60_000),
    };
  });
  await db`insert into users ${db([...creators, ...viewers])}`;
  await db`insert into videos ${db(videos)}`;
  await db`
    insert into subscriptions (subscriber_id, channel_id)
    select v, c from unnest(${viewers.map((viewer) => viewer.id)}::uuid[]) v, unnest(${creators.map((creator) => creator.id)}::uuid[]) c
  `;
  await db`
    insert into notifications (recipient_id, type, video_id, actor_id)
    select s.subscriber_id, 'video.published', v.id, v.owner_id
    from videos v join subscriptions s on s.channel_id = v.owner_id
    where v.id = any(${videos.slice(0, 10).map((video) => video.id)}::uuid[])
  `;
  await db.end();
  return { creators, viewers, videos, words };
}

/**
 * `serverless offline` over the built functions (build them first); resolves with its base URL once it serves.
 *
 * @example
 * const api = await startOffline(env, stops, false); // http://127.0.0.1:<port>
 */
export async function startOffline(env: Record<string, string>, stops: Stops, workerThreads: boolean) {
  const [httpPort, lambdaPort] = [await freePort(), await freePort()];
  // The real-time bench picks its WebSocket port first: the functions' WEBSOCKET_URL names it.
  const websocketPort = env.WEBSOCKET_PORT ?? String(await freePort());
  const output: string[] = [];
  // --localEnvironment passes the rate-limit, pool and bcrypt settings to worker threads.
  const offline: ChildProcess = spawn(
    'node_modules/.bin/serverless',
    [
      'offline',
      'start',
      '--stage',
      'dev',
      '--localEnvironment',
      '--noSponsor',
      ...(workerThreads ? ['--no-useInProcess'] : []),
    ],
    {
      env: {
        ...process.env,
        ...env,
        HTTP_PORT: String(httpPort),
        LAMBDA_PORT: String(lambdaPort),
        WEBSOCKET_PORT: websocketPort,
        LOG_LEVEL: 'ERROR',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const keep = (chunk: Buffer) => {
    output.push(String(chunk));
    if (output.length > 200) output.shift();
  };
  offline.stdout?.on('data', keep);
  offline.stderr?.on('data', keep);
  stops.push(async () => {
    if (offline.exitCode !== null) return;
    const exited = new Promise((resolve) => offline.once('exit', resolve));
    offline.kill('SIGINT');
    await exited;
  });
  const api = `http://127.0.0.1:${httpPort}`;
  for (const deadline = Date.now() + 90_000; Date.now() < deadline; ) {
    if (offline.exitCode !== null) throw new Error(`serverless offline exited:\n${output.join('')}`);
    const status = await fetch(`${api}/api/v1/health`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return api;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`serverless offline did not start:\n${output.join('')}`);
}
