import { describe, expect, it } from 'vitest';
import { sql } from '#lib/db.ts';
import { migrate } from '#tools/migrate.ts';

describe('migrations', () => {
  it('records every applied file and applies nothing twice', async () => {
    const before = await sql<{ name: string }[]>`select name from schema_migrations order by name`;

    const appliedAgain = await migrate(sql);

    expect(before.map((row) => row.name)).toContain('0001_core.sql');
    expect(appliedAgain).toEqual([]);
  });

  it('enforces lower-case emails and the username format in the database itself', async () => {
    const insert = (email: string, username: string) =>
      sql`insert into users (email, username, display_name, password_hash) values (${email}, ${username}, 'x', 'x')`;

    await expect(insert('Upper@Example.test', 'valid_name')).rejects.toMatchObject({ code: '23514' });
    await expect(insert('lower@example.test', 'Bad Name')).rejects.toMatchObject({ code: '23514' });
  });
});
