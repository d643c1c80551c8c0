// Load run: `npm run bench:load [-- --duration 15 --connections 200 --json FILE --worker-threads]`. Not part of
// `npm test`. Starts the embedded stack (PostgreSQL on a free port, the S3 emulator, `serverless offline` with the
// built functions), seeds users, videos, subscriptions and notifications, then sends a mix of real requests (health,
// list, search, get video, profile, me, feed, notifications, view, like, login) from N concurrent connections for a
// bounded time over loopback with autocannon, and the same mix to the handlers in-process. Request budgets are set
// out of reach, so any 429 is counted apart; any other non-2xx, socket error or timeout fails the run (exit 1).
//
// serverless offline runs the handlers in its own process by default here: its worker-thread runner gives every
// concurrent request an environment of its own, so 200 connections mean 200 threads each loading a bundle, and on
// 2 cores those cold starts alone outlast the client timeout (`--worker-threads` shows it). Each function module
// then keeps a pool of DATABASE_MAX_CONNECTIONS=10, standing in for ten warm Lambda environments.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { buildFunctions } from '../esbuild.config.ts';
import { callApi } from '../test/support/lambda.ts';
import { PASSWORD, type Stops, seedLoadData, startOffline, startStack } from './load-stack.ts';

const { values: options } = parseArgs({
  options: {
    duration: { type: 'string', default: '15' },
    connections: { type: 'string', default: '200' },
    json: { type: 'string' },
    'worker-threads': { type: 'boolean', default: false },
  },
});
const DURATION_SECONDS = Number(options.duration);
const CONNECTIONS = Number(options.connections);
const say = (message: string) => console.log(`[load] ${message}`);
const stops: Stops = [];
const sample = <T>(items: readonly T[]) => items[Math.floor(Math.random() * items.length)] as T;
const concretePath = (template: string, values: Record<string, string>) =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? ''));

interface RequestKind {
  name: string;
  weight: number;
  method: string;
  template: string;
  params?: () => Record<string, string>;
  query?: () => Record<string, string>;
  token?: () => string;
  body?: () => unknown;
}

function requestMix(data: Awaited<ReturnType<typeof seedLoadData>>, tokens: string[]): RequestKind[] {
  const video = () => ({ id: sample(data.videos).id });
  const token = () => sample(tokens);
  return [
    { name: 'health', weight: 1, method: 'GET', template: '/api/v1/health' },
    {
      name: 'list videos',
      weight: 8,
      method: 'GET',
      template: '/api/v1/videos',
      query: () => ({ limit: '20' }),
    },
    {
      name: 'search',
      weight: 4,
      method: 'GET',
      template: '/api/v1/videos',
      query: () => ({ q: sample(data.words) }),
    },
    { name: 'get video', weight: 8, method: 'GET', template: '/api/v1/videos/{id}', params: video },
    {
      name: 'profile',
      weight: 4,
      method: 'GET',
      template: '/api/v1/users/{idOrUsername}',
      params: () => ({ idOrUsername: sample(data.creators).username }),
    },
    { name: 'me', weight: 4, method: 'GET', template: '/api/v1/auth/me', token },
    { name: 'feed', weight: 6, method: 'GET', template: '/api/v1/feed', token },
    { name: 'notifications', weight: 4, method: 'GET', template: '/api/v1/notifications', token },
    { name: 'view', weight: 2, method: 'POST', template: '/api/v1/videos/{id}/views', params: video },
    { name: 'like', weight: 2, method: 'PUT', template: '/api/v1/videos/{id}/like', params: video, token },
    {
      name: 'login',
      weight: 1,
      method: 'POST',
      template: '/api/v1/auth/login',
      body: () => ({ email: sample(data.viewers).email, password: PASSWORD }),
    },
  ];
}

/** One request of the mix, drawn by weight, as both an HTTP request and an in-process call. */
function drawRequest(mix: RequestKind[]) {
  let ticket = Math.random() * mix.reduce((sum, candidate) => sum + candidate.weight, 0);
  let kind = mix[0] as RequestKind;
  for (const candidate of mix) {
    kind = candidate;
    ticket -= candidate.weight;
    if (ticket < 0) break;
  }
  const params = kind.params?.() ?? {};
  const query = kind.query?.();
  const body = kind.body?.();
  const path = concretePath(kind.template, params);
  const token = kind.token?.();
  return {
    kind: kind.name,
    http: {
      method: kind.method,
      path: query ? `${path}?${new URLSearchParams(query)}` : path,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    },
    call: {
      method: kind.method,
      path,
      ...(kind.params ? { pathParameters: params } : {}),
      ...(query ? { query } : {}),
      ...(body ? { body } : {}),
      ...(token ? { token } : {}),
    },
    template: kind.template,
  };
}

type Tally = Record<string, Record<string, number>>;
const count = (tally: Tally, kind: string, status: number | string) => {
  tally[kind] ??= {};
  (tally[kind] as Record<string, number>)[status] =
    ((tally[kind] as Record<string, number>)[status] ?? 0) + 1;
};
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;

