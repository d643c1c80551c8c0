import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { sql } from '#lib/db.ts';
import { loginAs } from '../support/auth-factories.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { createUser } from '../support/factories.ts';

const script = new URL('../../scripts/create-admin.ts', import.meta.url).pathname;

/** Runs `npm run create-admin -- …` the way an operator would, against this file's database. */
async function createAdmin(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [script, ...args], {
      env: { PATH: process.env.PATH, DATABASE_URL: process.env.DATABASE_URL, BCRYPT_COST: '10', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run create-admin', () => {
  it('creates an admin with a generated password that signs in', async () => {
    // Act
    const result = await createAdmin(['--email', 'Ops.Lead@Example.test']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^Created admin ops.lead@example.test \(username ops_lead, id [0-9a-f-]{36}\)\./,
    );
    const password = /Generated password .*: (\S+)/.exec(result.stdout)?.[1] as string;
    const [row] = await sql`select role, password_hash from users where email = 'ops.lead@example.test'`;
    expect(row?.role).toBe('admin');
    expect(bcrypt.getRounds(row?.passwordHash)).toBe(10);
    const login = await loginAs({ email: 'ops.lead@example.test', password });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ user: { role: 'admin', username: 'ops_lead' } });
  });

  it('promotes an existing user, replacing the password when one is given', async () => {
    // Prepare
    const user = await createUser({ role: 'creator' });

    // Act
    const result = await createAdmin(['--email', user.email, '--password', 'a new admin passphrase']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `Promoted ${user.email} (username ${user.username}, id ${user.id}) from creator to admin`,
    );
    const [row] = await sql`select role from users where id = ${user.id}`;
    expect(row?.role).toBe('admin');
    expectProblem(await loginAs(user), 401);
    expect((await loginAs({ email: user.email, password: 'a new admin passphrase' })).status).toBe(200);
  });

  it('says so and changes nothing when the user already is an admin', async () => {
    // Prepare
    const admin = await createUser({ role: 'admin' });

    // Act
    const result = await createAdmin(['--email', admin.email]);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('is already an admin; nothing changed.');
  });

  it.each([
    ['no email', [], {}, /^create-admin: --email is required\nUsage:/],
    ['a malformed email', ['--email', 'nope'], {}, /^create-admin: --email must be an email address/],
    [
      'a short password',
      ['--email', 'a@example.test', '--password', 'short'],
      {},
      /^create-admin: --password /,
    ],
    [
      'an unknown option',
      ['--email', 'a@example.test', '--role', 'x'],
      {},
      /^create-admin: Unknown option '--role'/,
    ],
    [
      'no DATABASE_URL',
      ['--email', 'a@example.test'],
      { DATABASE_URL: '' },
      /^create-admin: Set DATABASE_URL/,
    ],
    [
      'an unreachable database',
      ['--email', 'a@example.test'],
      { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' },
      /^create-admin: could not create the admin: .*ECONNREFUSED/,
    ],
  ])('fails with a clear message and no stack trace for %s', async (_case, args, env, message) => {
    // Act
    const result = await createAdmin(args, env);

    // Assess
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('names the taken username instead of failing obscurely', async () => {
    // Prepare
    const user = await createUser();

    // Act
    const result = await createAdmin(['--email', 'someone-new@example.test', '--username', user.username]);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `create-admin: the username "${user.username}" is taken; choose another with --username\n`,
    );
  });
});
