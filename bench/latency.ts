import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { BIG_CHANNEL, COMMENTED_VIDEO, FEED_VIEWER, FULL_PLAYLIST } from '../scripts/seed-dataset.ts';
import { type ApiCall, apiGatewayEvent, lambdaContext } from '../test/support/lambda.ts';
import { type Percentiles, percentiles } from './measure.ts';

export const ENDPOINTS = [
  'floor',
  'videoGet',
  'videoList',
  'videoSearch',
  'feed',
  'notificationsList',
  'playlistItems',
  'commentsList',
  'createUpload',
  'login',
] as const;
export type Endpoint = (typeof ENDPOINTS)[number];

/**
 * What people type into a search box, in the four kinds bench/catalogue.ts times: one common word, two words, a word
 * still being typed, rare words (names, loanwords).
 */
const SEARCHES = [
  ...['video', 'music', 'review', 'tutorial', 'travel'],
  ...['guitar lesson', 'street food', 'mountain hiking', 'pasta recipe', 'space rocket'],
  ...['guit', 'street fo', 'timel', 'how to cook', 'mechanical keyb'],
  ...['doppelgänger', 'smorgasbord', 'pinata acai', 'facade deja', 'jalapeno fiance'],
];

const LOGIN_PASSWORD = 'bench password 1';
/**
 * Login is bcrypt (~150 ms) with a narrow spread: 300 samples tell its p99; the other endpoints take more rounds,
 * because a p99 of 300 samples is the third-slowest call and one garbage collection moves it.
 */
const LOGIN_SAMPLES = 300;

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;
interface Scenario {
  handler: Handler;
  call: (round: number) => ApiCall;
  status: number;
}

const pick = <T>(items: readonly T[], index: number) => items[index % items.length] as T;

/** The handlers, the trivial floor on the same stack, and what each call sends. */
async function scenarios(): Promise<Record<Endpoint, Scenario>> {
  const { sql } = await import('#lib/db.ts');
  const { config } = await import('#lib/environment.ts');
  const { issueAccessToken } = await import('#lib/auth/access-token.ts');
  const { hashPassword } = await import('#lib/auth/password.ts');
  const { encodeCursor } = await import('#lib/pagination.ts');
  const { json } = await import('#lib/http/response.ts');
  const { route } = await import('#lib/http/route.ts');
  const handlers = {
    videoGet: (await import('#functions/videos/get.ts')).handler,
    videoList: (await import('#functions/videos/list.ts')).handler,
    feed: (await import('#functions/feed/get.ts')).handler,
    notificationsList: (await import('#functions/notifications/list.ts')).handler,
    playlistItems: (await import('#functions/playlists/list-items.ts')).handler,
    commentsList: (await import('#functions/comments/list.ts')).handler,
    createUpload: (await import('#functions/videos/create.ts')).handler,
    login: (await import('#functions/auth/login.ts')).handler,
  } as unknown as Record<string, Handler>;
  const floor = route(
    {
      auth: 'optional',
      responses: { 200: null },
      summary: 'The floor: the shared stack around one round trip',
    },
    async () => {
      await sql`select 1`;
      return json(200, {});
    },
  ) as unknown as Handler;

  const [viewer] = await sql<{ id: string }[]>`select id from users where username = ${FEED_VIEWER}`;
  if (!viewer) throw new Error('The dataset has no feed viewer: seed it first');
  const token = (await issueAccessToken({ userId: viewer.id, role: 'viewer' })).accessToken;
  const passwordHash = await hashPassword(LOGIN_PASSWORD, config.bcryptCost);
  const [creator] = await sql<{ id: string }[]>`
    insert into users (email, username, display_name, role, password_hash)
    values ('bench@bench.clipiq.test', 'bench_creator', 'Bench', 'creator', ${passwordHash})
    on conflict (username) do update set password_hash = excluded.password_hash
    returning id
  `;
  const creatorToken = (await issueAccessToken({ userId: creator?.id ?? '', role: 'creator' })).accessToken;
  // About 500 videos from all over the catalogue: a 1 % page sample of a million, all of a small dataset.
  const [{ videos = 0 } = {}] = await sql<{ videos: number }[]>`select count(*)::int as videos from videos`;
  const sampledPercent = Math.min(100, (100 * 2000) / Math.max(1, videos));
  const published = await sql<{ id: string; ownerId: string; publishedAt: string }[]>`
    select id, owner_id,
           to_char(published_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as published_at
    from videos tablesample system (${sampledPercent})
    where status = 'ready' and visibility = 'public'
    limit 500
  `;
  const cursors = published.map((video) => encodeCursor([video.publishedAt, video.id]));
  const channels = await sql<{ channelId: string }[]>`
    select channel_id from subscriptions where subscriber_id = ${viewer.id}
  `;
  const [bigChannel] = await sql<{ id: string }[]>`select id from users where username = ${BIG_CHANNEL}`;
  const [playlist] = await sql<{ id: string; videoCount: number }[]>`
    select id, video_count from playlists where owner_id = ${viewer.id} and title = ${FULL_PLAYLIST}
  `;
  if (!playlist) throw new Error('The dataset has no full playlist: seed it first');
  // A middle page and the last page of the playlist, as a viewer skipping ahead or reaching its end reads them.
  const playlistCursors = [Math.floor(playlist.videoCount / 2), Math.max(1, playlist.videoCount - 20)].map(
    (position) => encodeCursor([position]),
  );
  const [thread] = await sql<
    { id: string }[]
  >`select id from videos where title = ${COMMENTED_VIDEO} limit 1`;
  if (!thread) throw new Error('The dataset has no comment thread: seed it first');

  const lists: ((round: number) => Record<string, string>)[] = [
    () => ({}),
    (round) => ({ cursor: pick(cursors, round) }),
    (round) => ({ owner: pick(channels, round).channelId }),
    () => ({ owner: bigChannel?.id ?? '' }),
  ];
  return {
    floor: { handler: floor, status: 200, call: () => ({ path: '/api/v1/floor', token }) },
    videoGet: {
      handler: handlers.videoGet as Handler,
      status: 200,
      call: (round) => {
        const id = pick(published, round).id;
        return { path: `/api/v1/videos/${id}`, pathParameters: { id }, token };
      },
    },
    videoList: {
      handler: handlers.videoList as Handler,
      status: 200,
      call: (round) => ({ path: '/api/v1/videos', query: pick(lists, round)(round), token }),
    },
    videoSearch: {
      handler: handlers.videoList as Handler,
      status: 200,
      call: (round) => ({ path: '/api/v1/videos', query: { q: pick(SEARCHES, round) }, token }),
    },
    feed: {
      handler: handlers.feed as Handler,
      status: 200,
      call: (round) => ({
        path: '/api/v1/feed',
        query: round % 2 ? { cursor: pick(cursors, round) } : undefined,
        token,
      }),
    },
    notificationsList: {
      handler: handlers.notificationsList as Handler,
      status: 200,
      call: (round) => ({
        path: '/api/v1/notifications',
        query: round % 2 ? { unread: 'true' } : undefined,
        token,
      }),
    },
    playlistItems: {
      handler: handlers.playlistItems as Handler,
      status: 200,
      call: (round) => ({
        path: `/api/v1/playlists/${playlist.id}/items`,
        pathParameters: { id: playlist.id },
        query: { cursor: pick(playlistCursors, round) },
        token,
      }),
    },
    commentsList: {
      handler: handlers.commentsList as Handler,
      status: 200,
      // The first page, newest first and oldest first in turn.
      call: (round) => ({
        path: `/api/v1/videos/${thread.id}/comments`,
        pathParameters: { id: thread.id },
        query: round % 2 ? { sort: 'oldest' } : undefined,
        token,
      }),
    },
    createUpload: {
      handler: handlers.createUpload as Handler,
      status: 201,
      call: (round) => ({
        method: 'POST',
        path: '/api/v1/videos',
        token: creatorToken,
        body: {
          title: `Bench upload ${round}`,
          fileName: 'clip.mp4',
          contentType: 'video/mp4',
          sizeBytes: 17_834,
        },
      }),
    },
    login: {
      handler: handlers.login as Handler,
      status: 200,
      call: () => ({
        method: 'POST',
        path: '/api/v1/auth/login',
        body: { email: 'bench@bench.clipiq.test', password: LOGIN_PASSWORD },
      }),
    },
  };
}

