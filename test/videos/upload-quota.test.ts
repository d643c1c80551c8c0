import { describe, expect, it, vi } from 'vitest';

// Parallel creates must really run in parallel transactions to race for the last bytes of a quota.
vi.hoisted(async () => (await import('../support/parallel-connections.ts')).useParallelConnections());

import { handler as setRoleHandler } from '#functions/users/set-role.ts';
import { handler as createVideoHandler } from '#functions/videos/create.ts';
import { handler as deleteVideoHandler } from '#functions/videos/delete.ts';
import { handler as getUsageHandler } from '#functions/videos/get-usage.ts';
import { sql } from '#lib/db.ts';
import { expireStaleUploads } from '#lib/videos/unfinished-uploads.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { createUser, type TestUser } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';
import { loadMediaFixture } from '../support/media-fixtures.ts';
import { expectMatchesOperation } from '../support/openapi-assert.ts';
import { testStack } from '../support/stack.ts';
import { requestUpload } from '../support/upload-factories.ts';
import { storedVideo } from '../support/video-rows.ts';

const SIZE = 17_834;
const GiB = 1024 ** 3;

const create = (creator: TestUser, sizeBytes = SIZE, title = 'A clip') =>
  callApi<{ video: { id: string } }>(createVideoHandler, {
    method: 'POST',
    path: '/api/v1/videos',
    token: creator.accessToken,
    body: { title, fileName: 'clip.mp4', contentType: 'video/mp4', sizeBytes },
  });

const usage = (caller: { accessToken?: string }) =>
  callApi<{
    storage: { usedBytes: number; limitBytes: number };
    daily: { usedBytes: number; limitBytes: number; resetsAt: string };
    largest: { id: string; title: string; sizeBytes: number }[];
  }>(getUsageHandler, {
    path: '/api/v1/users/me/usage',
    ...(caller.accessToken ? { token: caller.accessToken } : {}),
  });

async function setQuotas(user: TestUser, quotas: { storage?: number; daily?: number }) {
  await sql`
    update users set storage_limit_bytes = ${quotas.storage ?? null}, daily_upload_limit_bytes = ${quotas.daily ?? null}
    where id = ${user.id}
  `;
}

const nextUtcMidnight = () => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)).toISOString();
};

