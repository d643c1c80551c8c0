import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { sql } from '#lib/db.ts';
import type { ApiResult } from './lambda.ts';

/** Makes `subscriber` a subscriber of `channel` straight in the database. */
export async function subscribeTo(subscriber: { id: string }, channel: { id: string }) {
  await sql`insert into subscriptions (subscriber_id, channel_id) values (${subscriber.id}, ${channel.id})`;
}

/**
 * Inserts a notification row directly, for inbox tests that need exact times (fan-out tests use the real
 * `fanOutPublished`).
 */
export async function createNotification(
  recipient: { id: string },
  video: { id: string; ownerId: string },
  overrides: { createdAt?: Date; readAt?: Date } = {},
) {
  const id = randomUUID();
  await sql`
    insert into notifications (id, recipient_id, type, video_id, actor_id, created_at, read_at)
    values (${id}, ${recipient.id}, 'video.published', ${video.id}, ${video.ownerId},
            ${overrides.createdAt ?? new Date()}, ${overrides.readAt ?? null})
  `;
  return id;
}

/** `count` distinct instants one second apart, newest first, ending `secondsAgo` before now. */
export function instants(count: number, secondsAgo = 60) {
  const newest = Date.now() - secondsAgo * 1000;
  return Array.from({ length: count }, (_, index) => new Date(newest - index * 1000));
}

type PageBody<Item> = { items: Item[]; nextCursor: string | null };

/**
 * Follows `nextCursor` until the last page, calling `between` after every page (to insert rows while paging),
 * and returns every item in the order served.
 *
 * @example
 * const items = await everyPage((cursor) => callApi(list, { query: { limit: '2', ...cursor } }));
 */
export async function everyPage<Item>(
  fetchPage: (cursor: { cursor?: string }) => Promise<ApiResult<PageBody<Item>>>,
  between: () => Promise<unknown> = async () => {},
): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const response = await fetchPage(cursor === null ? {} : { cursor });
    expect(response.status).toBe(200);
    items.push(...response.body.items);
    cursor = response.body.nextCursor;
    if (cursor === null) return items;
    await between();
  }
  throw new Error('more than 100 pages');
}
