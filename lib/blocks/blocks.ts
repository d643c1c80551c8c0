import { type SqlOrTransaction, sql } from '../db.ts';
import { BadRequest, NotFound } from '../errors.ts';
import {
  afterCursor,
  decodeCursor,
  type Page,
  type PageQuery,
  pageLimit,
  TimeCursor,
  timeKeyText,
  toPage,
} from '../pagination.ts';
import type { PublicProfile } from '../users/schemas.ts';

/** A user another one may block: one that exists (404), and not the blocker (400). */
async function findBlockable(blockerId: string, userId: string) {
  if (userId === blockerId) throw new BadRequest('You cannot block yourself');
  const [user] = await sql`select id from users where id = ${userId}`;
  if (!user) throw new NotFound('No user with this id');
}

/**
 * Whether `blockerId` has blocked `userId`.
 *
 * @example
 * if (await hasBlocked(tx, channelId, caller.userId)) throw new Forbidden('…');
 */
export async function hasBlocked(db: SqlOrTransaction, blockerId: string, userId: string): Promise<boolean> {
  const [row] = await db<{ blocked: boolean }[]>`
    select exists (select 1 from blocks where blocker_id = ${blockerId} and blocked_id = ${userId}) as blocked
  `;
  return row?.blocked ?? false;
}

/**
 * Blocks a user (again: no change): they can no longer comment on the blocker's videos nor subscribe to them, their
 * subscription to the blocker ends now, and their comments on the blocker's videos are hidden from everyone else.
 *
 * @example
 * await blockUser(caller.userId, userId);
 */
export async function blockUser(blockerId: string, userId: string): Promise<void> {
  await findBlockable(blockerId, userId);
  await sql.begin(async (tx) => {
    // The same row locks as a subscribe (lib/subscriptions), so a subscription racing this block waits and then sees it.
    await tx`select 1 from users where id in (${blockerId}, ${userId}) order by id for no key update`;
    await tx`insert into blocks (blocker_id, blocked_id) values (${blockerId}, ${userId}) on conflict do nothing`;
    await tx`delete from subscriptions where subscriber_id = ${userId} and channel_id = ${blockerId}`;
  });
}

/**
 * Whether the caller blocked a user (404 for an unknown one, 400 for themselves).
 *
 * @example
 * await blockOf(caller.userId, userId); // → { blocked: false }
 */
export async function blockOf(blockerId: string, userId: string): Promise<{ blocked: boolean }> {
  await findBlockable(blockerId, userId);
  return { blocked: await hasBlocked(sql, blockerId, userId) };
}

/**
 * Lifts a block; one that does not exist is already lifted. The ended subscription does not come back.
 *
 * @example
 * await unblockUser(caller.userId, userId);
 */
export async function unblockUser(blockerId: string, userId: string): Promise<void> {
  await findBlockable(blockerId, userId);
  await sql`delete from blocks where blocker_id = ${blockerId} and blocked_id = ${userId}`;
}

type ProfileRow = Omit<PublicProfile, 'createdAt'> & { createdAt: Date; sortKey: TimeCursor };

/**
 * The users the caller blocked, as public profiles, most recent block first.
 *
 * @example
 * const page = await blocksOf(caller.userId, { limit: 20 });
 */
export async function blocksOf(blockerId: string, query: PageQuery): Promise<Page<PublicProfile>> {
  const after = decodeCursor(query.cursor, TimeCursor);
  const rows = await sql<ProfileRow[]>`
    select u.id, u.username, u.display_name, u.bio, u.role, u.subscriber_count, u.video_count, u.created_at,
           json_build_array(${timeKeyText(sql`b.created_at`)}, b.blocked_id) as sort_key
    from blocks b join users u on u.id = b.blocked_id
    where b.blocker_id = ${blockerId}
      ${afterCursor(sql`b.created_at, b.blocked_id`, after)}
    order by b.created_at desc, b.blocked_id desc
    ${pageLimit(query.limit)}
  `;
  return toPage(
    rows,
    query.limit,
    (row) => row.sortKey,
    ({ sortKey: _, createdAt, ...profile }) => ({ ...profile, createdAt: createdAt.toISOString() }),
  );
}
