import { describe, expect, it, vi } from 'vitest';
import { handler as getSubscription } from '#functions/subscriptions/get.ts';
import { handler as list } from '#functions/subscriptions/list.ts';
import { handler as subscribe } from '#functions/subscriptions/subscribe.ts';
import { handler as unsubscribe } from '#functions/subscriptions/unsubscribe.ts';
import { sql } from '#lib/db.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { createUser, createVideo } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';
import { expectMatchesOperation } from '../support/openapi-assert.ts';
import { everyPage } from '../support/pages.ts';

await vi.hoisted(async () => (await import('../support/parallel-connections.ts')).useParallelConnections());

const callSubscription = (method: 'PUT' | 'DELETE', idOrUsername: string, token?: string) =>
  callApi(method === 'PUT' ? subscribe : unsubscribe, {
    method,
    path: `/api/v1/users/${idOrUsername}/subscription`,
    pathParameters: { idOrUsername },
    token,
  });

type ProfilePage = { items: Record<string, unknown>[]; nextCursor: string | null };
const mySubscriptions = (token: string | undefined, query: Record<string, string> = {}) =>
  callApi<ProfilePage>(list, { path: '/api/v1/users/me/subscriptions', query, token });

async function subscription(subscriber: { id: string }, channel: { id: string }) {
  const rows = await sql`
    select 1 from subscriptions where subscriber_id = ${subscriber.id} and channel_id = ${channel.id}
  `;
  const [user] = await sql<{ subscriberCount: number }[]>`
    select subscriber_count from users where id = ${channel.id}
  `;
  return { subscribed: rows.length === 1, subscriberCount: user?.subscriberCount };
}

const subscriptionState = (idOrUsername: string, token?: string) =>
  callApi<{ subscribed: boolean }>(getSubscription, {
    path: `/api/v1/users/${idOrUsername}/subscription`,
    pathParameters: { idOrUsername },
    token,
  });

describe('GET /users/{idOrUsername}/subscription', () => {
  it('says whether the caller follows a channel, by id or username; 404 unknown, 400 yourself, 401 anonymous', async () => {
    // Prepare
    const [fan, channel] = [await createUser(), await createUser({ role: 'creator' })];
    await callSubscription('PUT', channel.id, fan.accessToken);

    // Act
    const [byId, byName, theirs] = [
      await subscriptionState(channel.id, fan.accessToken),
      await subscriptionState(channel.username, fan.accessToken),
      await subscriptionState(fan.id, channel.accessToken),
    ];
    const unknown = await subscriptionState(crypto.randomUUID(), fan.accessToken);

    // Assess
    expect([byId.body, byName.body, theirs.body]).toEqual([
      { subscribed: true },
      { subscribed: true },
      { subscribed: false },
    ]);
    await expectMatchesOperation('GET', '/api/v1/users/{idOrUsername}/subscription', byId);
    expectProblem(unknown, 404);
    await expectMatchesOperation('GET', '/api/v1/users/{idOrUsername}/subscription', unknown);
    expectProblem(await subscriptionState(fan.id, fan.accessToken), 400);
    expectProblem(await subscriptionState(channel.id), 401);
  });
});

