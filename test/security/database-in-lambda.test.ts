import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { load } from 'js-yaml';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { sql } from '#lib/db.ts';
import { loginAs, registerUser } from '../support/auth-factories.ts';
import { callRoute, findRoute, serviceRoutes } from '../support/fuzz-routes.ts';
import { TEMPLATE_DATABASE } from '../support/global-setup.ts';

const routes = await serviceRoutes();
const route = (name: string) => findRoute(routes, name);

// One test re-imports lib/db.ts under another environment; the per-file teardown then ends that copy, so the
// original client is ended here.
afterAll(async () => {
  vi.unstubAllEnvs();
  await sql.end({ timeout: 5 });
});

/** The code that is deployed: handlers and the library (the tooling in tools/ never runs in a Lambda). */
async function deployedSources() {
  const files = [];
  for (const dir of ['lib', 'functions']) {
    for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
      const file = join(entry.parentPath, entry.name);
      if (entry.isFile() && file.endsWith('.ts')) files.push(file);
    }
  }
  return Promise.all(files.map(async (file) => ({ file, code: await readFile(file, 'utf8') })));
}

/** Source lines that are code, not comments. */
const codeLines = (code: string) => code.split('\n').filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line));

describe('the PostgreSQL client of a Lambda environment', () => {
  it('is created once, in lib/db.ts at module scope, with one connection', async () => {
    // Act
    const creators = (await deployedSources())
      .filter(({ code }) => /^import postgres from 'postgres';$/m.test(code))
      .map(({ file }) => file);
    const dbModule = await readFile(join('lib', 'db.ts'), 'utf8');

    // Assess
    expect(creators).toEqual([join('lib', 'db.ts')]);
    expect(dbModule).toMatch(/^export const sql = postgres\(/m);
    expect(sql.options.max).toBe(1);
  });

  it('prepares no statements when deployed behind RDS Proxy or PgBouncer (DATABASE_PREPARE=false)', async () => {
    // Prepare: the deployed stages set the flag; a client built under it is compared with the default one.
    const service = load(await readFile('serverless.yml', 'utf8')) as {
      params: { default: Record<string, unknown> };
      provider: { environment: Record<string, unknown> };
    };
    vi.resetModules();
    vi.stubEnv('DATABASE_PREPARE', 'false');
    const { sql: unprepared } = await import('#lib/db.ts');
    const preparedCount = (client: typeof sql) =>
      client<{ count: number }[]>`select count(*)::int as count from pg_prepared_statements`;

    // Act
    for (let run = 0; run < 3; run++) await unprepared`select ${run}::int as run`;
    const [withoutPreparing] = await preparedCount(unprepared);
    await unprepared.end();
    for (let run = 0; run < 3; run++) await sql`select ${run}::int as run`;
    const [withPreparing] = await preparedCount(sql);

    // Assess
    expect(service.params.default.databasePrepare).toBe('false');
    expect(service.provider.environment.DATABASE_PREPARE).toBe(['$', '{param:databasePrepare}'].join(''));
    expect(withoutPreparing?.count).toBe(0);
    expect(withPreparing?.count).toBeGreaterThan(0);
  });

  it('takes its statement timeout from the database, never from a SET that would pin an RDS Proxy session', async () => {
    // Act: the migrations set it on the database they ran on (test databases are clones of that template, and a
    // clone does not inherit database settings, so the template's own settings are read).
    const [migrated] = await sql<{ settings: string[] }[]>`
      select s.setconfig as settings from pg_db_role_setting s join pg_database d on d.oid = s.setdatabase
      where d.datname = ${TEMPLATE_DATABASE} and s.setrole = 0
    `;
    const setters = (await deployedSources()).flatMap(({ file, code }) =>
      codeLines(code)
        .filter((line) => /(?:sql|tx|db)`\s*set\s|\bset_config\(|statement_timeout/i.test(line))
        .map((line) => `${file}: ${line.trim()}`),
    );

    // Assess
    expect(migrated?.settings).toEqual(
      expect.arrayContaining(['statement_timeout=15s', 'idle_in_transaction_session_timeout=30s']),
    );
    expect(Object.keys(sql.options.connection ?? {})).toEqual(['application_name']);
    expect(setters).toEqual([]);
  });
});

describe('multi-writes are one transaction', () => {
  afterEach(async () => {
    await sql.unsafe('drop trigger if exists fail_on_purpose on refresh_tokens');
  });

  /** Makes the next write of `operation` on refresh_tokens fail inside PostgreSQL, as a crash mid-way would. */
  async function failRefreshTokenWrites(operation: 'insert' | 'update') {
    await sql.unsafe(`
      create or replace function fail_on_purpose() returns trigger language plpgsql as $$
      begin raise exception 'injected failure'; end $$;
      create trigger fail_on_purpose before ${operation} on refresh_tokens
        for each row execute function fail_on_purpose();
    `);
  }

  it('registers nobody when the session cannot be stored after the user row', async () => {
    // Prepare
    await failRefreshTokenWrites('insert');

    // Act
    const response = await callRoute(
      route('POST /api/v1/auth/register'),
      {},
      {
        body: { email: 'half@example.test', username: 'half_written', password: 'long enough password' },
      },
    );

    // Assess
    expect(response.status).toBe(500);
    expect(response.body).toMatchObject({
      type: 'urn:clipiq:problem:internal',
      detail: 'Something went wrong on our side',
    });
    expect(await sql`select 1 from users where username = 'half_written'`).toHaveLength(0);
  });

  it('keeps the old password when its sessions cannot be revoked', async () => {
    // Prepare
    const user = await registerUser();
    await failRefreshTokenWrites('update');

    // Act
    const response = await callRoute(
      route('POST /api/v1/auth/password'),
      {},
      {
        token: user.accessToken,
        body: { currentPassword: user.password, newPassword: 'a brand new password' },
      },
    );

    // Assess
    expect(response.status).toBe(500);
    const [row] = await sql<
      { passwordHash: string }[]
    >`select password_hash from users where id = ${user.id}`;
    expect(await bcrypt.compare(user.password, row?.passwordHash ?? '')).toBe(true);
    await sql.unsafe('drop trigger fail_on_purpose on refresh_tokens');
    expect((await loginAs(user)).status).toBe(200);
  });
});
