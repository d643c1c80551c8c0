import { describe, expect, it } from 'vitest';
import { handler as getVideo } from '#functions/videos/get.ts';
import { handler as updateVideo } from '#functions/videos/update.ts';
import { sql } from '#lib/db.ts';
import { commentCalls as api, commentCounters, createComment } from '../support/comment-calls.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { createUser, createVideo } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';
import { expectMatchesOperation } from '../support/openapi-assert.ts';

async function channelWithVideo(overrides: Parameters<typeof createVideo>[1] = {}) {
  const owner = await createUser({ role: 'creator' });
  return { owner, video: await createVideo(owner, overrides) };
}

const setPolicy = (videoId: string, token: string, commentPolicy: string) =>
  callApi(updateVideo, {
    method: 'PATCH',
    path: `/api/v1/videos/${videoId}`,
    pathParameters: { id: videoId },
    body: { commentPolicy },
    token,
  });

describe('POST /videos/{id}/comments', () => {
  it('publishes a trimmed plain-text comment and counts it on the video', async () => {
    // Prepare
    const { video } = await channelWithVideo();
    const viewer = await createUser();

    // Act
    const posted = await api.post(video.id, viewer.accessToken, { body: '  Great clip!  ' });
    const shown = await callApi<{ commentCount: number; commentPolicy: string }>(getVideo, {
      path: `/api/v1/videos/${video.id}`,
      pathParameters: { id: video.id },
    });

    // Assess
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({
      videoId: video.id,
      parentId: null,
      author: { id: viewer.id, username: viewer.username, displayName: viewer.displayName },
      body: 'Great clip!',
      status: 'published',
      replyCount: 0,
      editedAt: null,
    });
    expect(shown.body).toMatchObject({ commentCount: 1, commentPolicy: 'open' });
  });

  it.each([
    ['blank after trimming', { body: '   \n ' }],
    ['longer than 5000 characters', { body: 'x'.repeat(5001) }],
    ['with control characters', { body: 'hi\u0000there' }],
    ['with an unknown field', { body: 'hi', status: 'published' }],
    ['with a parentId that is not an id', { body: 'hi', parentId: 'nope' }],
  ])('refuses a body %s (400) and stores nothing', async (_, body) => {
    const { video } = await channelWithVideo();
    const viewer = await createUser();

    const response = await api.post(video.id, viewer.accessToken, body);

    expectProblem(response, 400);
    expect(await commentCounters(video.id)).toMatchObject({ commentCount: 0 });
    expect(await sql`select 1 from comments where video_id = ${video.id}`).toHaveLength(0);
  });

  it('accepts exactly 5000 characters', async () => {
    const { video } = await channelWithVideo();
    const response = await api.post(video.id, (await createUser()).accessToken, { body: 'é'.repeat(5000) });
    expect(response.status).toBe(201);
  });

  it('attaches a reply to a reply to its top-level comment, and counts replies', async () => {
    // Prepare
    const { video } = await channelWithVideo();
    const [first, second] = [await createUser(), await createUser()];
    const top = await api.post(video.id, first.accessToken, { body: 'Top' });

    // Act
    const reply = await api.post(video.id, second.accessToken, { body: 'Reply', parentId: top.body.id });
    const replyToReply = await api.post(video.id, first.accessToken, {
      body: 'Again',
      parentId: reply.body.id,
    });
    const replies = await api.replies(top.body.id);
    const topLevel = await api.list(video.id);

    // Assess
    expect(reply.body.parentId).toBe(top.body.id);
    expect(replyToReply.body.parentId).toBe(top.body.id);
    expect(replies.body.items.map((item) => item.body)).toEqual(['Reply', 'Again']);
    expect(topLevel.body.items.map((item) => [item.body, item.replyCount])).toEqual([['Top', 2]]);
    expect(await commentCounters(video.id, top.body.id)).toEqual({ commentCount: 3, replyCount: 2 });
  });

  it('refuses a parent from another video (404)', async () => {
    const [{ video }, { video: other }] = [await channelWithVideo(), await channelWithVideo()];
    const parent = await createComment(await createUser(), other);

    const response = await api.post(video.id, (await createUser()).accessToken, {
      body: 'x',
      parentId: parent,
    });

    expectProblem(response, 404);
  });

  it('answers 404 for a video the caller may not watch, and 401 without a token', async () => {
    const { video } = await channelWithVideo({ visibility: 'private' });
    const viewer = await createUser();

    expectProblem(await api.post(video.id, viewer.accessToken, { body: 'hi' }), 404);
    expectProblem(await api.post(video.id, undefined, { body: 'hi' }), 401);
    expectProblem(await api.list(video.id, viewer.accessToken), 404);
    expectProblem(await api.list(video.id), 404);
  });
});

