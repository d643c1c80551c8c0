import type postgres from 'postgres';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from '#lib/db.ts';
import { feedPageQuery } from '#lib/feed/feed.ts';
import { inboxPageQuery, unreadCountQuery } from '#lib/notifications/inbox.ts';
import { subscriptionsPageQuery } from '#lib/subscriptions/subscriptions.ts';
import { ownerPageQuery } from '#lib/videos/list-my-videos.ts';
import { latestPageQuery } from '#lib/videos/list-videos.ts';
import { searchPageQuery } from '#lib/videos/search.ts';

// The plans are checked on the planner's own terms: no `enable_seqscan = off`. Instead the tables get enough rows
// in realistic proportions (most videos public, a vocabulary where a query word is rare, a feed over a few hundred
// channels among thousands of subscriptions, one inbox among many) and the state autovacuum keeps a live table in
// (VACUUM ANALYZE: fresh statistics, and the GIN pending list merged), so a sequential scan would be the cheaper
// plan if an index were missing or unusable.
const CHANNELS = 400;
const VIDEOS = 20_000;
const FEED_CHANNELS = 200;
const WORDS = [
  'river',
  'guitar',
  'lesson',
  'sunset',
  'kitchen',
  'mountain',
  'review',
  'travel',
  'coding',
  'piano',
];

let viewer = '';
let channel = '';

beforeAll(async () => {
  await sql`
    insert into users (email, username, display_name, password_hash, role)
    select 'plan' || n || '@example.test', 'plan_' || n, 'Plan ' || n, 'x', 'creator'
    from generate_series(1, ${CHANNELS}) n
  `;
  const users = await sql<
    { id: string }[]
  >`select id from users where username like 'plan\\_%' order by username`;
  viewer = users[0]?.id ?? '';
  channel = users[1]?.id ?? '';
  await sql`
    insert into videos (owner_id, title, description, visibility, status, storage_key, file_name,
                        declared_content_type, declared_size_bytes, published_at)
    select owners.ids[1 + n % ${CHANNELS}],
           initcap((${WORDS}::text[])[1 + n % 10]) || ' ' || (${WORDS}::text[])[1 + (n / 10) % 10]
             || ' topic' || (n * 7919) % 1000,
           'About ' || (${WORDS}::text[])[1 + (n / 100) % 10] || ' number ' || n,
           (case when n % 20 = 0 then 'private' when n % 20 = 1 then 'unlisted' else 'public' end)::video_visibility,
           'ready', 'plans/' || n, 'plan.mp4', 'video/mp4', 1000, now() - n * interval '1 minute'
    from generate_series(1, ${VIDEOS}) n, (select array_agg(id) as ids from users) owners
  `;
  await sql`
    insert into subscriptions (subscriber_id, channel_id)
    select ${viewer}, id from users where id <> ${viewer} order by username limit ${FEED_CHANNELS}
  `;
  await sql`
    insert into subscriptions (subscriber_id, channel_id)
    select fan.id, channel.id
    from (select id, row_number() over () as n from users where id <> ${viewer}) fan,
         (select array_agg(id) as ids from users) owners, generate_series(1, 40) k,
         lateral (select (owners.ids)[1 + (fan.n * 7 + k * 13) % ${CHANNELS}] as id) channel
    where channel.id <> fan.id
    on conflict do nothing
  `;
  await sql`
    insert into notifications (recipient_id, type, video_id, actor_id, created_at, read_at)
    select u.id, 'video.published', v.id, v.owner_id, v.published_at, case when v.title like '%1' then now() end
    from (select id, owner_id, published_at, title from videos order by published_at desc limit 100) v
    cross join (select id from users order by username limit 100) u
  `;
  await sql`vacuum analyze`;
}, 60_000);

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/**
 * The plan of a query made with its values (`custom`), or the one a prepared statement caches and reuses from its
 * sixth run when it costs no more (`generic`, made without them).
 */
