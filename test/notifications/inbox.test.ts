import { describe, expect, it } from 'vitest';
import { handler as list } from '#functions/notifications/list.ts';
import { handler as markAllReadHandler } from '#functions/notifications/mark-all-read.ts';
import { handler as markReadHandler } from '#functions/notifications/mark-read.ts';
import { sql } from '#lib/db.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { createNotification, createUser, createVideo } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';
import { everyPage, instants } from '../support/pages.ts';

type InboxBody = {
  items: { id: string; readAt: string | null }[];
  nextCursor: string | null;
  unreadCount: number;
};

const inbox = (token: string | undefined, query: Record<string, string> = {}) =>
  callApi<InboxBody>(list, { path: '/api/v1/notifications', query, token });
const markRead = (id: string, token?: string) =>
  callApi(markReadHandler, {
    method: 'POST',
    path: `/api/v1/notifications/${id}/read`,
    pathParameters: { id },
    token,
  });
const markAllRead = (token?: string) =>
  callApi(markAllReadHandler, { method: 'POST', path: '/api/v1/notifications/read-all', token });

/** A recipient with `count` notifications from one channel, newest first; every other one already read. */
async function recipientWithNotifications(count: number) {
  const [recipient, channel] = [await createUser(), await createUser({ role: 'creator' })];
  const notifications = [];
  for (const [index, createdAt] of instants(count).entries()) {
    const video = await createVideo(channel, { title: `Episode ${count - index}`, publishedAt: createdAt });
    const readAt = index % 2 === 1 ? new Date() : undefined;
    notifications.push({ id: await createNotification(recipient, video, { createdAt, readAt }), video });
  }
  return { recipient, channel, notifications };
}

async function readAtOf(id: string) {
  const [row] = await sql<{ readAt: Date | null }[]>`select read_at from notifications where id = ${id}`;
  return row?.readAt;
}

describe('GET /notifications', () => {
  it('lists my notifications newest first with video and actor, and counts the unread ones', async () => {
    // Prepare
    const { recipient, channel, notifications } = await recipientWithNotifications(3);
    await recipientWithNotifications(1);

    // Act
    const response = await inbox(recipient.accessToken);

    // Assess
    expect(response.status).toBe(200);
    expect(response.body.unreadCount).toBe(2);
    expect(response.body.nextCursor).toBeNull();
    expect(response.body.items.map((item) => item.id)).toEqual(notifications.map((item) => item.id));
    expect(response.body.items[0]).toEqual({
      id: notifications[0]?.id,
      type: 'video.published',
      video: { id: notifications[0]?.video.id, title: 'Episode 3' },
      actor: { id: channel.id, username: channel.username, displayName: channel.displayName },
      readAt: null,
      createdAt: notifications[0]?.video.publishedAt?.toISOString(),
    });
    expect(response.body.items[1]?.readAt).toEqual(expect.any(String));
  });

  it('lists only unread ones with unread=true', async () => {
    // Prepare
    const { recipient, notifications } = await recipientWithNotifications(4);

    // Act
    const response = await inbox(recipient.accessToken, { unread: 'true' });

    // Assess
    expect(response.status).toBe(200);
    expect(response.body.items.map((item) => item.id)).toEqual([notifications[0]?.id, notifications[2]?.id]);
    expect(response.body.unreadCount).toBe(2);
  });

  it('pages without duplicates or gaps while new notifications arrive', async () => {
    // Prepare
    const { recipient, channel, notifications } = await recipientWithNotifications(5);

    // Act
    const served = await everyPage(
      (cursor) => inbox(recipient.accessToken, { limit: '2', ...cursor }),
      async () => createNotification(recipient, await createVideo(channel)),
    );

    // Assess
    expect(served.map((item) => item.id)).toEqual(notifications.map((item) => item.id));
  });

  it('hides a notification whose video became private, and does not count it', async () => {
    // Prepare
    const { recipient, notifications } = await recipientWithNotifications(2);
    const hidden = notifications[0];
    await sql`update videos set visibility = 'private' where id = ${hidden?.video.id ?? ''}`;

    // Act
    const response = await inbox(recipient.accessToken);

    // Assess
    expect(response.body.items.map((item) => item.id)).toEqual([notifications[1]?.id]);
    expect(response.body.unreadCount).toBe(0);
  });

  it.each([
    [{ unread: 'yes' }, 'query.unread'],
    [{ limit: '101' }, 'query.limit'],
    [{ cursor: 'bm90LWEtY3Vyc29y' }, 'query.cursor'],
  ])('rejects %o with 400', async (query, path) => {
    // Prepare
    const recipient = await createUser();

    // Act
    const response = await inbox(recipient.accessToken, query);

    // Assess
    expectProblem(response, 400, { paths: [path] });
  });

  it('requires a signed-in caller', async () => {
    // Act
    const response = await inbox(undefined);

    // Assess
    expectProblem(response, 401);
  });
});

describe('POST /notifications/{id}/read and /notifications/read-all', () => {
  it('marks one notification read, once', async () => {
    // Prepare
    const { recipient, notifications } = await recipientWithNotifications(1);
    const id = notifications[0]?.id ?? '';

    // Act
    const first = await markRead(id, recipient.accessToken);
    const readAt = await readAtOf(id);
    const again = await markRead(id, recipient.accessToken);

    // Assess
    expect([first.status, again.status]).toEqual([204, 204]);
    expect(readAt).toBeInstanceOf(Date);
    expect(await readAtOf(id)).toEqual(readAt);
    expect((await inbox(recipient.accessToken)).body.unreadCount).toBe(0);
  });

  it("answers 404 for someone else's notification and leaves it unread", async () => {
    // Prepare
    const { notifications } = await recipientWithNotifications(1);
    const intruder = await createUser();
    const id = notifications[0]?.id ?? '';

    // Act
    const response = await markRead(id, intruder.accessToken);

    // Assess
    expectProblem(response, 404, { slug: 'not-found' });
    expect(await readAtOf(id)).toBeNull();
  });

  it('answers 404 for an unknown notification and 400 for a malformed id', async () => {
    // Prepare
    const recipient = await createUser();

    // Act
    const unknown = await markRead('6f1c1a52-3c1e-4b7e-9d52-5a0c4f6f4b11', recipient.accessToken);
    const malformed = await markRead('42', recipient.accessToken);

    // Assess
    expectProblem(unknown, 404);
    expectProblem(malformed, 400, { paths: ['params.id'] });
  });

  it("marks all of mine read and nobody else's", async () => {
    // Prepare
    const mine = await recipientWithNotifications(3);
    const theirs = await recipientWithNotifications(2);

    // Act
    const response = await markAllRead(mine.recipient.accessToken);

    // Assess
    expect(response.status).toBe(204);
    expect((await inbox(mine.recipient.accessToken)).body.unreadCount).toBe(0);
    expect((await inbox(theirs.recipient.accessToken)).body.unreadCount).toBe(1);
  });

  it('requires a signed-in caller', async () => {
    // Act
    const response = await markAllRead();

    // Assess
    expectProblem(response, 401);
  });
});