describe('GET /videos/{id}/comments', () => {
  it('pages top-level comments newest first and oldest first, without gaps or repeats', async () => {
    // Prepare
    const { video } = await channelWithVideo();
    const author = await createUser();
    const base = Date.now() - 60_000;
    for (let index = 0; index < 5; index++) {
      await createComment(author, video, { body: `c${index}`, createdAt: new Date(base + index * 1000) });
    }

    // Act
    const walk = async (sort: string) => {
      const bodies: string[] = [];
      let cursor: string | null = null;
      do {
        const query: Record<string, string> = { sort, limit: '2', ...(cursor ? { cursor } : {}) };
        const page = await api.list(video.id, undefined, query);
        bodies.push(...page.body.items.map((item) => item.body));
        cursor = page.body.nextCursor;
      } while (cursor);
      return bodies;
    };

    // Assess
    expect(await walk('newest')).toEqual(['c4', 'c3', 'c2', 'c1', 'c0']);
    expect(await walk('oldest')).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
  });
});

describe('comment policy and held comments', () => {
  it('lets only the owner or an admin set the policy, open by default', async () => {
    const { owner, video } = await channelWithVideo();

    expectProblem(await setPolicy(video.id, (await createUser()).accessToken, 'closed'), 404);
    expectProblem(await setPolicy(video.id, owner.accessToken, 'sometimes'), 400);
    expect((await setPolicy(video.id, owner.accessToken, 'approval')).body).toMatchObject({
      commentPolicy: 'approval',
    });
    const admin = await createUser({ role: 'admin' });
    expect((await setPolicy(video.id, admin.accessToken, 'closed')).body).toMatchObject({
      commentPolicy: 'closed',
    });
  });

  it('refuses comments, replies and edits on a closed video (403)', async () => {
    // Prepare
    const { owner, video } = await channelWithVideo();
    const viewer = await createUser();
    const mine = await api.post(video.id, viewer.accessToken, { body: 'Before closing' });
    await setPolicy(video.id, owner.accessToken, 'closed');

    // Act
    const comment = await api.post(video.id, viewer.accessToken, { body: 'Hello' });
    const reply = await api.post(video.id, viewer.accessToken, { body: 'Hello', parentId: mine.body.id });
    const edit = await api.edit(mine.body.id, viewer.accessToken, { body: 'Changed' });

    // Assess
    for (const response of [comment, reply, edit]) expectProblem(response, 403);
    expect((await api.list(video.id)).body.items.map((item) => item.body)).toEqual(['Before closing']);
  });

  it('holds every comment under approval until the owner approves it, then counts and announces it', async () => {
    // Prepare
    const { owner, video } = await channelWithVideo();
    await setPolicy(video.id, owner.accessToken, 'approval');
    const viewer = await createUser();

    // Act
    const posted = await api.post(video.id, viewer.accessToken, { body: 'Please approve me' });
    const publicBefore = await api.list(video.id);
    const heldQueue = await api.list(video.id, owner.accessToken, { status: 'held' });
    const countBefore = await commentCounters(video.id);
    const approved = await api.approve(posted.body.id, owner.accessToken);
    const approvedAgain = await api.approve(posted.body.id, owner.accessToken);

    // Assess
    expect(posted.body.status).toBe('held');
    expect(publicBefore.body.items).toEqual([]);
    expect(heldQueue.body.items.map((item) => item.id)).toEqual([posted.body.id]);
    expect(countBefore.commentCount).toBe(0);
    expect([approved.status, approvedAgain.status]).toEqual([204, 204]);
    expect((await api.list(video.id)).body.items.map((item) => item.status)).toEqual(['published']);
    expect(await commentCounters(video.id)).toMatchObject({ commentCount: 1 });
    const notified = await sql`select type from notifications where comment_id = ${posted.body.id}`;
    expect(notified.map((row) => row.type)).toEqual(['comment.created']);
  });

  it('rejects a held comment by deleting it; a published one cannot be rejected (409)', async () => {
    const { owner, video } = await channelWithVideo();
    const held = await createComment(await createUser(), video, { status: 'held' });
    const published = await createComment(await createUser(), video);

    expect((await api.reject(held, owner.accessToken)).status).toBe(204);
    expectProblem(await api.reject(published, owner.accessToken), 409);
    expect(await sql`select id from comments where id = ${held}`).toHaveLength(0);
  });

  it('shows the held queue and its decisions to the owner and admins only', async () => {
    // Prepare
    const { video } = await channelWithVideo();
    const author = await createUser();
    const held = await createComment(author, video, { status: 'held' });
    const [stranger, admin] = [await createUser(), await createUser({ role: 'admin' })];

    // Act / Assess
    expectProblem(await api.list(video.id, stranger.accessToken, { status: 'held' }), 404);
    expectProblem(await api.list(video.id, undefined, { status: 'held' }), 404);
    expectProblem(await api.list(video.id, author.accessToken, { status: 'removed' }), 404);
    expect((await api.list(video.id, admin.accessToken, { status: 'held' })).body.items).toHaveLength(1);
    expectProblem(await api.approve(held, stranger.accessToken), 404);
    expectProblem(await api.approve(held, author.accessToken), 403);
    expectProblem(await api.approve(held, undefined), 401);
    expectProblem(await api.reject(held, stranger.accessToken), 404);
    expect((await api.approve(held, admin.accessToken)).status).toBe(204);
  });

  it.each([
    ['a link', 'see https://spam.example for more'],
    ['a bare domain', 'cheap pills at pills.com today'],
    ['a www host', 'visit www.example now'],
    ['a watched word in any case', 'This is a CASINO bonus'],
    ['a watched phrase', 'win free money now'],
  ])('holds a comment with %s on an open video', async (_, body) => {
    const { owner, video } = await channelWithVideo();
    const filters = await api.setFilters(owner.accessToken, { words: ['Casino', 'free money', 'casino'] });

    const posted = await api.post(video.id, (await createUser()).accessToken, { body });

    expect(filters.body).toEqual({ words: ['casino', 'free money'] });
    expect(posted.body.status).toBe('held');
    expect(await commentCounters(video.id)).toMatchObject({ commentCount: 0 });
  });

  it('publishes a comment that only contains a watched word inside another word', async () => {
    const { owner, video } = await channelWithVideo();
    await api.setFilters(owner.accessToken, { words: ['ass'] });

    const posted = await api.post(video.id, (await createUser()).accessToken, { body: 'A classic pass' });

    expect(posted.body.status).toBe('published');
  });

  it('never holds the owner on their own video', async () => {
    const { owner, video } = await channelWithVideo();
    await setPolicy(video.id, owner.accessToken, 'approval');

    const posted = await api.post(video.id, owner.accessToken, {
      body: 'Links in the description: https://x.io',
    });

    expect(posted.body.status).toBe('published');
  });

  it('keeps watched words to 200 (400 beyond) and needs a token', async () => {
    const { owner } = await channelWithVideo();
    const words = Array.from({ length: 201 }, (_, index) => `word${index}`);

    expectProblem(await api.setFilters(owner.accessToken, { words }), 400);
    expect((await api.setFilters(owner.accessToken, { words: words.slice(0, 200) })).status).toBe(200);
    expectProblem(await api.setFilters(undefined, { words: [] }), 401);
  });
});

