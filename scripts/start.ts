import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import postgres from 'postgres';
import { DERIVED_PREFIX } from '#lib/media/derived-keys.ts';
import { ensurePortFree, LocalStackError } from '#tools/local-stack/ports.ts';
import { startEmbeddedPostgres } from '#tools/local-stack/postgres.ts';
import { startS3Emulator } from '#tools/local-stack/s3-emulator.ts';
import {
  startServerlessOffline,
  stopServerlessOffline,
  waitForHealth,
} from '#tools/local-stack/serverless-offline.ts';
import {
  createStorageEventBridge,
  invokeThroughLambdaApi,
  startMinioWebhookReceiver,
} from '#tools/local-stack/storage-event-bridge.ts';
import { startWebServer } from '#tools/local-stack/web-server.ts';
import { migrate } from '#tools/migrate.ts';
import { buildWebApp } from '#tools/web/build.ts';
import { buildFunctions } from '../esbuild.config.ts';

// `.env` first (git-ignored, see .env.example): variables set in the shell win over it.
if (existsSync('.env')) process.loadEnvFile('.env');
const { values: flags } = parseArgs({
  options: {
    watch: { type: 'boolean', default: false },
    // Where PostgreSQL, the S3 emulator and the JWT secret keep their data (the soak run uses a throw-away one).
    'state-dir': { type: 'string', default: '.clipiq' },
  },
});
const stateDir = resolve(flags['state-dir']);
const env = process.env;
const port = (name: string, fallback: number) => Number(env[name] ?? fallback);
const ports = {
  http: port('HTTP_PORT', 3000),
  lambda: port('LAMBDA_PORT', 3002),
  websocket: port('WEBSOCKET_PORT', 3001),
  webhook: port('STORAGE_WEBHOOK_PORT', 3003),
  postgres: port('PG_PORT', 5433),
  s3: port('S3_PORT', 4569),
  web: port('WEB_PORT', 5173),
};
const stage = 'dev';
const bucket = env.VIDEOS_BUCKET ?? 'clipiq-videos';
// The web app's origin by default, so another WEB_PORT needs no CORS setting of its own.
const corsOrigins = (env.CORS_ORIGINS ?? `http://localhost:${ports.web}`)
  .split(',')
  .map((origin) => origin.trim());
const stops: Array<() => Promise<unknown> | unknown> = [];
const say = (message: string) => console.log(`[clipiq] ${message}`);
/** A path as the developer would type it: relative inside the project, absolute outside. */
const shown = (path: string) =>
  relative(process.cwd(), path).startsWith('..') ? path : relative(process.cwd(), path);

