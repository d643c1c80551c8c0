import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from '#lib/db.ts';
import { fanOutPublished } from '#lib/notifications/fan-out.ts';
import { inboxOf } from '#lib/notifications/inbox.ts';
import { pushNotifications } from '#lib/realtime/push.ts';
import { commentCalls } from '../support/comment-calls.ts';
import { createNotification, createUser, createVideo, subscribe } from '../support/factories.ts';
import { loadMediaFixture, loadSharedSample } from '../support/media-fixtures.ts';
import {
  connect,
  connectStatus,
  type RealtimeClient,
  requestTicket,
  startRealtimeOffline,
} from '../support/realtime.ts';
import { TEST_CORS_ORIGIN } from '../support/stack.ts';
import { uploadVideo } from '../support/upload-factories.ts';

const websocketPort = await vi.hoisted(async () =>
  (await import('../support/realtime.ts')).useWebSocketPort(),
);
let offline: Awaited<ReturnType<typeof startRealtimeOffline>>;
const clients: RealtimeClient[] = [];

beforeAll(async () => {
  offline = await startRealtimeOffline(websocketPort);
}, 120_000);

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await offline?.stop();
});

/** A user connected through a fresh ticket, from the allowed origin. */
async function connected(user: { accessToken: string }) {
  const { url } = await requestTicket(offline.api, user.accessToken);
  const client = await connect(url, TEST_CORS_ORIGIN);
  clients.push(client);
  return client;
}

const connectionsOf = async (user: { id: string }) =>
  sql<{ connectionId: string }[]>`select connection_id from realtime_connections where user_id = ${user.id}`;