describe('GET /comments/{id}', () => {
  it('answers a published comment to anyone, as documented', async () => {
    // Prepare
    const { video } = await channelWithVideo();
    const author = await createUser();
    const id = await createComment(author, video, { body: 'Lovely light' });

    // Act
    const shown = await api.get(id);

    // Assess
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ id, videoId: video.id, body: 'Lovely light', status: 'published' });
    await expectMatchesOperation('GET', '/api/v1/comments/{id}', shown);
  });

  it('shows a held comment to its author and the video’s managers, a removed one to admins only, and answers 404 to anyone else', async () => {
    // Prepare
    const { owner, video } = await channelWithVideo();
    const author = await createUser();
    const [stranger, admin] = [await createUser(), await createUser({ role: 'admin' })];
    const held = await createComment(author, video, { status: 'held' });
    const removed = await createComment(author, video, { status: 'removed' });
    const callers = { author, owner, admin, stranger, anonymous: undefined };
    const statuses = async (id: string) =>
      Object.fromEntries(
        await Promise.all(
          Object.entries(callers).map(async ([who, user]) => [
            who,
            (await api.get(id, user?.accessToken)).status,
          ]),
        ),
      );

    // Act
    const [heldStatuses, removedStatuses] = [await statuses(held), await statuses(removed)];
    const missing = await api.get('00000000-0000-4000-8000-000000000000', admin.accessToken);

    // Assess
    expect(heldStatuses).toEqual({ author: 200, owner: 200, admin: 200, stranger: 404, anonymous: 404 });
    expect(removedStatuses).toEqual({ author: 404, owner: 404, admin: 200, stranger: 404, anonymous: 404 });
    expectProblem(missing, 404);
    await expectMatchesOperation('GET', '/api/v1/comments/{id}', missing);
  });

  it('hides a comment on a private video from everyone but the video’s managers and its author', async () => {
    const { owner, video } = await channelWithVideo({ visibility: 'private' });
    const id = await createComment(owner, video);

    expectProblem(await api.get(id, (await createUser()).accessToken), 404);
    expect((await api.get(id, owner.accessToken)).status).toBe(200);
  });
});