function phaseSummary(tally: Tally, seconds: number, latency: { p50: number; p99: number }, errors: number) {
  const statuses: Record<string, number> = {};
  for (const byStatus of Object.values(tally)) {
    for (const [status, n] of Object.entries(byStatus)) statuses[status] = (statuses[status] ?? 0) + n;
  }
  const requests = Object.values(statuses).reduce((sum, n) => sum + n, 0);
  const ok = Object.entries(statuses)
    .filter(([status]) => status.startsWith('2'))
    .reduce((sum, [, n]) => sum + n, 0);
  const limited = statuses['429'] ?? 0;
  return {
    requests,
    perSecond: Math.round(requests / seconds),
    latencyMs: latency,
    ok,
    limited,
    other: requests - ok - limited,
    errors,
    statuses,
    byKind: tally,
  };
}

async function overHttp(api: string, mix: RequestKind[]) {
  const tally: Tally = {};
  const result = await autocannon({
    url: api,
    connections: CONNECTIONS,
    duration: DURATION_SECONDS,
    // API Gateway gives an integration 30 s before it answers 504 itself.
    timeout: 30,
    requests: [
      {
        setupRequest: (request: Record<string, unknown>, context: Record<string, unknown>) => {
          const drawn = drawRequest(mix);
          context.kind = drawn.kind;
          return { ...request, ...drawn.http };
        },
        onResponse: (status: number, _body: string, context: Record<string, unknown>) =>
          count(tally, String(context.kind), status),
      },
    ],
  });
  return phaseSummary(
    tally,
    DURATION_SECONDS,
    { p50: result.latency.p50, p99: result.latency.p99 },
    result.errors + result.timeouts,
  );
}

async function inProcess(mix: RequestKind[]) {
  const { documentedRoute } = await import('#tools/openapi/route-table.ts');
  const handlers = new Map<string, Parameters<typeof callApi>[0]>();
  for (const kind of mix) {
    const route = await documentedRoute(kind.method, kind.template);
    if (!route) throw new Error(`no route ${kind.method} ${kind.template}`);
    handlers.set(`${kind.method} ${kind.template}`, route.handler);
  }
  const tally: Tally = {};
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + DURATION_SECONDS * 1000;
  const connection = async () => {
    while (performance.now() < deadline) {
      const drawn = drawRequest(mix);
      const started = performance.now();
      try {
        const handler = handlers.get(`${drawn.call.method} ${drawn.template}`) as Parameters<
          typeof callApi
        >[0];
        const response = await callApi(handler, drawn.call);
        count(tally, drawn.kind, response.status);
        if (response.status >= 500) say(`${drawn.kind}: ${response.status} ${JSON.stringify(response.body)}`);
      } catch {
        errors += 1;
      }
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, connection));
  latencies.sort((a, b) => a - b);
  const latency = { p50: Math.round(percentile(latencies, 50)), p99: Math.round(percentile(latencies, 99)) };
  return phaseSummary(tally, DURATION_SECONDS, latency, errors);
}

try {
  const env = await startStack(stops);
  const data = await seedLoadData(env.DATABASE_URL);
  say('building functions and starting serverless offline');
  await buildFunctions();
  const api = await startOffline(env, stops, options['worker-threads']);
  const tokens: string[] = [];
  for (const viewer of data.viewers.slice(0, 20)) {
    const response = await fetch(`${api}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: viewer.email, password: PASSWORD }),
    });
    tokens.push(((await response.json()) as { accessToken: string }).accessToken);
  }
  const mix = requestMix(data, tokens);

  say(`serverless offline: ${CONNECTIONS} connections for ${DURATION_SECONDS} s over loopback`);
  const offline = await overHttp(api, mix);
  say(`in-process handlers: ${CONNECTIONS} concurrent callers for ${DURATION_SECONDS} s`);
  // In this process every handler shares one lib/db.ts pool, where serverless offline gives each function module its
  // own: 50 connections here match the 11 modules × 10 there closely enough.
  Object.assign(process.env, env, { DATABASE_MAX_CONNECTIONS: '50', LOG_LEVEL: 'ERROR' });
  const handlers = await inProcess(mix);

  const phases = { 'serverless offline': offline, 'in-process': handlers };
  console.log('\nphase                requests   req/s  p50 ms  p99 ms     2xx   429  other  errors');
  for (const [name, phase] of Object.entries(phases)) {
    console.log(
      [
        name.padEnd(18),
        String(phase.requests).padStart(10),
        String(phase.perSecond).padStart(7),
        String(phase.latencyMs.p50).padStart(7),
        String(phase.latencyMs.p99).padStart(7),
        String(phase.ok).padStart(7),
        String(phase.limited).padStart(5),
        String(phase.other).padStart(6),
        String(phase.errors).padStart(7),
      ].join(' '),
    );
  }
  console.log('\nby request (serverless offline | in-process):');
  for (const kind of mix) {
    console.log(
      `  ${kind.name.padEnd(14)} ${JSON.stringify(offline.byKind[kind.name] ?? {})} | ${JSON.stringify(handlers.byKind[kind.name] ?? {})}`,
    );
  }
  const summary = { connections: CONNECTIONS, durationSeconds: DURATION_SECONDS, phases };
  if (options.json) await writeFile(options.json, JSON.stringify(summary, null, 2));
  const failed = Object.values(phases).some((phase) => phase.other > 0 || phase.errors > 0);
  say(
    failed
      ? 'FAILED: responses other than 2xx/429, or socket errors'
      : 'ok: every response was 2xx (429s counted apart)',
  );
  process.exitCode = failed ? 1 : 0;
} finally {
  const { sql } = await import('#lib/db.ts').catch(() => ({ sql: undefined }));
  await sql?.end({ timeout: 5 }).catch(() => {});
  for (const stop of stops.reverse()) await stop().catch(() => {});
}
