import { afterAll, describe, expect, it, vi } from 'vitest';
import { handler as subscribe } from '#functions/subscriptions/subscribe.ts';
import { handler as unsubscribe } from '#functions/subscriptions/unsubscribe.ts';
import { sql } from '#lib/db.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { createUser } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';

// Configuration is read once at import: a cap of 3 channels per user, and a pool so that parallel calls race.
await vi.hoisted(async () => {
  process.env.MAX_SUBSCRIPTIONS_PER_USER = '3';
  await (await import('../support/parallel-connections.ts')).useParallelConnections();
});
afterAll(() => {
  delete process.env.MAX_SUBSCRIPTIONS_PER_USER;
});

const callSubscription = (method: 'PUT' | 'DELETE', channel: { id: string }, token: string) =>
  callApi(method === 'PUT' ? subscribe : unsubscribe, {
    method,
    path: `/api/v1/users/${channel.id}/subscription`,
    pathParameters: { idOrUsername: channel.id },
    token,
  });
const creator = () => createUser({ role: 'creator' });
async function followed(user: { id: string }) {
  const [row] = await sql<{ count: number }[]>`
    select count(*)::int as count from subscriptions where subscriber_id = ${user.id}
  `;
  return row?.count;
}

describe('the cap on subscriptions per user (MAX_SUBSCRIPTIONS_PER_USER)', () => {
  it('refuses a subscription past the cap with 409 subscription-limit, yet repeats one that exists', async () => {
    // Prepare
    const fan = await createUser();
    const [first, second, third, fourth] = [
      await creator(),
      await creator(),
      await creator(),
      await creator(),
    ];
    for (const channel of [first, second, third]) await callSubscription('PUT', channel, fan.accessToken);

    // Act
    const refused = await callSubscription('PUT', fourth, fan.accessToken);
    const repeated = await callSubscription('PUT', second, fan.accessToken);
    await callSubscription('DELETE', first, fan.accessToken);
    const afterUnsubscribing = await callSubscription('PUT', fourth, fan.accessToken);

    // Assess
    expectProblem(refused, 409, { slug: 'subscription-limit', detail: /3 channels/ });
    expect(repeated.status).toBe(204);
    expect(afterUnsubscribing.status).toBe(204);
    expect(await followed(fan)).toBe(3);
  });

  it('lets parallel subscribes of one user take only the places left', async () => {
    // Prepare
    const [fan, wanted] = [await createUser(), await Promise.all(Array.from({ length: 8 }, creator))];

    // Act
    const responses = await Promise.all(
      wanted.map((channel) => callSubscription('PUT', channel, fan.accessToken)),
    );

    // Assess
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([204, 204, 204, 409, 409, 409, 409, 409]);
    expect(await followed(fan)).toBe(3);
  });

  it('lets two users subscribe to each other at the same moment', async () => {
    // Prepare
    const pairs = await Promise.all(
      Array.from({ length: 5 }, async () => [await creator(), await creator()] as const),
    );

    // Act
    const responses = await Promise.all(
      pairs.flatMap(([alice, bob]) => [
        callSubscription('PUT', bob, alice.accessToken),
        callSubscription('PUT', alice, bob.accessToken),
      ]),
    );

    // Assess
    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(204));
  });
});