async function planOf(query: postgres.Fragment, kind: 'custom' | 'generic') {
  const [row] =
    kind === 'custom'
      ? await sql`explain (format json) ${query}`
      : await sql.unsafe(`explain (generic_plan, format json) ${(await query.describe()).string}`);
  const [explained] = Object.values(row ?? {}) as [[{ Plan: PlanNode }]];
  if (process.env.SHOW_PLANS) console.log(JSON.stringify(explained, null, 1));
  const nodes: PlanNode[] = [];
  const walk = (node: PlanNode) => {
    nodes.push(node);
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(explained[0].Plan);
  return {
    seqScans: nodes.filter((node) => node['Node Type'] === 'Seq Scan').map((node) => node['Relation Name']),
    indexes: nodes.flatMap((node) => (node['Index Name'] ? [node['Index Name']] : [])),
  };
}

const BIG_TABLES = ['videos', 'notifications', 'subscriptions'];
const cursor = ['2030-01-01T00:00:00.000000Z', 'ffffffff-ffff-4fff-bfff-ffffffffffff'] as [string, string];
/** The oldest candidate of a search's first page: two days down a catalogue of two weeks. */
const searchFloor = [new Date(Date.now() - 2 * 86_400_000).toISOString().replace('Z', '000Z'), cursor[1]] as [
  string,
  string,
];

// The feed's queries are planned anew each run (their limits are parameters); every other list query writes its
// page size into the SQL (pageLimit) and runs on a cached generic plan, so both plans are checked for those.
const PAGE_QUERIES: [string, () => postgres.Fragment, string][] = [
  ['the catalogue', () => latestPageQuery({ limit: 20 }), 'videos_published_idx'],
  ['a later catalogue page', () => latestPageQuery({ limit: 20, after: cursor }), 'videos_published_idx'],
  ['a channel', () => latestPageQuery({ owner: channel, limit: 20 }), 'videos_channel_published_idx'],
  ['my videos', () => ownerPageQuery({ ownerId: channel, limit: 20 }), 'videos_owner_id_idx'],
  [
    'a later page of my videos',
    () => ownerPageQuery({ ownerId: channel, limit: 20, after: cursor }),
    'videos_owner_id_idx',
  ],
  ['a selective search', () => searchPageQuery({ q: 'guitar topic12', limit: 20 }), 'videos_search_week_idx'],
  // A word in every tenth title: its newest week holds its window.
  ['a broad search', () => searchPageQuery({ q: 'guitar', limit: 20 }), 'videos_search_week_idx'],
  [
    'a later search page',
    () => searchPageQuery({ q: 'guitar', limit: 20, after: [0.5, ...cursor, ...searchFloor] }),
    'videos_search_week_idx',
  ],
  [
    'a search in a channel',
    () => searchPageQuery({ q: 'guitar', owner: channel, limit: 20 }),
    'videos_channel_published_idx',
  ],
  ['the feed', () => feedPageQuery({ userId: viewer, limit: 20 }), 'videos_channel_published_idx'],
  [
    'a later feed page',
    () => feedPageQuery({ userId: viewer, limit: 20, after: cursor }),
    'videos_channel_published_idx',
  ],
  [
    'the inbox',
    () => inboxPageQuery({ userId: viewer, unread: false, limit: 20 }),
    'notifications_inbox_idx',
  ],
  [
    'the unread inbox',
    () => inboxPageQuery({ userId: viewer, unread: true, limit: 20 }),
    'notifications_unread_idx',
  ],
  ['the unread count', () => unreadCountQuery(viewer), 'notifications_unread_visible_idx'],
  [
    'my subscriptions',
    () => subscriptionsPageQuery({ userId: viewer, limit: 20 }),
    'subscriptions_subscriber_idx',
  ],
];

/**
 * Indexes as good as the expected one in a generic plan. Planned for an average subscriber (40 rows here), my
 * subscriptions are read through either index that starts with `subscriber_id` and then sorted; the two cost the
 * same to a hair, so the planner's pick between them changes with the random ids of a run.
 */
const GENERIC_EQUIVALENTS: Record<string, string[]> = {
  subscriptions_subscriber_idx: ['subscriptions_pkey'],
};

describe('query plans at a realistic table size', () => {
  it.each(PAGE_QUERIES)(
    'reads %s through its index, without scanning a big table',
    async (_, query, index) => {
      // Act
      const plan = await planOf(query(), 'custom');

      // Assess
      expect(plan.indexes).toContain(index);
      expect(plan.seqScans.filter((table) => BIG_TABLES.includes(table ?? ''))).toEqual([]);
    },
  );

  it.each(PAGE_QUERIES.filter(([name]) => !name.includes('feed')))(
    'keeps reading %s through its index in the generic plan a prepared statement caches',
    async (_, query, index) => {
      // Act
      const plan = await planOf(query(), 'generic');

      // Assess
      expect(plan.indexes).toContainEqual(expect.toBeOneOf([index, ...(GENERIC_EQUIVALENTS[index] ?? [])]));
      expect(plan.seqScans.filter((table) => BIG_TABLES.includes(table ?? ''))).toEqual([]);
    },
  );
});
