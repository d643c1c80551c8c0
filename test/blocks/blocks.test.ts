import { describe, expect, it } from 'vitest';
import { handler as block } from '#functions/blocks/block.ts';
import { handler as getBlock } from '#functions/blocks/get.ts';
import { handler as list } from '#functions/blocks/list.ts';
import { handler as unblock } from '#functions/blocks/unblock.ts';
import { handler as subscribeRoute } from '#functions/subscriptions/subscribe.ts';
import { sql } from '#lib/db.ts';
import { commentCalls as api, createComment } from '../support/comment-calls.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { createUser, createVideo, subscribe } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';
import { expectMatchesOperation } from '../support/openapi-assert.ts';

const blockCall = (method: 'PUT' | 'DELETE', userId: string, token?: string) =>
  callApi(method === 'PUT' ? block : unblock, {
    method,
    path: `/api/v1/users/me/blocks/${userId}`,
    pathParameters: { userId },
    token,
  });
const blocks = (token?: string, query: Record<string, string> = {}) =>
  callApi<{ items: { id: string }[]; nextCursor: string | null }>(list, {
    path: '/api/v1/users/me/blocks',
    query,
    token,
  });
const subscribeTo = (channelId: string, token: string) =>
  callApi(subscribeRoute, {
    method: 'PUT',
    path: `/api/v1/users/${channelId}/subscription`,
    pathParameters: { idOrUsername: channelId },
    token,
  });

async function blockedOnChannel() {
  const owner = await createUser({ role: 'creator' });
  const video = await createVideo(owner);
  const troll = await createUser();
  const trollComment = await createComment(troll, video, { body: 'Troll comment' });
  await createComment(await createUser(), video, { body: 'Nice comment' });
  await subscribe(owner, [troll]);
  expect((await blockCall('PUT', troll.id, owner.accessToken)).status).toBe(204);
  return { owner, video, troll, trollComment };
}

describe('PUT, DELETE and GET /users/me/blocks', () => {
  it('blocks and unblocks idempotently, and lists the blocked users newest first', async () => {
    // Prepare
    const me = await createUser();
    const [first, second] = [await createUser(), await createUser()];

    // Act
    const statuses = [
      (await blockCall('PUT', first.id, me.accessToken)).status,
      (await blockCall('PUT', first.id, me.accessToken)).status,
      (await blockCall('PUT', second.id, me.accessToken)).status,
    ];
    const listed = await blocks(me.accessToken);
    const unblocked = [
      (await blockCall('DELETE', first.id, me.accessToken)).status,
      (await blockCall('DELETE', first.id, me.accessToken)).status,
    ];

    // Assess
    expect(statuses).toEqual([204, 204, 204]);
    expect(listed.body.items.map((user) => user.id)).toEqual([second.id, first.id]);
    expect(unblocked).toEqual([204, 204]);
    expect((await blocks(me.accessToken)).body.items.map((user) => user.id)).toEqual([second.id]);
    expect((await blocks(second.accessToken)).body.items).toEqual([]);
  });

  it('says whether the caller blocked a user: their own blocks only', async () => {
    // Prepare
    const [me, blocked, other] = [await createUser(), await createUser(), await createUser()];
    await blockCall('PUT', blocked.id, me.accessToken);
    const state = (userId: string, token?: string) =>
      callApi<{ blocked: boolean }>(getBlock, {
        path: `/api/v1/users/me/blocks/${userId}`,
        pathParameters: { userId },
        token,
      });

    // Act
    const answers = [
      await state(blocked.id, me.accessToken),
      await state(other.id, me.accessToken),
      await state(me.id, blocked.accessToken),
    ];
    const unknown = await state(crypto.randomUUID(), me.accessToken);

    // Assess
    expect(answers.map((answer) => answer.body)).toEqual([
      { blocked: true },
      { blocked: false },
      { blocked: false },
    ]);
    await expectMatchesOperation('GET', '/api/v1/users/me/blocks/{userId}', answers[0] ?? unknown);
    expectProblem(unknown, 404);
    await expectMatchesOperation('GET', '/api/v1/users/me/blocks/{userId}', unknown);
    expectProblem(await state(me.id, me.accessToken), 400);
    expectProblem(await state(blocked.id), 401);
  });

  it('refuses yourself (400), an unknown user (404) and anonymous callers (401)', async () => {
    const me = await createUser();

    expectProblem(await blockCall('PUT', me.id, me.accessToken), 400);
    expectProblem(await blockCall('PUT', crypto.randomUUID(), me.accessToken), 404);
    expectProblem(await blockCall('PUT', me.id), 401);
    expectProblem(await blockCall('DELETE', me.id), 401);
    expectProblem(await blocks(), 401);
  });

  it("ends the blocked user's subscription and refuses a new one (403)", async () => {
    const { owner, troll } = await blockedOnChannel();

    const again = await subscribeTo(owner.id, troll.accessToken);

    expectProblem(again, 403);
    expect(await sql`select 1 from subscriptions where subscriber_id = ${troll.id}`).toHaveLength(0);
    const [counted] = await sql`select subscriber_count from users where id = ${owner.id}`;
    expect(counted?.subscriberCount).toBe(0);
  });

  it("refuses the blocked user's comments, replies and edits on the blocker's videos (403)", async () => {
    const { video, troll, trollComment } = await blockedOnChannel();
    const [other] = await sql`select id from comments where video_id = ${video.id} and id <> ${trollComment}`;

    const refused = [
      await api.post(video.id, troll.accessToken, { body: 'Again' }),
      await api.post(video.id, troll.accessToken, { body: 'Reply', parentId: other?.id }),
      await api.edit(trollComment, troll.accessToken, { body: 'Edited' }),
    ];

    for (const response of refused) expectProblem(response, 403);
    expect(await sql`select 1 from comments where author_id = ${troll.id}`).toHaveLength(1);
  });

  it("hides the blocked user's comments on the blocker's videos from everyone but their author", async () => {
    const { owner, video, troll } = await blockedOnChannel();
    const bodies = async (token?: string) =>
      (await api.list(video.id, token)).body.items.map((item) => item.body).sort();

    expect(await bodies()).toEqual(['Nice comment']);
    expect(await bodies(owner.accessToken)).toEqual(['Nice comment']);
    expect(await bodies((await createUser()).accessToken)).toEqual(['Nice comment']);
    expect(await bodies(troll.accessToken)).toEqual(['Nice comment', 'Troll comment']);
  });

  it('does not notify a user about comments by someone they blocked', async () => {
    const me = await createUser();
    const other = await createUser({ role: 'creator' });
    await blockCall('PUT', other.id, me.accessToken);
    const otherVideo = await createVideo(other);
    const otherComment = await createComment(me, otherVideo);

    const reply = await api.post(otherVideo.id, other.accessToken, { body: 'Hi', parentId: otherComment });

    expect(reply.status).toBe(201);
    expect(await sql`select 1 from notifications where recipient_id = ${me.id}`).toHaveLength(0);
  });
});
