import { hasBlocked } from '../blocks/blocks.ts';
import { sql } from '../db.ts';
import { config } from '../environment.ts';
import { BadRequest, Forbidden, HttpError, NotFound } from '../errors.ts';
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
import { userNamedBy } from '../users/id-or-username.ts';
import type { PublicProfile } from '../users/schemas.ts';

/** A channel named by user id or username, as in `/users/{idOrUsername}/…`. */
async function findChannelId(subscriberId: string, idOrUsername: string): Promise<string> {
  const [channel] = await sql<{ id: string }[]>`select id from users where ${userNamedBy(idOrUsername)}`;
  if (!channel) throw new NotFound('No user with this id or username');
  if (channel.id === subscriberId) throw new BadRequest('You cannot subscribe to yourself');
  return channel.id;
}

/**
 * Subscribes the caller to a channel; subscribing again changes nothing. A caller who already follows
 * MAX_SUBSCRIPTIONS_PER_USER channels is refused a new one (409 `subscription-limit`), and a channel that blocked
 * the caller refuses them (403). The channel's `subscriber_count` follows the rows through a trigger.
 *
 * @example
 * await subscribe(caller.userId, channelId);
 */
export async function subscribe(subscriberId: string, channel: string): Promise<void> {
  const channelId = await findChannelId(subscriberId, channel);
  const limit = config.maxSubscriptionsPerUser;
  await sql.begin(async (tx) => {
    // A second subscribe of the same caller waits here, then counts the first one's row. Both users' rows, in id
    // order: the subscriber_count trigger updates the channel's row, so two users subscribing to each other at
    // once would otherwise each hold the row the other needs.
    await tx`select 1 from users where id in (${subscriberId}, ${channelId}) order by id for no key update`;
    if (await hasBlocked(tx, channelId, subscriberId)) throw new Forbidden('This channel has blocked you');
    const [following] = await tx<{ count: number; subscribed: boolean }[]>`
      select count(*)::int as count, coalesce(bool_or(channel_id = ${channelId}), false) as subscribed
      from subscriptions where subscriber_id = ${subscriberId}
    `;
    if (following && !following.subscribed && following.count >= limit) {
      throw new HttpError(409, 'Conflict', 'subscription-limit', {
        detail: `You follow ${limit} channels, the most allowed; unsubscribe from one first`,
      });
    }
    await tx`
      insert into subscriptions (subscriber_id, channel_id) values (${subscriberId}, ${channelId})
      on conflict do nothing
    `;
  });
}

/**
 * Whether the caller follows a channel (404 for an unknown one, 400 for their own).
 *
 * @example
 * await subscriptionTo(caller.userId, 'harbour_films'); // → { subscribed: true }
 */
export async function subscriptionTo(
  subscriberId: string,
  channel: string,
): Promise<{ subscribed: boolean }> {
  const channelId = await findChannelId(subscriberId, channel);
  const [row] = await sql<{ subscribed: boolean }[]>`
    select exists (
      select 1 from subscriptions where subscriber_id = ${subscriberId} and channel_id = ${channelId}
    ) as subscribed
  `;
  return { subscribed: row?.subscribed ?? false };
}

/**
 * Ends a subscription; one that does not exist is already ended.
 *
 * @example
 * await unsubscribe(caller.userId, channelId);
 */
export async function unsubscribe(subscriberId: string, channel: string): Promise<void> {
  const channelId = await findChannelId(subscriberId, channel);
  await sql`delete from subscriptions where subscriber_id = ${subscriberId} and channel_id = ${channelId}`;
}

type ProfileRow = Omit<PublicProfile, 'createdAt'> & { createdAt: Date; sortKey: TimeCursor };

/** The SQL of one page of a user's subscriptions, walking `subscriptions_subscriber_idx`. */
export function subscriptionsPageQuery(request: { userId: string; limit: number; after?: TimeCursor }) {
  return sql<ProfileRow[]>`
    select u.id, u.username, u.display_name, u.bio, u.role, u.subscriber_count, u.video_count, u.created_at,
           json_build_array(${timeKeyText(sql`s.created_at`)}, s.channel_id) as sort_key
    from subscriptions s join users u on u.id = s.channel_id
    where s.subscriber_id = ${request.userId}
      ${afterCursor(sql`s.created_at, s.channel_id`, request.after)}
    order by s.created_at desc, s.channel_id desc
    ${pageLimit(request.limit)}
  `;
}

/**
 * The channels a user subscribes to, as public profiles, most recent subscription first.
 *
 * @example
 * const page = await subscriptionsOf(caller.userId, { limit: 20 });
 */
export async function subscriptionsOf(subscriberId: string, query: PageQuery): Promise<Page<PublicProfile>> {
  const after = decodeCursor(query.cursor, TimeCursor);
  const rows = await subscriptionsPageQuery({ userId: subscriberId, limit: query.limit, after });
  return toPage(
    rows,
    query.limit,
    (row) => row.sortKey,
    ({ sortKey: _, createdAt, ...profile }) => ({ ...profile, createdAt: createdAt.toISOString() }),
  );
}
