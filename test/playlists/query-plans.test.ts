import type postgres from 'postgres';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from '#lib/db.ts';
import { playlistItemsPageQuery } from '#lib/playlists/playlist-items.ts';
import { MAX_PLAYLIST_ITEMS } from '#lib/playlists/schemas.ts';
import { playlistsPageQuery } from '#lib/playlists/user-playlists.ts';

// Like test/videos/query-plans.test.ts: realistic proportions (many playlists of a hundred videos, one full one)
// under fresh statistics, no `enable_seqscan = off`, so a sequential scan would win if an index were missing.
const USERS = 200;
const VIDEOS = 10_000;

let full = '';
let owner = '';

beforeAll(async () => {
  await sql`
    insert into users (email, username, display_name, password_hash, role)
    select 'list' || n || '@example.test', 'list_' || n, 'List ' || n, 'x', 'creator'
    from generate_series(1, ${USERS}) n
  `;
  await sql`
    insert into videos (owner_id, title, visibility, status, storage_key, file_name, declared_content_type,
                        declared_size_bytes, published_at)
    select owners.ids[1 + n % ${USERS}], 'Video ' || n,
           (case when n % 20 = 0 then 'private' else 'public' end)::video_visibility,
           'ready', 'lists/' || n, 'v.mp4', 'video/mp4', 1000, now() - n * interval '1 minute'
    from generate_series(1, ${VIDEOS}) n, (select array_agg(id) as ids from users) owners
  `;
  await sql`
    insert into playlists (owner_id, title, created_at)
    select owners.ids[1 + n % ${USERS}], 'Playlist ' || n, now() - n * interval '1 minute'
    from generate_series(1, 500) n, (select array_agg(id) as ids from users) owners
  `;
  await sql`
    insert into playlist_items (playlist_id, video_id, position)
    select p.id, videos.ids[1 + (p.n * 100 + k) % ${VIDEOS}], k
    from (select id, row_number() over (order by id)::int as n from playlists) p, generate_series(1, 100) k,
         (select array_agg(id) as ids from videos) videos
  `;
  [{ id: full = '', ownerId: owner = '' } = { id: '', ownerId: '' }] = await sql<
    { id: string; ownerId: string }[]
  >`
    select id, owner_id from playlists order by id limit 1
  `;
  await sql`delete from playlist_items where playlist_id = ${full}`;
  await sql`
    insert into playlist_items (playlist_id, video_id, position)
    select ${full}, id, row_number() over (order by id)::int from videos order by id limit ${MAX_PLAYLIST_ITEMS}
  `;
  await sql`vacuum analyze`;
}, 120_000);

// Users are few here (a seq scan of 200 rows is the planner's right choice); these grow with the catalogue.
const BIG_TABLES = ['videos', 'playlists', 'playlist_items'];

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

async function planOf(query: postgres.Fragment, kind: 'custom' | 'generic') {
  const [row] =
    kind === 'custom'
      ? await sql`explain (format json) ${query}`
      : await sql.unsafe(`explain (generic_plan, format json) ${(await query.describe()).string}`);
  const [explained] = Object.values(row ?? {}) as [[{ Plan: PlanNode }]];
  const nodes: PlanNode[] = [];
  const walk = (node: PlanNode) => {
    nodes.push(node);
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(explained[0].Plan);
  return {
    seqScans: nodes
      .filter((node) => node['Node Type'] === 'Seq Scan' && BIG_TABLES.includes(node['Relation Name'] ?? ''))
      .map((node) => node['Relation Name']),
    indexes: nodes.flatMap((node) => (node['Index Name'] ? [node['Index Name']] : [])),
  };
}

const caller = { userId: '00000000-0000-4000-8000-000000000000', role: 'viewer' as const };
const PAGE_QUERIES: [string, () => postgres.Fragment, string][] = [
  [
    'the first page of a full playlist',
    () => playlistItemsPageQuery({ caller, playlistId: full, limit: 20 }),
    'playlist_items_position_key',
  ],
  [
    'a middle page of a full playlist',
    () => playlistItemsPageQuery({ caller, playlistId: full, limit: 20, after: [2500] }),
    'playlist_items_position_key',
  ],
  [
    'the last page of a full playlist, anonymous',
    () => playlistItemsPageQuery({ caller: undefined, playlistId: full, limit: 20, after: [4980] }),
    'playlist_items_position_key',
  ],
  [
    "a user's playlists",
    () => playlistsPageQuery({ ownerId: owner, everyVisibility: false, limit: 20 }),
    'playlists_owner_idx',
  ],
];

describe('playlist page queries walk their index', () => {
  it.each(
    PAGE_QUERIES.flatMap(([name, query, index]) =>
      (['custom', 'generic'] as const).map((kind) => [name, kind, index, query] as const),
    ),
  )('%s (%s plan) uses %s and scans no big table', async (_name, kind, index, query) => {
    // Act
    const plan = await planOf(query(), kind);

    // Assess
    expect(plan.indexes).toContain(index);
    expect(plan.seqScans).toEqual([]);
  });
});