describe('the WebSocket through serverless offline', () => {
  it('answers { action: "ping" } with { type: "pong" }, and registers the connection as its ticket’s user', async () => {
    // Prepare
    const user = await createUser();
    const client = await connected(user);

    // Act
    client.socket.send(JSON.stringify({ action: 'ping' }));

    // Assess
    expect(await client.next((message) => message.type === 'pong')).toEqual({ type: 'pong' });
    expect(await connectionsOf(user)).toHaveLength(1);
  });

  it('pushes a published video’s notification, as its inbox item, to each subscriber’s connections only', async () => {
    // Prepare
    const channel = await createUser({ role: 'creator' });
    const [fan, otherFan, offlineFan, bystander] = [
      await createUser(),
      await createUser(),
      await createUser(),
      await createUser(),
    ];
    await subscribe(channel, [fan, otherFan, offlineFan]);
    const fanClients = [await connected(fan), await connected(fan)];
    const otherClient = await connected(otherFan);
    const bystanderClient = await connected(bystander);
    const video = await createVideo(channel);

    // Act
    await fanOutPublished(video.id);

    // Assess
    const [inboxItem] = (await inboxOf(fan.id, { limit: 1 })).items;
    for (const client of fanClients) {
      expect(await client.next((message) => message.type === 'notification')).toEqual({
        type: 'notification',
        notification: inboxItem,
      });
    }
    const [otherItem] = (await inboxOf(otherFan.id, { limit: 1 })).items;
    const received = await otherClient.next((message) => message.type === 'notification');
    expect(received).toEqual({ type: 'notification', notification: otherItem });
    expect(otherItem?.id).not.toBe(inboxItem?.id);
    bystanderClient.socket.send(JSON.stringify({ action: 'ping' }));
    await bystanderClient.next((message) => message.type === 'pong');
    expect(bystanderClient.messages).toEqual([{ type: 'pong' }]);
    expect(fanClients.map((client) => client.messages.length)).toEqual([1, 1]);
  });

  it('pushes a comment’s notifications the moment it is posted: to the video’s owner and to the author it answers', async () => {
    // Prepare
    const owner = await createUser({ role: 'creator' });
    const [author, replier] = [await createUser(), await createUser()];
    const video = await createVideo(owner);
    const ownerClient = await connected(owner);
    const authorClient = await connected(author);

    // Act
    const comment = await commentCalls.post(video.id, author.accessToken, { body: 'First!' });
    const reply = await commentCalls.post(video.id, replier.accessToken, {
      body: 'Second',
      parentId: comment.body.id,
    });

    // Assess
    const created = await ownerClient.next((message) => message.type === 'notification');
    expect(created).toMatchObject({
      notification: { type: 'comment.created', comment: { id: comment.body.id } },
    });
    const replied = await authorClient.next((message) => message.type === 'notification');
    expect(replied).toMatchObject({
      notification: { type: 'comment.replied', comment: { id: reply.body.id } },
    });
    const [ownerItem] = (await inboxOf(owner.id, { limit: 1 })).items;
    const latest = await ownerClient.next(
      (message) =>
        message.type === 'notification' &&
        (message.notification as { id?: string } | undefined)?.id === ownerItem?.id,
    );
    expect(latest).toEqual({ type: 'notification', notification: ownerItem });
  });

  it('pushes the owner every step of an upload, as GET /videos/{id} shows it to them, and nobody else', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const fan = await createUser();
    await subscribe(creator, [fan]);
    const owner = await connected(creator);
    const fanClient = await connected(fan);

    // Act
    const videoId = await uploadVideo(creator, await loadSharedSample());

    // Assess
    type Pushed = { id: string; status: string; processing?: { percent: number } };
    // Ready once its lowest rendition and poster exist; done once no unit is left (no `processing` any more).
    const ready = await owner.next((message) => {
      const video = message.video as Pushed;
      return message.type === 'video.updated' && video.status === 'ready' && !video.processing;
    }, 30_000);
    const steps = owner.messages.map((message) => message.video as Pushed);
    const firstReady = steps.findIndex((video) => video.status === 'ready');
    expect(firstReady).toBeGreaterThan(0);
    expect(steps.slice(0, firstReady).every((video) => video.status === 'processing')).toBe(true);
    expect(steps.slice(firstReady).every((video) => video.status === 'ready')).toBe(true);
    for (const video of steps.slice(0, firstReady)) expect(video.processing?.percent).toBeTypeOf('number');
    expect(ready.video).toMatchObject({
      id: videoId,
      status: 'ready',
      width: 320,
      height: 240,
      playback: { url: expect.stringContaining(videoId), hls: expect.stringContaining(videoId) },
    });
    await fanClient.next((message) => message.type === 'notification');
    expect(fanClient.messages.map((message) => message.type)).toEqual(['notification']);
  });

  it('pushes the owner a rejection', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const owner = await connected(creator);

    // Act
    const videoId = await uploadVideo(creator, await loadMediaFixture('image.png'));

    // Assess
    const rejected = await owner.next(
      (message) => (message.video as { status: string } | undefined)?.status === 'rejected',
    );
    expect(rejected.video).toMatchObject({ id: videoId, status: 'rejected', rejectionReason: 'not_a_video' });
  });

  it('refuses a ticket used twice, an expired ticket and a connection without one (401)', async () => {
    // Prepare
    const user = await createUser();
    const used = await requestTicket(offline.api, user.accessToken);
    const expired = await requestTicket(offline.api, user.accessToken);
    const expiredHash = createHash('sha256')
      .update(new URL(expired.url).searchParams.get('ticket') ?? '')
      .digest();
    await sql`update realtime_tickets set expires_at = now() - interval '1 second' where ticket_hash = ${expiredHash}`;
    const first = await connect(used.url, TEST_CORS_ORIGIN);
    clients.push(first);
    const bare = new URL(used.url);
    bare.search = '';

    // Act
    const statuses = [
      await connectStatus(used.url, TEST_CORS_ORIGIN),
      await connectStatus(expired.url, TEST_CORS_ORIGIN),
      await connectStatus(bare.href, TEST_CORS_ORIGIN),
    ];

    // Assess
    expect(statuses).toEqual([401, 401, 401]);
    expect(await connectionsOf(user)).toHaveLength(1);
  });

  it('refuses a page from a foreign origin (403), and admits a client that sends no Origin', async () => {
    // Prepare
    const user = await createUser();
    const foreign = await requestTicket(offline.api, user.accessToken);
    const noOrigin = await requestTicket(offline.api, user.accessToken);

    // Act
    const statuses = [
      await connectStatus(foreign.url, 'https://evil.example'),
      await connectStatus(noOrigin.url),
    ];

    // Assess
    expect(statuses).toEqual([403, 'open']);
  });

  it('forgets a connection when it closes', async () => {
    // Prepare
    const user = await createUser();
    const client = await connected(user);

    // Act
    await client.close();

    // Assess
    await vi.waitFor(async () => expect(await connectionsOf(user)).toEqual([]));
  });

  it('removes a connection the server answers 410 Gone for, and still delivers to the live one', async () => {
    // Prepare: a connection whose $disconnect was lost.
    const channel = await createUser({ role: 'creator' });
    const fan = await createUser();
    const live = await connected(fan);
    await sql`insert into realtime_connections (connection_id, user_id) values ('gone-connection', ${fan.id})`;
    const notification = await createNotification(fan, await createVideo(channel));

    // Act
    const summary = await pushNotifications([notification]);

    // Assess
    expect(summary).toEqual({ sent: 1, gone: 1, failed: 0 });
    await live.next((message) => message.type === 'notification');
    expect((await connectionsOf(fan)).map((row) => row.connectionId)).not.toContain('gone-connection');
    expect(await connectionsOf(fan)).toHaveLength(1);
  });
});

describe('POST /realtime/tickets', () => {
  it('answers 201 with a WebSocket URL on the local server, valid for 60 s, stored only as a digest', async () => {
    // Prepare
    const user = await createUser();
    const before = Date.now();

    // Act
    const { url, expiresAt } = await requestTicket(offline.api, user.accessToken);

    // Assess
    const ticket = new URL(url).searchParams.get('ticket') ?? '';
    expect(url.startsWith(`ws://127.0.0.1:${websocketPort}/?ticket=`)).toBe(true);
    expect(ticket.length).toBeGreaterThanOrEqual(43);
    const lifetime = new Date(expiresAt).getTime() - before;
    expect(lifetime).toBeGreaterThan(55_000);
    expect(lifetime).toBeLessThanOrEqual(61_000);
    const [stored] = await sql<{ ticketHash: Buffer }[]>`
      select ticket_hash from realtime_tickets where user_id = ${user.id}
    `;
    expect(stored?.ticketHash.toString('base64url')).not.toContain(ticket);
  });

  it('binds the ticket to its caller: an admin’s and another user’s tickets connect them, not someone else', async () => {
    // Prepare
    const [admin, user] = [await createUser({ role: 'admin' }), await createUser()];

    // Act
    await connected(admin);
    await connected(user);
    const anonymous = await fetch(`${offline.api}/realtime/tickets`, { method: 'POST' });

    // Assess
    expect(await connectionsOf(admin)).toHaveLength(1);
    expect(await connectionsOf(user)).toHaveLength(1);
    expect(anonymous.status).toBe(401);
  });
});
