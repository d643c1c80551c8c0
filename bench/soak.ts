// Soak run: `npm run soak [-- --minutes 10 --connections 8 --max-requests 2000000 --log FILE]`. Not part of `npm test`.
// Starts `npm start` (its script, on free loopback ports, with a throw-away state folder), seeds the route fuzzer's
// world (test/support/fuzz-world.ts) into its database, then sends the fuzzer's hostile requests for every route and
// caller over HTTP from N connections until the time or the request count runs out, re-seeding the world every
// minute (the fuzzer deletes and changes what it finds). Every 5 s it samples the memory of the whole `npm start`
// process tree, PostgreSQL included. Only 127.0.0.1 is ever sent anything. Exit 1 on any response ≥ 500, a
// request not answered within 30 s, a stack not healthy at the end, or a peak PSS over 1.5 GiB.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { freePort } from '#tools/local-stack/ports.ts';
import { embeddedPostgresUrl } from '#tools/local-stack/postgres.ts';
import { EMULATOR_CREDENTIALS } from '#tools/local-stack/s3-emulator.ts';
import { waitForHealth } from '#tools/local-stack/serverless-offline.ts';
import { type TreeMemory, treeMemory } from './process-tree.ts';

const { values: options } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    connections: { type: 'string', default: '8' },
    'max-requests': { type: 'string', default: '2000000' },
    // npm start's whole output (its functions log every failure), for finding the cause of a 5xx.
    log: { type: 'string' },
  },
});
const MINUTES = Number(options.minutes);
const CONNECTIONS = Number(options.connections);
const MAX_REQUESTS = Number(options['max-requests']);
const PSS_BUDGET_BYTES = 1.5 * 1024 ** 3;
const SAMPLE_EVERY_MS = 5_000;
const say = (message: string) => console.log(`[soak] ${message}`);
const MiB = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;

