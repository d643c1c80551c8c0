import { describe, expect, it, vi } from 'vitest';
import { handler as deleteVideo } from '#functions/videos/delete.ts';
import { handler as getVideo } from '#functions/videos/get.ts';
import { sql } from '#lib/db.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { createUser, subscribe, type TestUser } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';
import { loadMediaFixture, loadSharedSample } from '../support/media-fixtures.ts';
import { testStack } from '../support/stack.ts';
import { objectExists } from '../support/storage-objects.ts';
import { requestUpload, uploadVideo } from '../support/upload-factories.ts';
import { storedVideo } from '../support/video-rows.ts';

const get = (id: string, token?: string) =>
  callApi(getVideo, { path: `/api/v1/videos/${id}`, pathParameters: { id }, token });
const remove = (id: string, token?: string) =>
  callApi(deleteVideo, { method: 'DELETE', path: `/api/v1/videos/${id}`, pathParameters: { id }, token });

async function readyVideo(visibility: 'public' | 'unlisted' | 'private' = 'public') {
  const owner = await createUser({ role: 'creator' });
  const id = await uploadVideo(owner, await loadSharedSample(), { visibility });
  return { owner, id };
}

describe('GET /videos/{id}', () => {
  it('returns a ready public video to anyone, with a presigned playback URL that serves ranges', async () => {
    // Prepare
    const { owner, id } = await readyVideo();
    const sample = await loadSharedSample();

    // Act
    const response = await get(id);

    // Assess
    expect(response.status).toBe(200);
    const body = response.body as Record<string, unknown> & { playback: { url: string; expiresAt: string } };
    expect(body).toEqual({
      id,
      title: 'A clip',
      description: '',
      visibility: 'public',
      status: 'ready',
      owner: { id: owner.id, username: owner.username, displayName: owner.displayName },
      sizeBytes: sample.byteLength,
      contentType: 'video/mp4',
      durationSeconds: 2,
      width: 320,
      height: 240,
      viewCount: 0,
      likeCount: 0,
      commentCount: 0,
      commentPolicy: 'open',
      createdAt: expect.any(String),
      publishedAt: expect.any(String),
      thumbnailUrl: expect.stringMatching(/\/media\/poster\.jpg\?expires=\d+&signature=/),
      playback: {
        url: expect.any(String),
        hls: expect.stringMatching(/\/media\/master\.m3u8\?expires=\d+&signature=/),
        poster: expect.any(String),
        storyboard: expect.any(String),
        expiresAt: expect.any(String),
      },
    });
    expect(JSON.stringify(body)).not.toContain('"storageKey"');
    expect(Number(new URL(body.playback.url).searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(3600);
    expect(Date.parse(body.playback.expiresAt) - Date.now()).toBeLessThanOrEqual(3600 * 1000);
    const range = await fetch(body.playback.url, { headers: { Range: 'bytes=4-11' } });
    expect(range.status).toBe(206);
    expect(new Uint8Array(await range.arrayBuffer())).toEqual(sample.subarray(4, 12));
  });

  it('returns an unlisted video to anyone who has its id', async () => {
    // Prepare
    const { id } = await readyVideo('unlisted');
    const stranger = await createUser();

    // Act
    const response = await get(id, stranger.accessToken);

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      id,
      visibility: 'unlisted',
      playback: { url: expect.any(String) },
    });
  });

  it.each([
    { case: 'another user', caller: () => createUser().then((user) => user.accessToken) },
    { case: 'an anonymous caller', caller: async () => undefined },
  ])('hides a private video from $case (404)', async ({ caller }) => {
    // Prepare
    const { id } = await readyVideo('private');

    // Act
    const response = await get(id, await caller());

    // Assess
    expectProblem(response, 404, { slug: 'not-found', detail: 'No video with this id' });
  });

  it.each([
    { case: 'its owner', caller: (owner: TestUser) => Promise.resolve(owner) },
    { case: 'an admin', caller: () => createUser({ role: 'admin' }) },
  ])('shows a private video to $case, with playback', async ({ caller }) => {
    // Prepare
    const { owner, id } = await readyVideo('private');

    // Act
    const response = await get(id, (await caller(owner)).accessToken);

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id, visibility: 'private', playback: { url: expect.any(String) } });
  });

  it('hands out the same playback URL for five minutes, then a freshly signed one', async () => {
    // Prepare
    const { id } = await readyVideo();
    const playbackOf = async () =>
      ((await get(id)).body as { playback: { url: string; expiresAt: string } }).playback;
    const first = await playbackOf();

    // Act
    const again = await playbackOf();
    vi.useFakeTimers({ now: Date.now() + 5 * 60 * 1000 + 1, toFake: ['Date'] });
    const later = await playbackOf().finally(() => vi.useRealTimers());

    // Assess
    expect(again).toEqual(first);
    expect(later.url).not.toBe(first.url);
    expect(Date.parse(later.expiresAt)).toBeGreaterThan(Date.parse(first.expiresAt));
    expect((await fetch(later.url, { headers: { Range: 'bytes=0-3' } })).status).toBe(206);
  });

  it('shows an unfinished upload to its owner only, without playback', async () => {
    // Prepare
    const owner = await createUser({ role: 'creator' });
    const { video } = await requestUpload(owner, { sizeBytes: 1000 });

    // Act
    const forOwner = await get(video.id, owner.accessToken);
    const forOthers = await get(video.id, (await createUser()).accessToken);

    // Assess
    expect(forOwner.status).toBe(200);
    expect(forOwner.body).toMatchObject({ id: video.id, status: 'awaiting_upload' });
    expect(forOwner.body).not.toHaveProperty('playback');
    expect(forOthers.status).toBe(404);
    expect(forOthers.body).toMatchObject({ type: 'urn:clipiq:problem:not-found', status: 404 });
  });

  it('tells the owner why an upload was rejected', async () => {
    // Prepare
    const owner = await createUser({ role: 'creator' });
    const id = await uploadVideo(owner, await loadMediaFixture('image.png'));

    // Act
    const response = await get(id, owner.accessToken);

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id, status: 'rejected', rejectionReason: 'not_a_video' });
    expect(response.body).not.toHaveProperty('playback');
  });

  it.each([
    { case: 'an unknown id', id: crypto.randomUUID(), status: 404, slug: 'not-found' },
    { case: 'a malformed id', id: 'not-a-uuid', status: 400, slug: 'invalid-request' },
  ])('answers $status for $case', async ({ id, status, slug }) => {
    // Act
    const response = await get(id);

    // Assess
    expectProblem(response, status, { slug });
  });
});

