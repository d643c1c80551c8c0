import { describe, expect, it, vi } from 'vitest';
import { handler as recordView } from '#functions/videos/record-view.ts';
import { sql } from '#lib/db.ts';
import { pruneViewMarks } from '#lib/videos/views.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { createUser, createVideo } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';

await vi.hoisted(async () => (await import('../support/parallel-connections.ts')).useParallelConnections());

const view = (id: string, viewer: { token?: string; sourceIp?: string } = {}) =>
  callApi(recordView, {
    method: 'POST',
    path: `/api/v1/videos/${id}/views`,
    pathParameters: { id },
    token: viewer.token,
    sourceIp: viewer.sourceIp,
  });

async function viewCount(id: string) {
  const [row] = await sql<{ viewCount: number }[]>`select view_count from videos where id = ${id}`;
  return row?.viewCount;
}

describe('POST /videos/{id}/views', () => {
  it('counts each viewer once per hour: a signed-in user by account, anyone else by address', async () => {
    // Prepare
    const owner = await createUser({ role: 'creator' });
    const [alice, bob] = [await createUser(), await createUser()];
    const video = await createVideo(owner);

    // Act
    const responses = [
      await view(video.id, { token: alice.accessToken, sourceIp: '198.51.100.1' }),
      await view(video.id, { token: alice.accessToken, sourceIp: '198.51.100.2' }),
      await view(video.id, { token: bob.accessToken }),
      await view(video.id, { sourceIp: '198.51.100.7' }),
      await view(video.id, { sourceIp: '198.51.100.7' }),
      await view(video.id, { sourceIp: '198.51.100.8' }),
    ];

    // Assess
    expect(responses.map((response) => response.status)).toEqual([204, 204, 204, 204, 204, 204]);
    expect(responses[0]?.body).toBeUndefined();
    expect(await viewCount(video.id)).toBe(4);
  });

  it('never stores the client address, only a keyed hash of it', async () => {
    // Prepare
    const video = await createVideo(await createUser({ role: 'creator' }));

    // Act
    await view(video.id, { sourceIp: '198.51.100.77' });

    // Assess
    const marks =
      await sql`select viewer_hash, encode(viewer_hash, 'escape') as text from video_views where video_id = ${video.id}`;
    expect(marks).toHaveLength(1);
    expect(marks[0]?.viewerHash).toHaveLength(32);
    expect(marks[0]?.text).not.toContain('198.51.100.77');
  });

  it('counts the same viewer again once the hour has passed', async () => {
    // Prepare
    const video = await createVideo(await createUser({ role: 'creator' }));
    await view(video.id, { sourceIp: '198.51.100.9' });
    await sql`update video_views set counted_at = now() - interval '61 minutes' where video_id = ${video.id}`;

    // Act
    const response = await view(video.id, { sourceIp: '198.51.100.9' });

    // Assess
    expect(response.status).toBe(204);
    expect(await viewCount(video.id)).toBe(2);
  });

  it('counts simultaneous views of one viewer once, and of many viewers exactly', async () => {
    // Prepare
    const video = await createVideo(await createUser({ role: 'creator' }));
    const addresses = Array.from({ length: 12 }, (_, index) => `192.0.2.${index + 1}`);

    // Act
    const responses = await Promise.all([
      ...Array.from({ length: 8 }, () => view(video.id, { sourceIp: '198.51.100.10' })),
      ...addresses.map((sourceIp) => view(video.id, { sourceIp })),
    ]);

    // Assess
    expect(new Set(responses.map((response) => response.status))).toEqual(new Set([204]));
    expect(await viewCount(video.id)).toBe(13);
  });

  it('counts views of an unlisted video by anyone with its id', async () => {
    // Prepare
    const video = await createVideo(await createUser({ role: 'creator' }), { visibility: 'unlisted' });

    // Act
    const response = await view(video.id);

    // Assess
    expect(response.status).toBe(204);
    expect(await viewCount(video.id)).toBe(1);
  });

  it("answers 404 for someone else's private video, and counts its owner's view", async () => {
    // Prepare
    const owner = await createUser({ role: 'creator' });
    const stranger = await createUser();
    const video = await createVideo(owner, { visibility: 'private' });

    // Act
    const anonymous = await view(video.id);
    const signedIn = await view(video.id, { token: stranger.accessToken });
    const byOwner = await view(video.id, { token: owner.accessToken });

    // Assess
    expectProblem(anonymous, 404, { slug: 'not-found' });
    expectProblem(signedIn, 404, { slug: 'not-found' });
    expect(byOwner.status).toBe(204);
    expect(await viewCount(video.id)).toBe(1);
  });

  it('answers 404 to others and 409 to the owner for a video that is not ready', async () => {
    // Prepare
    const owner = await createUser({ role: 'creator' });
    const video = await createVideo(owner, { status: 'processing' });

    // Act
    const anonymous = await view(video.id);
    const byOwner = await view(video.id, { token: owner.accessToken });

    // Assess
    expectProblem(anonymous, 404);
    expectProblem(byOwner, 409, { slug: 'conflict' });
    expect(await viewCount(video.id)).toBe(0);
  });

  it('answers 404 for a video that does not exist and 400 for a malformed id', async () => {
    // Act
    const missing = await view('6f1c1a52-3c1e-4b7e-9d52-5a0c4f6f4b11');
    const malformed = await view('not-a-video');

    // Assess
    expectProblem(missing, 404);
    expectProblem(malformed, 400, { paths: ['params.id'] });
  });

  it('prunes view marks once they are older than the hour, keeping the recent ones', async () => {
    // Prepare
    const video = await createVideo(await createUser({ role: 'creator' }));
    await view(video.id, { sourceIp: '198.51.100.20' });
    await view(video.id, { sourceIp: '198.51.100.21' });
    await sql`
      update video_views set counted_at = now() - interval '2 hours'
      where video_id = ${video.id} and counted_at = (select min(counted_at) from video_views where video_id = ${video.id})
    `;

    // Act
    const pruned = await pruneViewMarks();

    // Assess
    expect(pruned).toBeGreaterThanOrEqual(1);
    const left = await sql`select 1 from video_views where video_id = ${video.id}`;
    expect(left).toHaveLength(1);
    expect(await viewCount(video.id)).toBe(2);
  });
});