/**
 * p50/p99 of every endpoint from `samples` in-process calls each (after `warmup`), with real API Gateway v2 events.
 * Calls go round-robin (one of each endpoint per round) so that every endpoint and the floor share the same
 * moments of a noisy machine. Any unexpected status stops the run: a latency of an error is not a latency.
 *
 * @example
 * const latency = await measureLatency({ samples: 300, warmup: 20 });
 */
export async function measureLatency(options: { samples: number; warmup: number }) {
  const all = await scenarios();
  const samples = Object.fromEntries(ENDPOINTS.map((endpoint) => [endpoint, [] as number[]]));
  for (let round = 0; round < options.warmup + options.samples; round++) {
    for (const endpoint of ENDPOINTS) {
      if (endpoint === 'login' && round >= options.warmup + LOGIN_SAMPLES) continue;
      const { handler, call, status } = all[endpoint];
      const event = apiGatewayEvent(call(round));
      const context = lambdaContext(`clipiq-bench-${endpoint}`);
      const started = performance.now();
      const response = (await handler(event, context)) as { statusCode: number; body?: string };
      const elapsed = performance.now() - started;
      if (response.statusCode !== status) {
        throw new Error(`${endpoint} answered ${response.statusCode}: ${response.body?.slice(0, 300)}`);
      }
      if (round >= options.warmup) samples[endpoint]?.push(elapsed);
    }
  }
  await cleanUp();
  return Object.fromEntries(
    ENDPOINTS.map((endpoint) => [endpoint, percentiles(samples[endpoint] ?? [])]),
  ) as Record<Endpoint, Percentiles>;
}

/** The uploads the run created, and its sign-in sessions. */
async function cleanUp() {
  const { sql } = await import('#lib/db.ts');
  await sql`
    delete from videos where owner_id = (select id from users where username = 'bench_creator')
  `;
  await sql`
    delete from refresh_tokens where user_id = (select id from users where username = 'bench_creator')
  `;
}
