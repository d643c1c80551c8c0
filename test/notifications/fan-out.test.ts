import { describe, expect, it, vi } from 'vitest';
import { sql } from '#lib/db.ts';
import { fanOutPublished } from '#lib/notifications/fan-out.ts';

import { createUser, createVideo, subscribe } from '../support/factories.ts';

await vi.hoisted(async () => (await import('../support/parallel-connections.ts')).useParallelConnections());

async function channelWithSubscribers(count: number) {
  const channel = await createUser({ role: 'creator' });
  const subscribers = [];
  for (let index = 0; index < count; index++) {
    const subscriber = await createUser();
    await subscribe(channel, [subscriber]);
    subscribers.push(subscriber);
  }
  return { channel, subscribers: subscribers.sort((a, b) => (a.id < b.id ? -1 : 1)) };
}

/** Notifications of a video per recipient. */
async function notified(videoId: string) {
  const rows = await sql<{ recipientId: string; count: number }[]>`
    select recipient_id, count(*)::int as count from notifications where video_id = ${videoId} group by recipient_id
  `;
  return new Map(rows.map((row) => [row.recipientId, row.count]));
}

describe('fanOutPublished', () => {
  it('notifies every subscriber exactly once, however often and concurrently it is called', async () => {
    // Prepare
    const { channel, subscribers } = await channelWithSubscribers(7);
    const bystander = await createUser();
    const video = await createVideo(channel);

    // Act
    const concurrent = await Promise.all([
      fanOutPublished(video.id, 2),
      fanOutPublished(video.id, 3),
      fanOutPublished(video.id, 2),
    ]);
    const repeated = await fanOutPublished(video.id, 2);

    // Assess
    expect(concurrent.reduce((total, inserted) => total + inserted, 0)).toBe(7);
    expect(repeated).toBe(0);
    const counts = await notified(video.id);
    expect([...counts.keys()].sort()).toEqual(subscribers.map((subscriber) => subscriber.id));
    expect(new Set(counts.values())).toEqual(new Set([1]));
    expect(counts.has(bystander.id) || counts.has(channel.id)).toBe(false);
  });

  it('works through the subscribers in chunks and records that it finished', async () => {
    // Prepare
    const { channel } = await channelWithSubscribers(5);
    const video = await createVideo(channel);

    // Act
    const inserted = await fanOutPublished(video.id, 2);

    // Assess
    expect(inserted).toBe(5);
    const [progress] = await sql`select completed_at from notification_fan_outs where video_id = ${video.id}`;
    expect(progress?.completedAt).toBeInstanceOf(Date);
  });

  it('resumes after the last committed chunk when a previous run stopped half-way', async () => {
    // Prepare: an earlier run notified the first two subscribers, then its Lambda timed out.
    const { channel, subscribers } = await channelWithSubscribers(5);
    const video = await createVideo(channel);
    const [first, second] = subscribers;
    for (const subscriber of [first, second]) {
      await sql`
        insert into notifications (recipient_id, type, video_id, actor_id)
        values (${subscriber?.id ?? ''}, 'video.published', ${video.id}, ${channel.id})
      `;
    }
    await sql`
      insert into notification_fan_outs (video_id, last_subscriber_id) values (${video.id}, ${second?.id ?? ''})
    `;

    // Act
    const inserted = await fanOutPublished(video.id, 2);

    // Assess
    expect(inserted).toBe(3);
    expect([...(await notified(video.id)).values()]).toEqual([1, 1, 1, 1, 1]);
  });

  it('uses the publication time as the notification time', async () => {
    // Prepare
    const { channel, subscribers } = await channelWithSubscribers(1);
    const video = await createVideo(channel, { publishedAt: new Date('2024-05-01T10:00:00.123Z') });

    // Act
    await fanOutPublished(video.id);

    // Assess
    const [row] =
      await sql`select created_at from notifications where recipient_id = ${subscribers[0]?.id ?? ''}`;
    expect(row?.createdAt).toEqual(new Date('2024-05-01T10:00:00.123Z'));
  });

  it.each([
    ['private', { visibility: 'private' as const }],
    ['unlisted', { visibility: 'unlisted' as const }],
    ['still processing', { status: 'processing' as const }],
  ])('notifies nobody of a %s video', async (_, overrides) => {
    // Prepare
    const { channel } = await channelWithSubscribers(2);
    const video = await createVideo(channel, overrides);

    // Act
    const inserted = await fanOutPublished(video.id);

    // Assess
    expect(inserted).toBe(0);
    expect((await notified(video.id)).size).toBe(0);
  });

  it('notifies nobody when the channel has no subscribers, and marks the fan-out done', async () => {
    // Prepare
    const video = await createVideo(await createUser({ role: 'creator' }));

    // Act
    const inserted = await fanOutPublished(video.id);

    // Assess
    expect(inserted).toBe(0);
    const [progress] = await sql`select completed_at from notification_fan_outs where video_id = ${video.id}`;
    expect(progress?.completedAt).toBeInstanceOf(Date);
  });
});
