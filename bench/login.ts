// Measures password hashing and sign-in latency: `node bench/login.ts [logins=50]`.
// bcrypt ms per hash at costs 10–12, then sign-ins through the real login handler (in-process, real embedded
// PostgreSQL) at the configured cost: successes, unknown emails and wrong passwords. Not part of `npm test`.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import postgres from 'postgres';
import { DEFAULT_BCRYPT_COST } from '#lib/auth/bcrypt-cost.ts';
import { freePort } from '#tools/local-stack/ports.ts';
import { startEmbeddedPostgres } from '#tools/local-stack/postgres.ts';
import { migrate } from '#tools/migrate.ts';
import { callApi } from '../test/support/lambda.ts';

const LOGINS = Number(process.argv[2] ?? 50);
const HASHES_PER_COST = 7;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] as number;
};
const summary = (values: number[]) =>
  `p50 ${percentile(values, 50).toFixed(0)} ms, p95 ${percentile(values, 95).toFixed(0)} ms (n=${values.length})`;

async function timed(action: () => Promise<unknown>) {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

console.log(`Node ${process.version}, bcryptjs`);
for (const cost of [10, 11, 12]) {
  const samples: number[] = [];
  for (let i = 0; i < HASHES_PER_COST; i++)
    samples.push(await timed(() => bcrypt.hash('correct horse battery', cost)));
  console.log(`bcrypt cost ${cost}: ${summary(samples)} per hash`);
}

const dataDir = await mkdtemp(join(tmpdir(), 'clipiq-bench-pg-'));
const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), ephemeral: true });
try {
  await server.createDatabase('bench');
  const admin = postgres(server.url('bench'), { max: 1, onnotice: () => {} });
  await migrate(admin).finally(() => admin.end());
  Object.assign(process.env, {
    DATABASE_URL: server.url('bench'),
    JWT_SECRET: randomBytes(32).toString('base64url'),
    BCRYPT_COST: process.env.BCRYPT_COST ?? String(DEFAULT_BCRYPT_COST),
    RATE_LIMIT_AUTH_PER_MINUTE: '1000000',
    RATE_LIMIT_PER_MINUTE: '1000000',
    LOG_LEVEL: 'SILENT',
  });
  const { handler: register } = await import('#functions/auth/register.ts');
  const { handler: login } = await import('#functions/auth/login.ts');
  const { sql } = await import('#lib/db.ts');

  const account = { email: 'bench@example.test', username: 'bench', password: 'correct horse battery' };
  await callApi(register, { method: 'POST', body: account });
  const signIn = (email: string, password: string, sourceIp: string) =>
    callApi(login, { method: 'POST', path: '/api/v1/auth/login', body: { email, password }, sourceIp });

  const succeeded: number[] = [];
  for (let i = 0; i < LOGINS; i++) {
    succeeded.push(await timed(() => signIn(account.email, account.password, '198.51.100.1')));
  }
  const unknown: number[] = [];
  const wrong: number[] = [];
  for (let i = 0; i < Math.min(LOGINS, 20); i++) {
    // Fresh counters each round: this measures the work of a failure, not the throttle's 429.
    await sql`delete from login_throttles`;
    unknown.push(
      await timed(() => signIn(`nobody${i}@example.test`, 'wrong password', `198.51.100.${i + 2}`)),
    );
    wrong.push(await timed(() => signIn(account.email, 'wrong password', `198.51.100.${i + 2}`)));
  }
  console.log(`login through the handler at cost ${process.env.BCRYPT_COST}:`);
  console.log(`  success        ${summary(succeeded)}`);
  console.log(`  unknown email  ${summary(unknown)}`);
  console.log(`  wrong password ${summary(wrong)}`);
  await sql.end();
} finally {
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
}
