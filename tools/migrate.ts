import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type postgres from 'postgres';

const MIGRATION_FILE = /^\d{4}_[a-z0-9_]+\.sql$/;
/** Any constant works; it only has to be the same for every runner so two of them never migrate at once. */
const MIGRATION_LOCK_ID = 7_240_118;

export const migrationsDir = new URL('../migrations/', import.meta.url).pathname;

/**
 * Applies the forward-only SQL files in `migrations/` that have not run yet, in name order, each in its own
 * transaction, recording them in `schema_migrations`. Safe to run concurrently: each file takes a transaction-scoped advisory lock and re-checks.
 *
 * @example
 * const applied = await migrate(postgres(url, { max: 1 }));
 */
export async function migrate(sql: postgres.Sql, dir = migrationsDir): Promise<string[]> {
  const files = (await readdir(dir)).filter((name) => MIGRATION_FILE.test(name)).sort();
  const applied: string[] = [];
  for (const name of files) {
    const ran = await sql.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`;
      // The database's statement timeout (0001) is for requests; a migration may rewrite a large table.
      await tx`set local statement_timeout = 0`;
      await tx`create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())`;
      const [done] = await tx`select 1 from schema_migrations where name = ${name}`;
      if (done) return false;
      await tx.unsafe(await readFile(join(dir, name), 'utf8'));
      await tx`insert into schema_migrations (name) values (${name})`;
      return true;
    });
    if (ran) applied.push(name);
  }
  return applied;
}