describe('PATCH and DELETE /comments/{id}', () => {
  it('lets the author edit, stamping editedAt; anyone else is refused', async () => {
    // Prepare
    const { owner, video } = await channelWithVideo();
    const author = await createUser();
    const id = await createComment(author, video);

    // Act
    const edited = await api.edit(id, author.accessToken, { body: ' Edited ' });
    const byOwner = await api.edit(id, owner.accessToken, { body: 'Hijacked' });
    const byAdmin = await api.edit(id, (await createUser({ role: 'admin' })).accessToken, {
      body: 'Hijacked',
    });
    const anonymous = await api.edit(id, undefined, { body: 'Hijacked' });

    // Assess
    expect(edited.status).toBe(200);
    expect(edited.body.body).toBe('Edited');
    expect(edited.body.editedAt).not.toBeNull();
    expectProblem(byOwner, 403);
    expectProblem(byAdmin, 403);
    expectProblem(anonymous, 401);
    const [stored] = await sql`select body from comments where id = ${id}`;
    expect(stored?.body).toBe('Edited');
  });

  it('sends an edited comment that gains a link back to the held queue', async () => {
    const { video } = await channelWithVideo();
    const author = await createUser();
    const id = await createComment(author, video);

    const edited = await api.edit(id, author.accessToken, { body: 'now with http://spam.example' });

    expect(edited.body.status).toBe('held');
    expect(await commentCounters(video.id)).toMatchObject({ commentCount: 0 });
  });

  it.each(['author', 'owner', 'admin'] as const)(
    'lets the %s delete a comment, its replies going with it',
    async (who) => {
      // Prepare
      const { owner, video } = await channelWithVideo();
      const author = await createUser();
      const top = await createComment(author, video);
      await createComment(await createUser(), video, { parentId: top });
      const caller = { author, owner, admin: await createUser({ role: 'admin' }) }[who];

      // Act
      const response = await api.delete(top, caller.accessToken);

      // Assess
      expect(response.status).toBe(204);
      expect(await sql`select id from comments where video_id = ${video.id}`).toHaveLength(0);
      expect(await commentCounters(video.id)).toMatchObject({ commentCount: 0 });
    },
  );

  it("refuses another user (403) and anonymous callers (401), and hides others' held comments (404)", async () => {
    const { video } = await channelWithVideo();
    const published = await createComment(await createUser(), video);
    const held = await createComment(await createUser(), video, { status: 'held' });
    const stranger = await createUser();

    expectProblem(await api.delete(published, stranger.accessToken), 403);
    expectProblem(await api.delete(published), 401);
    expectProblem(await api.delete(held, stranger.accessToken), 404);
    expectProblem(await api.edit(held, stranger.accessToken, { body: 'x' }), 404);
    expect(await commentCounters(video.id)).toMatchObject({ commentCount: 1 });
  });

  it('answers 404 for a comment on a video that became private, except to its managers', async () => {
    const { owner, video } = await channelWithVideo();
    const author = await createUser();
    const id = await createComment(author, video);
    await sql`update videos set visibility = 'private' where id = ${video.id}`;

    expectProblem(await api.replies(id, author.accessToken), 404);
    expectProblem(await api.edit(id, author.accessToken, { body: 'x' }), 404);
    expect((await api.replies(id, owner.accessToken)).status).toBe(200);
  });
});

