import { describe, expect, it } from 'vitest';
import { handler as update } from '#functions/videos/update.ts';
import { sql } from '#lib/db.ts';

import { expectProblem } from '../support/expect-problem.ts';
import { createUser, createVideo, subscribe } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';

const editVideo = (id: string, body: unknown, token?: string) =>
  callApi<Record<string, unknown>>(update, {
    method: 'PATCH',
    path: `/api/v1/videos/${id}`,
    pathParameters: { id },
    body,
    token,
  });

async function storedVideo(id: string) {
  const [row] = await sql`select title, description, visibility, status from videos where id = ${id}`;
  return row;
}

describe('PATCH /videos/{id}', () => {
  it('lets the owner change title, description and visibility, and answers with the video', async () => {
    // Prepare
    const owner = await createUser({ role: 'creator' });
    const video = await createVideo(owner, { title: 'Old title' });

    // Act
    const response = await editVideo(
      video.id,
      { title: '  New title ', description: 'Now described', visibility: 'unlisted' },
      owner.accessToken,
    );

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      id: video.id,
      title: 'New title',
      description: 'Now described',
      visibility: 'unlisted',
      status: 'ready',
      owner: { id: owner.id, username: owner.username, displayName: owner.displayName },
    });
    expect(await storedVideo(video.id)).toEqual({
      title: 'New title',
      description: 'Now described',
      visibility: 'unlisted',
      status: 'ready',
    });
  });

  it("lets an admin edit anyone's video", async () => {
    // Prepare
    const [owner, admin] = [await createUser({ role: 'creator' }), await createUser({ role: 'admin' })];
    const video = await createVideo(owner, { visibility: 'private' });

    // Act
    const response = await editVideo(video.id, { title: 'Moderated' }, admin.accessToken);

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ title: 'Moderated', visibility: 'private' });
    expect(await storedVideo(video.id)).toMatchObject({ title: 'Moderated' });
  });

  it('answers 404 to someone else and leaves the video unchanged', async () => {
    // Prepare
    const [owner, stranger] = [await createUser({ role: 'creator' }), await createUser({ role: 'creator' })];
    const video = await createVideo(owner, { title: 'Mine' });

    // Act
    const response = await editVideo(video.id, { title: 'Yours now' }, stranger.accessToken);

    // Assess
    expectProblem(response, 404, { slug: 'not-found' });
    expect(await storedVideo(video.id)).toMatchObject({ title: 'Mine' });
  });

  it.each([
    ['status', { status: 'ready' }, 'body'],
    ['ownerId', { ownerId: '6f1c1a52-3c1e-4b7e-9d52-5a0c4f6f4b11' }, 'body'],
    ['viewCount', { viewCount: 1_000_000 }, 'body'],
    ['an empty title', { title: '   ' }, 'body.title'],
    ['an unknown visibility', { visibility: 'secret' }, 'body.visibility'],
    ['a title over 200 characters', { title: 'x'.repeat(201) }, 'body.title'],
  ])('rejects %s with 400 and changes nothing', async (_, body, path) => {
    // Prepare
    const owner = await createUser({ role: 'creator' });
    const video = await createVideo(owner, { title: 'Unchanged' });

    // Act
    const response = await editVideo(video.id, body, owner.accessToken);

    // Assess
    expectProblem(response, 400, { paths: [path] });
    expect(await storedVideo(video.id)).toMatchObject({ title: 'Unchanged', status: 'ready' });
  });

  it('answers 404 for a video that does not exist and 401 without a token', async () => {
    // Prepare
    const owner = await createUser({ role: 'creator' });
    const video = await createVideo(owner);

    // Act
    const missing = await editVideo(
      '6f1c1a52-3c1e-4b7e-9d52-5a0c4f6f4b11',
      { title: 'x' },
      owner.accessToken,
    );
    const anonymous = await editVideo(video.id, { title: 'x' });

    // Assess
    expectProblem(missing, 404);
    expectProblem(anonymous, 401);
  });

  it("keeps the owner's video count in step with visibility", async () => {
    // Prepare
    const owner = await createUser({ role: 'creator' });
    const video = await createVideo(owner);
    await createVideo(owner);
    const videoCount = async () =>
      (await sql`select video_count from users where id = ${owner.id}`)[0]?.videoCount;
    const before = await videoCount();

    // Act
    await editVideo(video.id, { visibility: 'private' }, owner.accessToken);
    const whilePrivate = await videoCount();
    await editVideo(video.id, { visibility: 'public' }, owner.accessToken);

    // Assess
    expect([before, whilePrivate, await videoCount()]).toEqual([2, 1, 2]);
  });

  it('does not notify subscribers when a video is made public later', async () => {
    // Prepare
    const [owner, subscriber] = [await createUser({ role: 'creator' }), await createUser()];
    await subscribe(owner, [subscriber]);
    const video = await createVideo(owner, { visibility: 'private' });

    // Act
    const response = await editVideo(video.id, { visibility: 'public' }, owner.accessToken);

    // Assess
    expect(response.status).toBe(200);
    const notifications = await sql`select id from notifications where video_id = ${video.id}`;
    expect(notifications).toHaveLength(0);
  });
});