describe('upload quotas', () => {
  it('refuses a video that does not fit the storage quota with 403 storage-quota, and stores nothing', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    await setQuotas(creator, { storage: SIZE + 100 });
    await requestUpload(creator, { sizeBytes: SIZE });

    // Act
    const response = await create(creator, 101);

    // Assess
    expectProblem(response, 403, {
      slug: 'storage-quota',
      fields: { limitBytes: SIZE + 100, usedBytes: SIZE },
    });
    const [{ count } = { count: -1 }] = await sql<{ count: number }[]>`
      select count(*)::int as count from videos where owner_id = ${creator.id}
    `;
    expect(count).toBe(1);
  });

  it('refuses a video over the day’s upload quota with 403 daily-upload-quota and when it resets', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    await setQuotas(creator, { daily: 2 * SIZE });
    await requestUpload(creator, { sizeBytes: SIZE });

    // Act
    const fits = await create(creator, SIZE);
    const refused = await create(creator, 1);

    // Assess
    expect(fits.status).toBe(201);
    expectProblem(refused, 403, {
      slug: 'daily-upload-quota',
      fields: { limitBytes: 2 * SIZE, usedBytes: 2 * SIZE, resetsAt: nextUtcMidnight() },
    });
  });

  it('keeps the 413 of the size limit apart from the quota’s 403', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    await setQuotas(creator, { storage: 1 });

    // Act
    const response = await create(creator, 6 * GiB);

    // Assess
    expectProblem(response, 413, { slug: 'too-large' });
  });

  it('lets only as many parallel creates through as fit: the quota is checked and reserved in one locked step', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    await setQuotas(creator, { storage: 2 * SIZE + SIZE / 2 });

    // Act
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, index) => create(creator, SIZE, `Race ${index}`)),
    );

    // Assess
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([201, 201, 403, 403, 403, 403]);
    expect((await usage(creator)).body.storage).toEqual({
      usedBytes: 2 * SIZE,
      limitBytes: 2 * SIZE + SIZE / 2,
    });
  });

  it('lets an admin raise one user’s quota through PATCH /admin/users/{id}', async () => {
    // Prepare
    const admin = await createUser({ role: 'admin' });
    const creator = await createUser({ role: 'creator' });
    await setQuotas(creator, { storage: 10 });
    expect((await create(creator)).status).toBe(403);

    // Act
    const raised = await callApi(setRoleHandler, {
      method: 'PATCH',
      path: `/api/v1/admin/users/${creator.id}`,
      pathParameters: { id: creator.id },
      token: admin.accessToken,
      body: { storageLimitBytes: SIZE },
    });
    const response = await create(creator);

    // Assess
    expect(raised.status).toBe(200);
    expect(response.status).toBe(201);
  });

  it('gives the bytes back when the video is deleted', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const { video } = await requestUpload(creator, { sizeBytes: SIZE });
    const before = (await usage(creator)).body;

    // Act
    const deleted = await callApi(deleteVideoHandler, {
      method: 'DELETE',
      path: `/api/v1/videos/${video.id}`,
      pathParameters: { id: video.id },
      token: creator.accessToken,
    });

    // Assess
    expect(deleted.status).toBe(204);
    expect([before.storage.usedBytes, before.daily.usedBytes]).toEqual([SIZE, SIZE]);
    const after = (await usage(creator)).body;
    expect([after.storage.usedBytes, after.daily.usedBytes]).toEqual([0, 0]);
  });

  it('gives the bytes back when ingest rejects the upload', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const image = await loadMediaFixture('image.png');
    const { video, upload } = await requestUpload(creator, { sizeBytes: image.byteLength });

    // Act
    await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: image });
    await testStack().storageEventsSettled();

    // Assess
    expect(await storedVideo(video.id)).toMatchObject({ status: 'rejected', rejectionReason: 'not_a_video' });
    const after = (await usage(creator)).body;
    expect([after.storage.usedBytes, after.daily.usedBytes]).toEqual([0, 0]);
  });

  it('gives the bytes back when the clean-up expires an upload that never came', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const { video } = await requestUpload(creator, { sizeBytes: SIZE });
    await sql`update videos set created_at = now() - interval '25 hours' where id = ${video.id}`;

    // Act
    await expireStaleUploads(new Date());

    // Assess
    expect(await storedVideo(video.id)).toBeUndefined();
    expect((await usage(creator)).body.storage.usedBytes).toBe(0);
  });
});

describe('GET /users/me/usage', () => {
  it('shows the caller’s storage and daily usage against the defaults, and their largest videos first', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const other = await createUser({ role: 'creator' });
    const sizes = [5_000, 90_000, 12_000];
    const ids: string[] = [];
    for (const [index, sizeBytes] of sizes.entries())
      ids.push((await requestUpload(creator, { sizeBytes, title: `Clip ${index}` })).video.id);
    await requestUpload(other, { sizeBytes: 1_000_000 });
    await sql`update videos set status = 'rejected', rejection_reason = 'not_a_video' where id = ${ids[2] ?? ''}`;

    // Act
    const response = await usage(creator);

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      storage: { usedBytes: 95_000, limitBytes: 100 * GiB },
      daily: { usedBytes: 95_000, limitBytes: 20 * GiB, resetsAt: nextUtcMidnight() },
      largest: [
        { id: ids[1], title: 'Clip 1', sizeBytes: 90_000 },
        { id: ids[0], title: 'Clip 0', sizeBytes: 5_000 },
      ],
    });
    await expectMatchesOperation('GET', '/api/v1/users/me/usage', response);
  });

  it('lists at most 10 videos', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    for (let index = 1; index <= 11; index++) await requestUpload(creator, { sizeBytes: index * 1_000 });

    // Act
    const response = await usage(creator);

    // Assess
    expect(response.body.largest.map((video) => video.sizeBytes)).toEqual(
      Array.from({ length: 10 }, (_, index) => (11 - index) * 1_000),
    );
  });

  it.each([
    { case: 'a viewer, who has nothing', role: 'viewer' as const },
    { case: 'an admin, who sees only their own', role: 'admin' as const },
  ])('shows $case', async ({ role }) => {
    // Prepare
    const caller = await createUser({ role });
    await requestUpload(await createUser({ role: 'creator' }), { sizeBytes: SIZE });

    // Act
    const response = await usage(caller);

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ storage: { usedBytes: 0 }, daily: { usedBytes: 0 }, largest: [] });
  });

  it('answers 401 to an anonymous caller', async () => {
    // Act
    const response = await usage({});

    // Assess
    expectProblem(response, 401);
  });
});
