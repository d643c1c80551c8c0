import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import postgres from 'postgres';
import { startEmbeddedPostgres } from '#tools/local-stack/postgres.ts';
import { migrate } from '#tools/migrate.ts';
import { SEED_SYLLABLES, SEED_WORDS } from './seed-words.ts';

export interface SeedOptions {
  videos: number;
  users: number;
  /** Subscribers of the big channel (`seed_2`), whose uploads fan out to all of them. */
  subscriptionsOnChannel: number;
  /** Channels the feed viewer (`seed_1`) subscribes to: the most prolific ones. */
  feedChannels: number;
  /** Notifications in the feed viewer's inbox. */
  inbox: number;
  /** Comments in all, `commentsOnVideo` of them top-level on one video (titled {@link COMMENTED_VIDEO}). */
  comments: number;
  commentsOnVideo: number;
}

/** Who the benchmark acts as: a viewer with a big feed and inbox, and a channel with many subscribers. */
export const FEED_VIEWER = 'seed_1';
export const BIG_CHANNEL = 'seed_2';
/** The feed viewer's public playlist, as full as a playlist may be (5000 videos, fewer in a smaller catalogue). */
export const FULL_PLAYLIST = 'Seeded full playlist';
const PLAYLIST_ITEMS = 5000;
export const SEED_PASSWORD = 'seed-password';
/** The title of the big channel's video that holds `commentsOnVideo` comments. */
export const COMMENTED_VIDEO = 'Seeded comment thread';

const BATCH = 50_000;
const SEED_KEY_PREFIX = 'seed/';

/** `--videos 1000000 --users 100000 …` with defaults for a laptop-sized dataset. */
export function parseSeedArgs(argv: readonly string[]): SeedOptions {
  const options: SeedOptions = {
    videos: 100_000,
    users: 10_000,
    subscriptionsOnChannel: 5_000,
    feedChannels: 500,
    inbox: 5_000,
    comments: 100_000,
    commentsOnVideo: 20_000,
  };
  for (let index = 0; index < argv.length; index += 2) {
    const name = argv[index]
      ?.replace(/^--/, '')
      .replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
    const value = Number(argv[index + 1]);
    if (!name || !(name in options) || !Number.isSafeInteger(value) || value < 0) {
      throw new Error(`Unknown option or bad value: ${argv[index]} ${argv[index + 1] ?? ''}`);
    }
    options[name as keyof SeedOptions] = value;
  }
  if (options.users < Math.max(3, options.feedChannels + 2)) {
    throw new Error('--users must exceed --feed-channels + 1');
  }
  if (options.commentsOnVideo > options.comments)
    throw new Error('--comments-on-video must not exceed --comments');
  return options;
}

/**
 * The database to seed: `DATABASE_URL`, or else the local stack's embedded PostgreSQL (`.clipiq/postgres`, the
 * one `npm start` uses), started for the duration of the script. Migrations are applied either way.
 */
export async function openSeedDatabase() {
  let url = process.env.DATABASE_URL;
  let stop = async () => {};
  if (!url) {
    const server = await startEmbeddedPostgres({
      dataDir: join(process.cwd(), '.clipiq', 'postgres'),
      port: Number(process.env.PG_PORT ?? 5433),
    });
    await server.createDatabase('clipiq');
    url = server.url('clipiq');
    stop = () => server.stop();
  }
  // Bulk statements outlive the 15 s statement timeout the database sets for the API.
  const sql = postgres(url, { max: 1, onnotice: () => {}, connection: { statement_timeout: 0 } });
  await migrate(sql);
  // Deterministic ids (an interrupted seed resumes with the same ones), shaped as version-4 UUIDs like real ones.
  await sql`
    create function pg_temp.seed_id(name text) returns uuid language sql immutable
    return overlay(overlay(md5(name) placing '4' from 13) placing '8' from 17)::uuid
  `;
  const close = async () => {
    await sql.end();
    await stop();
  };
  return { url, sql, close };
}

type Say = (message: string) => void;

