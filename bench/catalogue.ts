// Latency of the catalogue's read paths at the seeded scale, through the lib functions the handlers call (one
// connection, prepared statements, as in a Lambda). Seed first (`npm run seed -- --videos 1000000 …`), then:
// `node bench/catalogue.ts [iterations=200] [label filter]` with the same DATABASE_URL (or none: the local stack's database).
// Also times one fan-out to the big channel's subscribers. Not part of `npm test`.
import { randomBytes } from 'node:crypto';
import { BIG_CHANNEL, FEED_VIEWER, openSeedDatabase } from '../scripts/seed-dataset.ts';

const ITERATIONS = Number(process.argv[2] ?? 200);
/** Only the measurements whose label contains this text (e.g. `search`). */
const ONLY = process.argv[3] ?? '';
const WARMUP = 10;

const database = await openSeedDatabase();
Object.assign(process.env, {
  DATABASE_URL: database.url,
  JWT_SECRET: process.env.JWT_SECRET ?? randomBytes(32).toString('base64url'),
  LOG_LEVEL: 'SILENT',
});
const { sql } = await import('#lib/db.ts');
const { listVideos } = await import('#lib/videos/list-videos.ts');
const { feedOf } = await import('#lib/feed/feed.ts');
const { encodeCursor } = await import('#lib/pagination.ts');
const { inboxOf } = await import('#lib/notifications/inbox.ts');
const { fanOutPublished } = await import('#lib/notifications/fan-out.ts');

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((sorted.length * p) / 100) - 1)] ?? Number.NaN;
const pick = <T>(items: readonly T[], index: number) => items[index % items.length] as T;

async function measure(label: string, run: (index: number) => Promise<unknown>) {
  if (!label.includes(ONLY)) return;
  for (let index = 0; index < WARMUP; index++) await run(index);
  const samples: number[] = [];
  for (let index = 0; index < ITERATIONS; index++) {
    const started = performance.now();
    await run(index + WARMUP);
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const row = { p50: percentile(samples, 50), p99: percentile(samples, 99), max: samples.at(-1) ?? 0 };
  console.log(
    `${label.padEnd(44)} p50 ${row.p50.toFixed(1).padStart(7)} ms   p99 ${row.p99.toFixed(1).padStart(7)} ms   max ${row.max.toFixed(1).padStart(7)} ms`,
  );
}

try {
  const [counts] = await sql<{ videos: number; subscriptions: number; notifications: number }[]>`
    select (select count(*)::int from videos) as videos, (select count(*)::int from subscriptions) as subscriptions,
           (select count(*)::int from notifications) as notifications
  `;
  console.log(`dataset: ${JSON.stringify(counts)}; ${ITERATIONS} runs each after ${WARMUP} warm-up runs`);
  const [viewer] = await sql<{ id: string }[]>`select id from users where username = ${FEED_VIEWER}`;
  const [bigChannel] = await sql<{ id: string }[]>`select id from users where username = ${BIG_CHANNEL}`;
  if (!viewer || !bigChannel) throw new Error('No seeded dataset here: run `npm run seed` first');
  // Cursors into the middle of the catalogue and of the feed viewer's channels: deep pages cost what page 1 costs.
  const deep = await sql<{ key: [string, string]; ownerId: string }[]>`
    select json_build_array(to_char(published_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), id) as key,
           owner_id
    from videos tablesample system (1)
    where status = 'ready' and visibility = 'public'
    limit 500
  `;
  const cursors = deep.map((row) => encodeCursor(row.key));
  const channels = await sql<{ channelId: string }[]>`
    select channel_id from subscriptions where subscriber_id = ${viewer.id}
  `;

  // Made-up names end every seeded description: the rare words of the dataset.
  const names = await sql<{ name: string }[]>`
    select (regexp_match(description, '(\\S+)$'))[1] as name from videos tablesample system (0.1) limit 50
  `;

  await measure('list: first page', () => listVideos({ limit: 20 }));
  await measure('list: a deep page (cursor)', (index) =>
    listVideos({ limit: 20, cursor: pick(cursors, index) }),
  );
  await measure('list: one channel', (index) =>
    listVideos({ limit: 20, owner: pick(channels, index).channelId }),
  );
  const searches = {
    'search: one common word': ['video', 'music', 'review', 'tutorial', 'travel'],
    'search: two words': ['guitar lesson', 'street food', 'mountain hiking', 'pasta recipe', 'space rocket'],
    'search: typing (prefix of last word)': ['guit', 'street fo', 'timel', 'how to cook', 'mechanical keyb'],
    'search: a rare name': names.map((row) => row.name),
    'search: word + name': names.map((row) => `video ${row.name}`),
  };
  for (const [label, queries] of Object.entries(searches)) {
    await measure(label, (index) => listVideos({ limit: 20, q: pick(queries, index) }));
  }
  const secondPages: { q: string; cursor: string }[] = [];
  for (const q of searches['search: two words']) {
    const { nextCursor } = await listVideos({ limit: 20, q });
    if (nextCursor) secondPages.push({ q, cursor: nextCursor });
  }
  await measure('search: second page (two words)', (index) =>
    listVideos({ limit: 20, ...pick(secondPages, index) }),
  );
  await measure(`feed: first page (${channels.length} channels)`, () => feedOf(viewer.id, { limit: 20 }));
  await measure('feed: a deep page (cursor)', (index) =>
    feedOf(viewer.id, { limit: 20, cursor: pick(cursors, index) }),
  );
  await measure('inbox: first page + unread count', () => inboxOf(viewer.id, { limit: 20 }));
  await measure('inbox: unread only', () => inboxOf(viewer.id, { limit: 20, unread: true }));

  const [subscribers] = await sql<{ count: number }[]>`
    select subscriber_count as count from users where id = ${bigChannel.id}
  `;
  const [video] = await sql<{ id: string }[]>`
    insert into videos (owner_id, title, status, visibility, storage_key, file_name, declared_content_type,
                        declared_size_bytes, published_at)
    values (${bigChannel.id}, 'Bench fan-out', 'ready', 'public', ${`bench/${randomBytes(8).toString('hex')}`},
            'clip.mp4', 'video/mp4', 1, now())
    returning id
  `;
  const started = performance.now();
  const inserted = await fanOutPublished(video?.id ?? '');
  const fanOutMs = performance.now() - started;
  const again = performance.now();
  await fanOutPublished(video?.id ?? '');
  console.log(
    `fan-out to ${subscribers?.count} subscribers: ${inserted} notifications in ${(fanOutMs / 1000).toFixed(1)} s; ` +
      `repeated call ${(performance.now() - again).toFixed(1)} ms`,
  );
  await sql`delete from videos where id = ${video?.id ?? ''}`;
} finally {
  await sql.end();
  await database.close();
}
