import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { freePort } from '#tools/local-stack/ports.ts';
import { startEmbeddedPostgres } from '#tools/local-stack/postgres.ts';
import { migrate } from '#tools/migrate.ts';

export const TEMPLATE_DATABASE = 'clipiq_template';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
    postgresUrlPrefix: string;
    jwtSecret: string;
  }
}

/**
 * One real PostgreSQL server for the whole run, on a free port, with a migrated template database that every
 * test file clones (CREATE DATABASE … TEMPLATE is a file copy: milliseconds).
 */
export default async function setup(project: TestProject) {
  const dataDir = await mkdtemp(join(tmpdir(), 'clipiq-test-pg-'));
  const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), ephemeral: true });
  await server.createDatabase(TEMPLATE_DATABASE);
  const template = postgres(server.url(TEMPLATE_DATABASE), { max: 1, onnotice: () => {} });
  await migrate(template).finally(() => template.end());

  project.provide('postgresAdminUrl', server.url('postgres'));
  project.provide('postgresUrlPrefix', server.url(''));
  project.provide('jwtSecret', randomBytes(32).toString('base64url'));

  return async () => {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