/** A random 256-bit secret kept across restarts, so tokens survive a restart of the local stack. */
async function localJwtSecret() {
  const file = join(stateDir, 'jwt-secret');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const secret = randomBytes(32).toString('base64url');
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

async function startDatabase() {
  if (env.DATABASE_URL) return env.DATABASE_URL;
  say(`starting PostgreSQL on 127.0.0.1:${ports.postgres}`);
  const database = await startEmbeddedPostgres({ dataDir: join(stateDir, 'postgres'), port: ports.postgres });
  stops.push(() => database.stop());
  say(`PostgreSQL data in ${shown(database.dataDir)}`);
  await database.createDatabase('clipiq');
  return database.url('clipiq');
}

async function startStorage() {
  if (env.S3_ENDPOINT) return undefined;
  say(`starting the S3 emulator on 127.0.0.1:${ports.s3} (data in ${shown(join(stateDir, 's3'))})`);
  const emulator = await startS3Emulator({
    dataDir: join(stateDir, 's3'),
    port: ports.s3,
    bucket,
    corsOrigins,
  });
  stops.push(() => emulator.stop());
  return emulator;
}

async function main() {
  await mkdir(stateDir, { recursive: true });
  await ensurePortFree(ports.http, 'HTTP API', 'HTTP_PORT');
  await ensurePortFree(ports.lambda, 'Lambda invoke API', 'LAMBDA_PORT');
  await ensurePortFree(ports.web, 'web app', 'WEB_PORT');
  await ensurePortFree(ports.websocket, 'WebSocket server', 'WEBSOCKET_PORT');
  const databaseUrl = await startDatabase();
  const emulator = await startStorage();

  const migrator = postgres(databaseUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  const applied = await migrate(migrator).finally(() => migrator.end());
  say(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');

  say(flags.watch ? 'building functions (esbuild, watching for changes)' : 'building functions (esbuild)');
  stops.push(await buildFunctions({ watch: flags.watch }));
  say('building the web app');
  // `localhost`, not 127.0.0.1: the web app's origin is on localhost, and the refresh cookie (SameSite=Strict)
  // only travels to an API of the same site.
  await buildWebApp(join(stateDir, 'web'), { apiBaseUrl: `http://localhost:${ports.http}/api/v1` });
  // esbuild's service process keeps about 400 MB after a build; only watch mode builds again.
  if (!flags.watch) await esbuild.stop();

  const functionEnv = {
    ...env,
    DATABASE_URL: databaseUrl,
    JWT_SECRET: env.JWT_SECRET ?? (await localJwtSecret()),
    VIDEOS_BUCKET: bucket,
    CORS_ORIGINS: corsOrigins.join(','),
    HTTP_PORT: String(ports.http),
    LAMBDA_PORT: String(ports.lambda),
    WEBSOCKET_PORT: String(ports.websocket),
    WEBSOCKET_URL: env.WEBSOCKET_URL ?? `ws://127.0.0.1:${ports.websocket}`,
    LAMBDA_ENDPOINT: env.LAMBDA_ENDPOINT ?? `http://127.0.0.1:${ports.lambda}`,
    MEDIA_FUNCTION_NAME: env.MEDIA_FUNCTION_NAME ?? `clipiq-${stage}-mediaProcess`,
    ...(emulator
      ? {
          S3_ENDPOINT: emulator.endpoint,
          S3_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
          S3_SECRET_ACCESS_KEY: emulator.credentials.secretAccessKey,
        }
      : {}),
  };
  const offline = startServerlessOffline({ env: functionEnv, watch: flags.watch, stdio: 'inherit' });
  stops.push(() => stopServerlessOffline(offline));

  const bridge = createStorageEventBridge(
    invokeThroughLambdaApi(`http://127.0.0.1:${ports.lambda}`, `clipiq-${stage}-ingest`),
    {
      onFailure: (error) =>
        console.error(`[clipiq] ingest failed after retries: ${(error as Error).message}`),
    },
  );
  // Like the bucket's notification rule in AWS: what the media units write is not an upload.
  emulator?.onObjectCreated((event) => {
    if (!event.Records.every((record) => record.s3.object.key.startsWith(DERIVED_PREFIX)))
      void bridge.deliver(event);
  });
  if (env.STORAGE_WEBHOOK_TOKEN) {
    const receiver = await startMinioWebhookReceiver({
      port: ports.webhook,
      authToken: env.STORAGE_WEBHOOK_TOKEN,
      deliver: bridge.deliver,
    });
    stops.push(receiver.stop);
    say(`MinIO webhook receiver on ${receiver.url}`);
  }

  const api = `http://127.0.0.1:${ports.http}/api/v1`;
  await waitForHealth(`${api}/health`, offline);
  const web = await startWebServer({ root: join(stateDir, 'web'), port: ports.web });
  stops.push(web.stop);
  say('ready:');
  say(`  web app      ${web.url}`);
  say(`  API          ${api}  (try ${api}/health)`);
  say(
    `  WebSocket    ${functionEnv.WEBSOCKET_URL}  (connect with a ticket from POST ${api}/realtime/tickets)`,
  );
  say(`  storage      ${emulator?.endpoint ?? env.S3_ENDPOINT}  bucket ${bucket}`);
  say(`  database     ${databaseUrl.replace(/:[^:@/]+@/, ':***@')}`);
  say('press Ctrl-C to stop');
  offline.once('exit', (code) => {
    if (!shuttingDown) void shutdown(code ?? 1);
  });
}

let shuttingDown = false;
async function shutdown(code: number) {
  shuttingDown = true;
  say('stopping…');
  for (const stop of stops.reverse()) await Promise.resolve(stop()).catch(() => {});
  process.exit(code);
}
process.once('SIGINT', () => void shutdown(0));
process.once('SIGTERM', () => void shutdown(0));

main().catch(async (error: unknown) => {
  const message =
    error instanceof LocalStackError
      ? error.message
      : `could not start: ${(error as Error)?.message ?? error}`;
  console.error(`[clipiq] ${message}`);
  await shutdown(1);
});