describe('DELETE /videos/{id}', () => {
  it.each([
    { case: 'its owner', caller: (owner: TestUser) => Promise.resolve(owner) },
    { case: 'an admin', caller: () => createUser({ role: 'admin' }) },
  ])('lets $case delete a video with its object and notifications', async ({ caller }) => {
    // Prepare
    const owner = await createUser({ role: 'creator' });
    await subscribe(owner, [await createUser()]);
    const id = await uploadVideo(owner, await loadSharedSample());
    const { storageKey } = (await storedVideo(id)) ?? { storageKey: '' };

    // Act
    const response = await remove(id, (await caller(owner)).accessToken);

    // Assess
    expect(response.status).toBe(204);
    expect(response.body).toBeUndefined();
    expect(await storedVideo(id)).toBeUndefined();
    expect(await sql`select 1 from notifications where video_id = ${id}`).toHaveLength(0);
    expect(await objectExists(storageKey)).toBe(false);
  });

  it('answers 404 to another creator and changes nothing', async () => {
    // Prepare
    const { id } = await readyVideo();
    const before = await storedVideo(id);
    const other = await createUser({ role: 'creator' });

    // Act
    const response = await remove(id, other.accessToken);

    // Assess
    expectProblem(response, 404, { slug: 'not-found', detail: 'No video with this id' });
    expect(await storedVideo(id)).toEqual(before);
    expect(await objectExists(before?.storageKey ?? '')).toBe(true);
  });

  it('answers 401 without a token', async () => {
    // Prepare
    const { id } = await readyVideo();

    // Act
    const response = await remove(id);

    // Assess
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ type: 'urn:clipiq:problem:unauthorized', status: 401 });
    expect((await storedVideo(id))?.status).toBe('ready');
  });

  it('deletes a video whose upload never arrived', async () => {
    // Prepare
    const owner = await createUser({ role: 'creator' });
    const { video } = await requestUpload(owner, { sizeBytes: 1000 });

    // Act
    const response = await remove(video.id, owner.accessToken);

    // Assess
    expect(response.status).toBe(204);
    expect(await storedVideo(video.id)).toBeUndefined();
  });

  it('answers 503 and keeps the video when storage cannot delete the object', async () => {
    // Prepare
    const { owner, id } = await readyVideo();
    testStack().emulator.failNextRequests(2, ['DELETE']);

    // Act
    const response = await remove(id, owner.accessToken);

    // Assess
    expectProblem(response, 503, { slug: 'unavailable' });
    expect((await storedVideo(id))?.status).toBe('ready');
  });
});