async function startLocalStack(stateDir: string) {
  const ports = {
    HTTP_PORT: await freePort(),
    LAMBDA_PORT: await freePort(),
    WEBSOCKET_PORT: await freePort(),
    PG_PORT: await freePort(),
    S3_PORT: await freePort(),
  };
  const env = {
    JWT_SECRET: randomBytes(32).toString('base64url'),
    // Out of reach: this run measures the stack under traffic, not the limiter.
    RATE_LIMIT_PER_MINUTE: '100000000',
    RATE_LIMIT_AUTH_PER_MINUTE: '100000000',
    RATE_LIMIT_POSTS_PER_MINUTE: '100000000',
    BCRYPT_COST: '10',
    LOG_LEVEL: 'ERROR',
  };
  const output: string[] = [];
  const stack = spawn(process.execPath, ['scripts/start.ts', '--state-dir', stateDir], {
    env: {
      ...process.env,
      ...env,
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = options.log ? createWriteStream(options.log) : undefined;
  const keep = (chunk: Buffer) => {
    log?.write(chunk);
    output.push(String(chunk));
    if (output.length > 100) output.shift();
  };
  stack.stdout?.on('data', keep);
  stack.stderr?.on('data', keep);
  const api = `http://127.0.0.1:${ports.HTTP_PORT}`;
  await waitForHealth(`${api}/api/v1/health`, stack, 180_000).catch((error: Error) => {
    throw new Error(`${error.message}\n${output.join('')}`);
  });
  // The seeding below writes to the stack's database and bucket with the test factories, as its functions would.
  Object.assign(process.env, env, {
    DATABASE_URL: embeddedPostgresUrl(ports.PG_PORT, 'clipiq'),
    S3_ENDPOINT: `http://127.0.0.1:${ports.S3_PORT}`,
    S3_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
    S3_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
  });
  return { stack, api, output };
}

async function stopLocalStack(stack: ChildProcess) {
  if (stack.exitCode !== null || stack.signalCode !== null) return;
  const exited = new Promise((resolve) => stack.once('exit', resolve));
  stack.kill('SIGINT');
  await exited;
}

const stateDir = await mkdtemp(join(tmpdir(), 'clipiq-soak-'));
// Enterable by the `postgres` user that root's server runs as, so its data stays here and goes with the folder.
await chmod(stateDir, 0o755);
say(`starting npm start (state in ${stateDir})`);
const { stack, api, output } = await startLocalStack(stateDir);
const { sql } = await import('#lib/db.ts');
const { brokenPromises, invokeOverHttp } = await import('../test/support/fuzz-oracle.ts');
const { hostileCall } = await import('../test/support/fuzz-requests.ts');
const { routeName, serviceRoutes } = await import('../test/support/fuzz-routes.ts');
const { AUTH_STATES, seedFuzzWorld } = await import('../test/support/fuzz-world.ts');
const routes = await serviceRoutes();

type Hostile = { route: string; arbitrary: ReturnType<typeof hostileCall> };
async function hostileRequests(): Promise<Hostile[]> {
  const world = await seedFuzzWorld();
  return routes.flatMap((route) =>
    AUTH_STATES.map((state) => ({ route: routeName(route), arbitrary: hostileCall(route, state, world) })),
  );
}

let requests = hostileRequests();
const statuses = new Map<number, number>();
const examples = { serverErrors: [] as string[], unanswered: [] as string[], broken: [] as string[] };
const counts = { sent: 0, serverErrors: 0, timedOut: 0, unanswered: 0, broken: 0 };
const note = (list: string[], line: string) => list.length < 5 && list.push(line.slice(0, 400));
const peak: TreeMemory = { processes: 0, threads: 0, rssBytes: 0, pssBytes: 0 };
let seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
say(
  `fuzzer seed ${seed}; ${CONNECTIONS} connections for ${MINUTES} min or ${MAX_REQUESTS} requests, to ${api}`,
);

async function sample() {
  const memory = await treeMemory(stack.pid as number);
  for (const key of Object.keys(peak) as (keyof TreeMemory)[]) peak[key] = Math.max(peak[key], memory[key]);
  return memory;
}

async function connection(deadline: number) {
  while (Date.now() < deadline && counts.sent < MAX_REQUESTS && stack.exitCode === null) {
    const hostile = await requests;
    const { route, arbitrary } = hostile[Math.floor(Math.random() * hostile.length)] as Hostile;
    const [call] = fc.sample(arbitrary, { numRuns: 1, seed: seed++ });
    if (!call) continue;
    counts.sent += 1;
    try {
      const response = await invokeOverHttp(api, call);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const broken = brokenPromises(response);
      if (response.status >= 500) {
        counts.serverErrors += 1;
        note(examples.serverErrors, `${route}: ${response.status} ${response.text ?? ''}`);
      } else if (broken.length > 0) {
        counts.broken += 1;
        note(examples.broken, `${route}: ${broken.join(', ')}`);
      }
    } catch (error) {
      const { name, message, cause } = error as Error & { cause?: Error };
      // A timeout means the stack stopped answering; a connection the server closed (EPIPE, ECONNRESET) is Node
      // refusing a malformed request before reading its body.
      if (name === 'TimeoutError') counts.timedOut += 1;
      else counts.unanswered += 1;
      note(examples.unanswered, `${route}: ${message}${cause ? ` (${cause.message})` : ''}`);
    }
  }
}

const started = Date.now();
const deadline = started + MINUTES * 60_000;
const sampler = setInterval(async () => {
  const memory = await sample();
  const elapsed = Math.round((Date.now() - started) / 1000);
  say(
    `${elapsed}s ${counts.sent} requests; tree: ${memory.processes} processes, ${memory.threads} threads, ` +
      `RSS ${MiB(memory.rssBytes)}, PSS ${MiB(memory.pssBytes)}`,
  );
}, SAMPLE_EVERY_MS);
const reseeder = setInterval(() => {
  const next = hostileRequests();
  next.then(() => (requests = next)).catch(() => {});
}, 60_000);

try {
  await Promise.all(Array.from({ length: CONNECTIONS }, () => connection(deadline)));
} finally {
  clearInterval(sampler);
  clearInterval(reseeder);
}
await sample();
const health = await fetch(`${api}/api/v1/health`).then(
  async (response) => `${response.status} ${await response.text()}`,
  (error: Error) => error.message,
);
const seconds = (Date.now() - started) / 1000;
const crashed = stack.exitCode !== null;
await sql.end({ timeout: 5 });
await stopLocalStack(stack);
await rm(stateDir, { recursive: true, force: true });

const healthy = health.startsWith('200 ');
const withinBudget = peak.pssBytes <= PSS_BUDGET_BYTES;
console.log(
  [
    '',
    `requests             ${counts.sent} in ${seconds.toFixed(0)} s (${(counts.sent / seconds).toFixed(0)}/s)`,
    `statuses             ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`,
    `responses >= 500     ${counts.serverErrors}`,
    `timed out (30 s)     ${counts.timedOut}`,
    `connection closed    ${counts.unanswered} (the server refused a malformed request before its body)`,
    `not from a handler   ${counts.broken} (4xx without problem+json or security headers: serverless offline's own 400/404)`,
    `health at the end    ${health}`,
    `peak of the tree     ${peak.processes} processes, ${peak.threads} threads`,
    `peak RSS sum         ${MiB(peak.rssBytes)}`,
    `peak PSS sum         ${MiB(peak.pssBytes)} (budget ${MiB(PSS_BUDGET_BYTES)})`,
    ...Object.entries(examples).flatMap(([kind, lines]) => lines.map((line) => `  ${kind}: ${line}`)),
  ].join('\n'),
);
const failed = crashed || counts.serverErrors > 0 || counts.timedOut > 0 || !healthy || !withinBudget;
if (crashed) console.log(`npm start exited during the run:\n${output.join('')}`);
say(failed ? 'FAILED' : 'ok');
process.exitCode = failed ? 1 : 0;
