import { describe, expect, it, vi } from 'vitest';
import { handler as getLike } from '#functions/videos/get-like.ts';
import { handler as like } from '#functions/videos/like.ts';
import { handler as unlike } from '#functions/videos/unlike.ts';
import { sql } from '#lib/db.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { createUser, createVideo } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';
import { expectMatchesOperation } from '../support/openapi-assert.ts';

await vi.hoisted(async () => (await import('../support/parallel-connections.ts')).useParallelConnections());

const callLike = (method: 'PUT' | 'DELETE', id: string, token?: string) =>
  callApi(method === 'PUT' ? like : unlike, {
    method,
    path: `/api/v1/videos/${id}/like`,
    pathParameters: { id },
    token,
  });

async function likes(id: string) {
  const [video] = await sql<{ likeCount: number }[]>`select like_count from videos where id = ${id}`;
  const rows = await sql`select user_id from video_likes where video_id = ${id}`;
  return { likeCount: video?.likeCount, rows: rows.length };
}

const likeState = (id: string, token?: string) =>
  callApi<{ liked: boolean }>(getLike, { path: `/api/v1/videos/${id}/like`, pathParameters: { id }, token });

describe('GET /videos/{id}/like', () => {
  it('says whether the caller likes a video they may watch: theirs alone, 404 for one they may not, 401 anonymous', async () => {
    // Prepare
    const owner = await createUser({ role: 'creator' });
    const video = await createVideo(owner);
    const hidden = await createVideo(owner, { visibility: 'private' });
    const [fan, other] = [await createUser(), await createUser()];
    await callLike('PUT', video.id, fan.accessToken);

    // Act
    const [fanState, otherState] = [
      await likeState(video.id, fan.accessToken),
      await likeState(video.id, other.accessToken),
    ];
    const privateState = await likeState(hidden.id, fan.accessToken);

    // Assess
    expect([fanState.body, otherState.body]).toEqual([{ liked: true }, { liked: false }]);
    await expectMatchesOperation('GET', '/api/v1/videos/{id}/like', fanState);
    expectProblem(privateState, 404);
    await expectMatchesOperation('GET', '/api/v1/videos/{id}/like', privateState);
    expectProblem(await likeState(video.id), 401);
  });
});

describe('PUT and DELETE /videos/{id}/like', () => {
  it('likes once however often it is asked, and unlikes the same way', async () => {
    // Prepare
    const video = await createVideo(await createUser({ role: 'creator' }));
    const fan = await createUser();

    // Act
    const liked = [
      await callLike('PUT', video.id, fan.accessToken),
      await callLike('PUT', video.id, fan.accessToken),
    ];
    const afterLikes = await likes(video.id);
    const unliked = [
      await callLike('DELETE', video.id, fan.accessToken),
      await callLike('DELETE', video.id, fan.accessToken),
    ];

    // Assess
    expect([...liked, ...unliked].map((response) => response.status)).toEqual([204, 204, 204, 204]);
    expect(afterLikes).toEqual({ likeCount: 1, rows: 1 });
    expect(await likes(video.id)).toEqual({ likeCount: 0, rows: 0 });
  });

  it('keeps likeCount exact under simultaneous likes and repeated ones', async () => {
    // Prepare
    const video = await createVideo(await createUser({ role: 'creator' }));
    const fans = [];
    for (let index = 0; index < 15; index++) fans.push(await createUser());

    // Act
    const responses = await Promise.all(
      [...fans, ...fans.slice(0, 5)].map((fan) => callLike('PUT', video.id, fan.accessToken)),
    );

    // Assess
    expect(new Set(responses.map((response) => response.status))).toEqual(new Set([204]));
    expect(await likes(video.id)).toEqual({ likeCount: 15, rows: 15 });
  });

  it('takes the likes of a deleted account off the count', async () => {
    // Prepare
    const video = await createVideo(await createUser({ role: 'creator' }));
    const [stays, leaves] = [await createUser(), await createUser()];
    await callLike('PUT', video.id, stays.accessToken);
    await callLike('PUT', video.id, leaves.accessToken);

    // Act
    await sql`delete from users where id = ${leaves.id}`;

    // Assess
    expect(await likes(video.id)).toEqual({ likeCount: 1, rows: 1 });
  });

  it("answers 404 for someone else's private video and records nothing", async () => {
    // Prepare
    const video = await createVideo(await createUser({ role: 'creator' }), { visibility: 'private' });
    const stranger = await createUser();

    // Act
    const response = await callLike('PUT', video.id, stranger.accessToken);

    // Assess
    expectProblem(response, 404, { slug: 'not-found' });
    expect(await likes(video.id)).toEqual({ likeCount: 0, rows: 0 });
  });

  it.each(['PUT', 'DELETE'] as const)('%s requires a signed-in caller', async (method) => {
    // Prepare
    const video = await createVideo(await createUser({ role: 'creator' }));

    // Act
    const response = await callLike(method, video.id);

    // Assess
    expectProblem(response, 401, { slug: 'unauthorized' });
  });
});
