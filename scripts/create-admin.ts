import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { type $ZodType, type output, safeParse } from 'zod/v4/core';
import { DEFAULT_BCRYPT_COST } from '#lib/auth/bcrypt-cost.ts';
import { NewPassword } from '#lib/auth/schemas.ts';
import { Email, Username } from '#lib/users/schemas.ts';
import {
  type AdminBootstrapResult,
  createOrPromoteAdmin,
  usernameFromEmail,
} from '#tools/admin-bootstrap.ts';
import '#lib/validation-messages.ts';

const USAGE = 'Usage: npm run create-admin -- --email <email> [--username <name>] [--password <password>]';

/** Stops with a one-line message: operators need the reason, not a stack trace. */
function fail(message: string, code = 1): never {
  console.error(`create-admin: ${message}`);
  process.exit(code);
}

function readArguments() {
  try {
    const { values } = parseArgs({
      options: { email: { type: 'string' }, username: { type: 'string' }, password: { type: 'string' } },
      strict: true,
    });
    return values;
  } catch (error) {
    return fail(`${(error as Error).message}\n${USAGE}`, 2);
  }
}

function valid<S extends $ZodType>(schema: S, name: string, value: unknown): output<S> {
  const parsed = safeParse(schema, value);
  if (!parsed.success) fail(`--${name} ${parsed.error.issues[0]?.message ?? 'is invalid'}`, 2);
  return parsed.data;
}

function describe(email: string, result: AdminBootstrapResult) {
  const who = `${email} (username ${result.username}, id ${result.userId})`;
  switch (result.action) {
    case 'created':
      return result.generatedPassword
        ? `Created admin ${who}.\nGenerated password (shown once; change it after signing in): ${result.generatedPassword}`
        : `Created admin ${who} with the given password.`;
    case 'promoted':
      return `Promoted ${who} from ${result.previousRole} to admin${result.passwordChanged ? '; password replaced and sessions revoked' : ''}.`;
    case 'unchanged':
      return `${who} is already an admin${result.passwordChanged ? '; password replaced and sessions revoked' : '; nothing changed'}.`;
  }
}

const args = readArguments();
if (!args.email) fail(`--email is required\n${USAGE}`, 2);
const email = valid(Email(), 'email', args.email);
const username = args.username === undefined ? undefined : valid(Username(), 'username', args.username);
const password = args.password === undefined ? undefined : valid(NewPassword(), 'password', args.password);
const bcryptCost = Number(process.env.BCRYPT_COST || DEFAULT_BCRYPT_COST);
if (!Number.isInteger(bcryptCost) || bcryptCost < 10 || bcryptCost > 15)
  fail('BCRYPT_COST must be an integer from 10 to 15');
const url = process.env.DATABASE_URL;
if (!url) fail('Set DATABASE_URL to the PostgreSQL database of ClipIQ');

const sql = postgres(url, { max: 1, onnotice: () => {}, transform: postgres.camel, connect_timeout: 5 });
try {
  const result = await sql.begin((tx) => createOrPromoteAdmin(tx, { email, username, password, bcryptCost }));
  console.log(describe(email, result));
} catch (error) {
  const {
    code,
    constraint_name: constraint,
    message,
  } = error as { code?: string; constraint_name?: string; message: string };
  if (code === '23505' && constraint === 'users_username_key') {
    fail(`the username "${username ?? usernameFromEmail(email)}" is taken; choose another with --username`);
  }
  if (code === '42P01') fail('the database has no users table; run `npm run migrate` first');
  fail(`could not create the admin: ${message}`);
} finally {
  await sql.end({ timeout: 5 });
}
