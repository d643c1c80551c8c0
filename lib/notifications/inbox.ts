import { sql } from '../db.ts';
import { NotFound } from '../errors.ts';
import { afterCursor, decodeCursor, pageLimit, TimeCursor, timeKeyText, toPage } from '../pagination.ts';
import type { Inbox, InboxQuery, Notification, NotificationType } from './schemas.ts';

/** One inbox item as {@link inboxItemColumns} selects it; {@link toNotification} shapes it. */
export interface NotificationRow {
  id: string;
  type: NotificationType;
  commentId: string | null;
  readAt: Date | null;
  createdAt: Date;
  videoId: string;
  videoTitle: string;
  actorId: string;
  actorUsername: string;
  actorDisplayName: string;
}

/** The columns of an inbox item, over {@link inboxItemSources}: the inbox and real-time pushes show the same item. */
export const inboxItemColumns = sql`
  n.id, n.type, n.comment_id, n.read_at, n.created_at,
  v.id as video_id, v.title as video_title,
  a.id as actor_id, a.username as actor_username, a.display_name as actor_display_name
`;
export const inboxItemSources = sql`
  notifications n
  join videos v on v.id = n.video_id
  join users a on a.id = n.actor_id
`;

// A video made private after it was announced drops out of the inbox: its title is no longer anyone's business.
// `video_private` follows the video's visibility (migration 0007).
export const stillVisible = sql`not n.video_private`;

/** The SQL of one inbox page, newest first, walking `notifications_inbox_idx` (or the unread one). */
export function inboxPageQuery(request: {
  userId: string;
  unread: boolean;
  limit: number;
  after?: TimeCursor;
}) {
  return sql<(NotificationRow & { sortKey: TimeCursor })[]>`
    select ${inboxItemColumns}, json_build_array(${timeKeyText(sql`n.created_at`)}, n.id) as sort_key
    from ${inboxItemSources}
    where n.recipient_id = ${request.userId} and ${stillVisible}
      ${request.unread ? sql`and n.read_at is null` : sql``}
      ${afterCursor(sql`n.created_at, n.id`, request.after)}
    order by n.created_at desc, n.id desc
    ${pageLimit(request.limit)}
  `;
}

/** The SQL of the unread count: an index-only walk of `notifications_unread_visible_idx`. */
export function unreadCountQuery(userId: string) {
  return sql<{ unreadCount: number }[]>`
    select count(*)::int as unread_count
    from notifications n
    where n.recipient_id = ${userId} and n.read_at is null and ${stillVisible}
  `;
}

/** Shapes an inbox item as the contract's `notification`. */
export function toNotification(row: NotificationRow): Notification {
  return {
    id: row.id,
    type: row.type,
    video: { id: row.videoId, title: row.videoTitle },
    actor: { id: row.actorId, username: row.actorUsername, displayName: row.actorDisplayName },
    ...(row.commentId === null ? {} : { comment: { id: row.commentId } }),
    readAt: row.readAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * A page of the caller's notifications, newest first (only unread ones with `unread`), and how many are unread.
 *
 * @example
 * const { items, nextCursor, unreadCount } = await inboxOf(caller.userId, { limit: 20, unread: true });
 */
export async function inboxOf(userId: string, query: InboxQuery): Promise<Inbox> {
  const after = decodeCursor(query.cursor, TimeCursor);
  const rows = await inboxPageQuery({ userId, unread: query.unread ?? false, limit: query.limit, after });
  const [count] = await unreadCountQuery(userId);
  return {
    ...toPage(rows, query.limit, (row) => row.sortKey, toNotification),
    unreadCount: count?.unreadCount ?? 0,
  };
}

/**
 * Marks one of the caller's notifications read (again: no change); someone else's is a 404.
 *
 * @example
 * await markNotificationRead(caller.userId, notificationId);
 */
export async function markNotificationRead(userId: string, notificationId: string): Promise<void> {
  const [marked] = await sql`
    update notifications set read_at = coalesce(read_at, now())
    where id = ${notificationId} and recipient_id = ${userId}
    returning id
  `;
  if (!marked) throw new NotFound('No notification with this id');
}

/**
 * Marks every unread notification of the caller read.
 *
 * @example
 * await markAllNotificationsRead(caller.userId);
 */
export async function markAllNotificationsRead(userId: string): Promise<void> {
  await sql`update notifications set read_at = now() where recipient_id = ${userId} and read_at is null`;
}