describe('comment notifications', () => {
  it("notifies the video's owner of a comment and the parent's author of a reply, never the actor", async () => {
    // Prepare
    const { owner, video } = await channelWithVideo();
    const [first, second] = [await createUser(), await createUser()];

    // Act
    const top = await api.post(video.id, first.accessToken, { body: 'Top' });
    const reply = await api.post(video.id, second.accessToken, { body: 'Reply', parentId: top.body.id });
    await api.post(video.id, owner.accessToken, { body: 'Own comment' });
    const ownReply = await api.post(video.id, first.accessToken, { body: 'Self', parentId: top.body.id });

    // Assess
    const rows = await sql<{ recipientId: string; type: string; commentId: string; actorId: string }[]>`
      select recipient_id, type, comment_id, actor_id from notifications where video_id = ${video.id}
      order by created_at, type
    `;
    expect(rows).toEqual([
      { recipientId: owner.id, type: 'comment.created', commentId: top.body.id, actorId: first.id },
      { recipientId: owner.id, type: 'comment.created', commentId: reply.body.id, actorId: second.id },
      { recipientId: first.id, type: 'comment.replied', commentId: reply.body.id, actorId: second.id },
      { recipientId: owner.id, type: 'comment.created', commentId: ownReply.body.id, actorId: first.id },
    ]);
  });

  it('sends only comment.replied when the parent is the owner’s own comment', async () => {
    const { owner, video } = await channelWithVideo();
    const top = await createComment(owner, video);

    const reply = await api.post(video.id, (await createUser()).accessToken, { body: 'Hi', parentId: top });

    const rows = await sql`select recipient_id, type from notifications where comment_id = ${reply.body.id}`;
    expect(rows.map((row) => [row.recipientId, row.type])).toEqual([[owner.id, 'comment.replied']]);
  });
});
