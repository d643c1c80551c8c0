import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { freePort } from '#tools/local-stack/ports.ts';
import {
  startServerlessOffline,
  stopServerlessOffline,
  waitForHealth,
} from '#tools/local-stack/serverless-offline.ts';
import { percentiles } from './measure.ts';
import { treeMemory } from './process-tree.ts';

export interface RealtimeFigures {
  subscribers: number;
  /** Publish (the fan-out starts) to each subscriber's WebSocket receiving its notification. */
  p50Ms: number;
  p99Ms: number;
  /** Growth of the local API process (serverless offline, which holds the sockets) per open connection. */
  memoryPerConnectionKiB: number;
}

/** Connections opened at once: each runs `$connect` (a ticket spent in PostgreSQL). */
const CONNECTING = 50;

/**
 * Picks the local WebSocket server's port and points the functions at it; call it before any function module is
 * imported (the configuration is read once).
 *
 * @example
 * await useBenchWebSocketPort();
 */
export async function useBenchWebSocketPort() {
  process.env.WEBSOCKET_PORT = String(await freePort());
  process.env.WEBSOCKET_URL = `ws://127.0.0.1:${process.env.WEBSOCKET_PORT}`;
}

/**
 * Publish-to-receive latency through the local stack: `serverless offline` (its WebSocket server and handlers, on the
 * benchmark's database, built functions), `subscribers` WebSocket clients each connected with its own ticket, and
 * `rounds` videos published by a channel they all follow: each round times `fanOutPublished` (what ingest calls)
 * until every subscriber has its `notification` message. Also the API process's memory per open connection.
 *
 * @example
 * const { p99Ms, memoryPerConnectionKiB } = await measureRealtime({ subscribers: 1000, rounds: 5 });
 */
export async function measureRealtime(options: {
  subscribers: number;
  rounds: number;
}): Promise<RealtimeFigures> {
  const { sql } = await import('#lib/db.ts');
  const { config } = await import('#lib/environment.ts');
  const { fanOutPublished } = await import('#lib/notifications/fan-out.ts');
  const { issueTicket } = await import('#lib/realtime/tickets.ts');
  const run = randomBytes(4).toString('hex');
  const [channel] = await sql<{ id: string }[]>`
    insert into users (email, username, display_name, role, password_hash)
    values (${`rt-${run}@bench.test`}, ${`rt_${run}`}, 'Real-time bench', 'creator', 'x') returning id
  `;
  const fans = await sql<{ id: string }[]>`
    insert into users (email, username, display_name, password_hash)
    select 'rt-' || ${run} || '-' || i || '@bench.test', 'rt_' || ${run} || '_' || i, 'Fan ' || i, 'x'
    from generate_series(1, ${options.subscribers}::int) i
    returning id
  `;
  await sql`
    insert into subscriptions (subscriber_id, channel_id)
    select unnest(${fans.map((fan) => fan.id)}::uuid[]), ${channel?.id ?? ''}
  `;

  const httpPort = await freePort();
  const offline = startServerlessOffline({
    env: { ...process.env, HTTP_PORT: String(httpPort), LAMBDA_PORT: String(await freePort()) },
    stdio: 'ignore',
  });
  const sockets: WebSocket[] = [];
  try {
    await waitForHealth(`http://127.0.0.1:${httpPort}/api/v1/health`, offline, 90_000);
    const received = new Map<string, number>();
    let onReceived = () => {};
    const open = async (fanId: string) => {
      const { url } = await issueTicket(fanId);
      const socket = new WebSocket(url, { origin: config.corsOrigins[0] });
      socket.on('message', () => {
        received.set(fanId, performance.now());
        onReceived();
      });
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      sockets.push(socket);
    };
    // A few connections first, so the handlers' modules and the database pool are loaded before the baseline.
    for (const fan of fans.slice(0, CONNECTING)) await open(fan.id);
    const before = await treeMemory(offline.pid as number);
    for (let next = CONNECTING; next < fans.length; next += CONNECTING) {
      await Promise.all(fans.slice(next, next + CONNECTING).map((fan) => open(fan.id)));
    }
    const after = await treeMemory(offline.pid as number);

    const latencies: number[] = [];
    for (let round = 0; round < options.rounds; round++) {
      received.clear();
      const [video] = await sql<{ id: string }[]>`
        insert into videos (owner_id, title, status, visibility, storage_key, file_name, declared_content_type,
                            declared_size_bytes, published_at)
        values (${channel?.id ?? ''}, 'Bench real-time', 'ready', 'public', ${`bench/${randomBytes(8).toString('hex')}`},
                'clip.mp4', 'video/mp4', 1, now())
        returning id
      `;
      const everyone = new Promise<void>((resolve) => {
        onReceived = () => received.size === fans.length && resolve();
      });
      const published = performance.now();
      await fanOutPublished(video?.id ?? '');
      await Promise.race([everyone, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      for (const at of received.values()) latencies.push(at - published);
      // A subscriber that never got its message counts as the 10 s the round waited.
      for (let missing = received.size; missing < fans.length; missing++) latencies.push(10_000);
    }
    const growth = after.rssBytes - before.rssBytes;
    return {
      subscribers: fans.length,
      ...percentiles(latencies),
      memoryPerConnectionKiB: Math.round((growth / (fans.length - CONNECTING) / 1024) * 10) / 10,
    };
  } finally {
    for (const socket of sockets) socket.terminate();
    await stopServerlessOffline(offline);
    await sql`delete from users where username like ${`rt\\_${run}%`}`;
  }
}