describe('PUT and DELETE /users/{id}/subscription', () => {
  it('subscribes once however often it is asked, and unsubscribes the same way', async () => {
    // Prepare
    const [fan, channel] = [await createUser(), await createUser({ role: 'creator' })];

    // Act
    const subscribed = [
      await callSubscription('PUT', channel.id, fan.accessToken),
      await callSubscription('PUT', channel.id, fan.accessToken),
    ];
    const whileSubscribed = await subscription(fan, channel);
    const unsubscribed = [
      await callSubscription('DELETE', channel.id, fan.accessToken),
      await callSubscription('DELETE', channel.id, fan.accessToken),
    ];

    // Assess
    expect([...subscribed, ...unsubscribed].map((response) => response.status)).toEqual([204, 204, 204, 204]);
    expect(whileSubscribed).toEqual({ subscribed: true, subscriberCount: 1 });
    expect(await subscription(fan, channel)).toEqual({ subscribed: false, subscriberCount: 0 });
  });

  it('accepts the channel by username too', async () => {
    // Prepare
    const [fan, channel] = [await createUser(), await createUser({ role: 'creator' })];

    // Act
    const response = await callSubscription('PUT', channel.username, fan.accessToken);

    // Assess
    expect(response.status).toBe(204);
    expect(await subscription(fan, channel)).toEqual({ subscribed: true, subscriberCount: 1 });
  });

  it('keeps subscriberCount exact under simultaneous subscriptions', async () => {
    // Prepare
    const channel = await createUser({ role: 'creator' });
    const fans = [];
    for (let index = 0; index < 15; index++) fans.push(await createUser());

    // Act
    const responses = await Promise.all(
      [...fans, ...fans.slice(0, 5)].map((fan) => callSubscription('PUT', channel.id, fan.accessToken)),
    );

    // Assess
    expect(new Set(responses.map((response) => response.status))).toEqual(new Set([204]));
    const [row] =
      await sql`select subscriber_count, (select count(*)::int from subscriptions where channel_id = ${channel.id}) as rows from users where id = ${channel.id}`;
    expect(row).toEqual({ subscriberCount: 15, rows: 15 });
  });

  it.each(['PUT', 'DELETE'] as const)('%s on yourself is a 400', async (method) => {
    // Prepare
    const user = await createUser();

    // Act
    const response = await callSubscription(method, user.id, user.accessToken);

    // Assess
    expectProblem(response, 400, { detail: 'You cannot subscribe to yourself' });
    expect(await subscription(user, user)).toEqual({ subscribed: false, subscriberCount: 0 });
  });

  it.each([
    ['an unknown id', '6f1c1a52-3c1e-4b7e-9d52-5a0c4f6f4b11', 404],
    ['an unknown username', 'nobody_here', 404],
    ['a malformed name', 'Not A User!', 400],
  ])('answers %s with %i', async (_, idOrUsername, status) => {
    // Prepare
    const fan = await createUser();

    // Act
    const response = await callSubscription('PUT', idOrUsername, fan.accessToken);

    // Assess
    expectProblem(response, status);
  });

  it('requires a signed-in caller', async () => {
    // Prepare
    const channel = await createUser({ role: 'creator' });

    // Act
    const response = await callSubscription('PUT', channel.id);

    // Assess
    expectProblem(response, 401, { slug: 'unauthorized' });
  });
});

describe('GET /users/me/subscriptions', () => {
  it('lists the public profiles of my channels, latest subscription first, with their counts', async () => {
    // Prepare
    const fan = await createUser();
    const [older, newer] = [await createUser({ role: 'creator' }), await createUser({ role: 'creator' })];
    await createVideo(newer);
    await callSubscription('PUT', older.id, fan.accessToken);
    await callSubscription('PUT', newer.id, fan.accessToken);

    // Act
    const response = await mySubscriptions(fan.accessToken);

    // Assess
    expect(response.status).toBe(200);
    expect(response.body.nextCursor).toBeNull();
    expect(response.body.items).toEqual([
      {
        id: newer.id,
        username: newer.username,
        displayName: newer.displayName,
        bio: '',
        role: 'creator',
        subscriberCount: 1,
        videoCount: 1,
        createdAt: expect.any(String),
      },
      expect.objectContaining({ id: older.id, subscriberCount: 1, videoCount: 0 }),
    ]);
    expect(JSON.stringify(response.body)).not.toContain('@');
  });

  it('pages without duplicates or gaps while I keep subscribing', async () => {
    // Prepare
    const fan = await createUser();
    const channels = [];
    for (let index = 0; index < 5; index++) {
      const channel = await createUser({ role: 'creator' });
      await callSubscription('PUT', channel.id, fan.accessToken);
      channels.push(channel);
    }

    // Act
    const served = await everyPage(
      (cursor) => mySubscriptions(fan.accessToken, { limit: '2', ...cursor }),
      async () => callSubscription('PUT', (await createUser()).id, fan.accessToken),
    );

    // Assess
    expect(served.map((profile) => profile.id)).toEqual(channels.map((channel) => channel.id).reverse());
  });

  it('requires a signed-in caller', async () => {
    // Act
    const response = await mySubscriptions(undefined);

    // Assess
    expectProblem(response, 401);
  });
});