async function timed(say: Say, label: string, step: () => Promise<unknown>) {
  const started = performance.now();
  await step();
  say(`${label} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** Users `seed_1 … seed_N`; the first tenth (at least the feed's channels) are creators. */
async function seedUsers(sql: postgres.Sql, options: SeedOptions, say: Say) {
  const [{ count } = { count: 0 }] = await sql<{ count: number }[]>`
    select count(*)::int as count from users where username like 'seed\\_%'
  `;
  if (count >= options.users) return say(`users: ${count} already there`);
  const creators = Math.max(options.feedChannels + 1, Math.ceil(options.users / 10));
  const passwordHash = await bcrypt.hash(SEED_PASSWORD, 10);
  await timed(
    say,
    `users: ${options.users - count} added`,
    () => sql`
    insert into users (id, email, username, display_name, bio, role, password_hash, created_at)
    select pg_temp.seed_id('seed-user-' || n), 'seed_' || n || '@seed.clipiq.test', 'seed_' || n,
           initcap((${SEED_WORDS}::text[])[1 + n % 200]) || ' ' || n, 'Seeded for benchmarks',
           (case when n = 1 then 'viewer' when n <= ${creators + 1}::int then 'creator' else 'viewer' end)::user_role,
           ${passwordHash}, now() - interval '3 years'
    from generate_series(${count + 1}::int, ${options.users}::int) n
    on conflict do nothing
  `,
  );
}

/**
 * Videos with titles of 3–8 and descriptions of 10–40 words drawn from the vocabulary (early words more often)
 * plus made-up names (the rare words), owned mostly by the first creators (a few channels publish most videos),
 * published over three years; a few unlisted, private or still processing. Batched so each statement stays short.
 */
async function seedVideos(sql: postgres.Sql, options: SeedOptions, say: Say) {
  const [{ count } = { count: 0 }] = await sql<{ count: number }[]>`
    select count(*)::int as count from videos where storage_key like ${`${SEED_KEY_PREFIX}%`}
  `;
  if (count >= options.videos) return say(`videos: ${count} already there`);
  const creators = Math.max(options.feedChannels + 1, Math.ceil(options.users / 10));
  const words = [...new Set(SEED_WORDS)];
  const word = sql`(${words}::text[])[1 + floor(random() ^ 2 * ${words.length}::int)::int]`;
  const syllable = sql`(${SEED_SYLLABLES}::text[])[1 + floor(random() * ${SEED_SYLLABLES.length}::int)::int]`;
  const name = sql`initcap(${syllable} || ${syllable} || case when random() < 0.5 then ${syllable} else '' end)`;
  await timed(say, `videos: ${options.videos - count} added`, async () => {
    for (let from = count + 1; from <= options.videos; from += BATCH) {
      const to = Math.min(options.videos, from + BATCH - 1);
      // Published in upload order over three years, as a live table fills: the physical order follows time.
      await sql`
        with drawn as (
          select n, random() as r,
                 now() - (1 - n::float8 / ${options.videos}::int) * interval '1095 days' - random() * interval '1 hour' as at,
                 pg_temp.seed_id('seed-user-' || (2 + floor(${creators}::int * random() ^ 2)::int)) as owner_id
          from generate_series(${from}::int, ${to}::int) n
        )
        insert into videos (id, owner_id, title, description, visibility, status, storage_key, file_name,
                            declared_content_type, declared_size_bytes, size_bytes, content_type,
                            duration_seconds, width, height, view_count, created_at, published_at)
        select pg_temp.seed_id('seed-video-' || n), owner_id,
               initcap((select string_agg(${word}, ' ') from generate_series(1, 3 + n % 6) where n > 0))
                 || case when r < 0.6 then ' ' || ${name} else '' end,
               (select string_agg(${word}, ' ') from generate_series(1, 10 + n % 31) where n > 0)
                 || ' ' || ${name} || ' ' || ${name},
               (case when r < 0.03 then 'unlisted' when r < 0.05 then 'private' else 'public' end)::video_visibility,
               (case when r > 0.99 then 'processing' else 'ready' end)::video_status,
               ${SEED_KEY_PREFIX} || n || '/clip.mp4', 'clip.mp4', 'video/mp4', 5000000, 5000000, 'video/mp4',
               30 + n % 600, 1280, 720, floor(random() ^ 4 * 1000000), at - interval '5 minutes',
               case when r > 0.99 then null else at end
        from drawn
        on conflict do nothing
      `;
      say(`  videos ${to}/${options.videos}`);
    }
  });
}

/** The big channel's subscribers, the feed viewer's channels, and three channels for everyone else. */
async function seedSubscriptions(sql: postgres.Sql, options: SeedOptions, say: Say) {
  const [{ count } = { count: 0 }] = await sql<{ count: number }[]>`
    select subscriber_count as count from users where username = ${BIG_CHANNEL}
  `;
  if (count >= Math.min(options.subscriptionsOnChannel, options.users - 1)) {
    return say(`subscriptions: ${count} on ${BIG_CHANNEL} already there`);
  }
  const creators = Math.max(options.feedChannels + 1, Math.ceil(options.users / 10));
  await timed(say, 'subscriptions added', async () => {
    await sql`
      insert into subscriptions (subscriber_id, channel_id)
      select pg_temp.seed_id('seed-user-' || n), pg_temp.seed_id('seed-user-2')
      from generate_series(3, least(${options.subscriptionsOnChannel + 2}::int, ${options.users}::int)) n
      on conflict do nothing
    `;
    await sql`
      insert into subscriptions (subscriber_id, channel_id)
      select pg_temp.seed_id('seed-user-1'), pg_temp.seed_id('seed-user-' || n) from generate_series(2, ${options.feedChannels + 1}::int) n
      on conflict do nothing
    `;
    await sql`
      insert into subscriptions (subscriber_id, channel_id)
      select pg_temp.seed_id('seed-user-' || n), pg_temp.seed_id('seed-user-' || (2 + (n * 7919 + k * 104729) % ${creators}::int))
      from generate_series(3, ${options.users}::int) n, generate_series(1, 3) k
      where n <> 2 + (n * 7919 + k * 104729) % ${creators}::int
      on conflict do nothing
    `;
  });
}

/** The feed viewer's inbox: the newest public videos of their channels, about a third unread. */
async function seedInbox(sql: postgres.Sql, options: SeedOptions, say: Say) {
  const viewer = sql`pg_temp.seed_id('seed-user-1')`;
  const [{ count } = { count: 0 }] = await sql<{ count: number }[]>`
    select count(*)::int as count from notifications where recipient_id = ${viewer}
  `;
  if (count >= options.inbox) return say(`inbox: ${count} notifications already there`);
  await timed(
    say,
    'inbox added',
    () => sql`
    insert into notifications (recipient_id, type, video_id, actor_id, created_at, read_at)
    select ${viewer}, 'video.published', v.id, v.owner_id, v.published_at,
           case when random() < 0.66 then v.published_at + interval '1 hour' end
    from subscriptions s
    cross join lateral (
      select id, owner_id, published_at from videos
      where owner_id = s.channel_id and status = 'ready' and visibility = 'public'
      order by published_at desc limit 100
    ) v
    where s.subscriber_id = ${viewer}
    order by v.published_at desc
    limit ${options.inbox}::int
    on conflict do nothing
  `,
  );
}

/** {@link FULL_PLAYLIST}: videos from all over the catalogue (some of them private or unfinished) in a random order. */
async function seedPlaylist(sql: postgres.Sql, say: Say) {
  const playlist = sql`pg_temp.seed_id('seed-playlist-1')`;
  await sql`
    insert into playlists (id, owner_id, title, visibility)
    values (${playlist}, pg_temp.seed_id('seed-user-1'), ${FULL_PLAYLIST}, 'public')
    on conflict do nothing
  `;
  const [{ count } = { count: 0 }] = await sql<{ count: number }[]>`
    select video_count as count from playlists where id = ${playlist}
  `;
  if (count > 0) return say(`playlist: ${count} videos already there`);
  await timed(
    say,
    'playlist filled',
    () => sql`
    insert into playlist_items (playlist_id, video_id, position)
    select ${playlist}, id, row_number() over (order by id)::int
    from (select id from videos where storage_key like ${`${SEED_KEY_PREFIX}%`} order by id limit ${PLAYLIST_ITEMS}::int) drawn
  `,
  );
}

/**
 * Comments: `commentsOnVideo` top-level ones on the newest video (made public and ready), the rest spread over the
 * catalogue with a reply in ten and a held comment in twenty, written over the last year by everyone; the thread's
 * owner blocks a hundred users, so its pages pay for the block check as they would live.
 */
async function seedComments(sql: postgres.Sql, options: SeedOptions, say: Say) {
  const [{ count } = { count: 0 }] = await sql<
    { count: number }[]
  >`select count(*)::int as count from comments`;
  if (count >= options.comments) return say(`comments: ${count} already there`);
  // The newest seeded video, made public and ready: the thread the benchmark pages through.
  const thread = sql`pg_temp.seed_id('seed-video-' || ${options.videos}::int)`;
  await sql`
    update videos set title = ${COMMENTED_VIDEO}, visibility = 'public', status = 'ready',
                      published_at = coalesce(published_at, created_at)
    where id = ${thread}
  `;
  await sql`
    insert into blocks (blocker_id, blocked_id)
    select v.owner_id, pg_temp.seed_id('seed-user-' || (1 + n * 97 % ${options.users}::int))
    from videos v, generate_series(1, least(100, ${options.users}::int)) n
    where v.id = ${thread} and v.owner_id <> pg_temp.seed_id('seed-user-' || (1 + n * 97 % ${options.users}::int))
    on conflict do nothing
  `;
  const author = sql`pg_temp.seed_id('seed-user-' || (1 + floor(random() * ${options.users}::int)::int))`;
  const at = sql`now() - (1 - n::float8 / ${options.comments}::int) * interval '365 days' - random() * interval '1 hour'`;
  const onThread = options.commentsOnVideo;
  await timed(say, `comments: ${options.comments - count} added`, async () => {
    for (let from = count + 1; from <= options.comments; from += BATCH) {
      const to = Math.min(options.comments, from + BATCH - 1);
      // The first `onThread` comments are the thread's; a reply's parent is the comment ten before it on its video.
      await sql`
        insert into comments (id, video_id, parent_id, author_id, body, status, created_at)
        select pg_temp.seed_id('seed-comment-' || n),
               case when n <= ${onThread}::int then ${thread}
                    else pg_temp.seed_id('seed-video-' || (1 + (n / 10) % ${options.videos}::int)) end,
               case when n > ${onThread}::int + 10 and n % 10 = 9 then pg_temp.seed_id('seed-comment-' || (n - 9)) end,
               ${author}, 'Seeded comment number ' || n,
               (case when n > ${onThread}::int and n % 20 = 7 then 'held' else 'published' end)::comment_status,
               ${at}
        from generate_series(${from}::int, ${to}::int) n
        on conflict do nothing
      `;
      say(`  comments ${to}/${options.comments}`);
    }
  });
}

/**
 * Seeds (or tops up) a benchmark dataset with set-based SQL; each step checks what is already there, so running
 * it again is cheap and an interrupted run resumes.
 *
 * @example
 * await seedDataset(sql, parseSeedArgs(['--videos', '1000000']), console.log);
 */
export async function seedDataset(sql: postgres.Sql, options: SeedOptions, say: Say) {
  await seedUsers(sql, options, say);
  await seedVideos(sql, options, say);
  await seedSubscriptions(sql, options, say);
  await seedInbox(sql, options, say);
  await seedPlaylist(sql, say);
  await seedComments(sql, options, say);
  // What autovacuum would do on a live database: statistics for the planner, and the GIN pending list merged.
  await timed(
    say,
    'vacuum analyze',
    () =>
      sql`vacuum analyze users, videos, subscriptions, notifications, playlists, playlist_items, comments, blocks`,
  );
}
