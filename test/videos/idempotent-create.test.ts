import { describe, expect, it, vi } from 'vitest';

// Concurrent duplicates must really run in parallel transactions.
vi.hoisted(async () => (await import('../support/parallel-connections.ts')).useParallelConnections());

import { handler as createVideoHandler } from '#functions/videos/create.ts';
import { sql } from '#lib/db.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { createUser, type TestUser } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';

const body = { title: 'A clip', fileName: 'clip.mp4', contentType: 'video/mp4', sizeBytes: 17_834 };

const create = (creator: TestUser, key: string | undefined, request: Record<string, unknown> = body) =>
  callApi<{ video: { id: string }; upload: { url: string } }>(createVideoHandler, {
    method: 'POST',
    path: '/api/v1/videos',
    token: creator.accessToken,
    body: request,
    ...(key === undefined ? {} : { headers: { 'idempotency-key': key } }),
  });

const videoCount = async (owner: TestUser) => {
  const [row] = await sql<
    { count: number }[]
  >`select count(*)::int as count from videos where owner_id = ${owner.id}`;
  return row?.count;
};

describe('POST /videos with an Idempotency-Key', () => {
  it('answers the same key and body with the first answer, and creates one video', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });

    // Act
    const first = await create(creator, 'upload-7f3a');
    const again = await create(creator, 'upload-7f3a', { ...body });

    // Assess
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(await videoCount(creator)).toBe(1);
  });

  it('answers 422 to the same key with another body, creating nothing', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    await create(creator, 'upload-1');

    // Act
    const response = await create(creator, 'upload-1', { ...body, title: 'Another clip' });

    // Assess
    expectProblem(response, 422, { slug: 'idempotency-key-reused' });
    expect(await videoCount(creator)).toBe(1);
  });

  it('creates one video for concurrent duplicates: the others get its answer or 409 to retry', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });

    // Act
    const responses = await Promise.all(Array.from({ length: 6 }, () => create(creator, 'same-key')));

    // Assess
    expect(await videoCount(creator)).toBe(1);
    const created = responses.filter((response) => response.status === 201);
    expect(created.length).toBeGreaterThan(0);
    expect(new Set(created.map((response) => response.body.video.id)).size).toBe(1);
    for (const response of responses.filter((each) => each.status !== 201)) expectProblem(response, 409);
  });

  it('keys per user: another user’s same key creates their own video', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const other = await createUser({ role: 'creator' });
    const first = await create(creator, 'shared-key');

    // Act
    const response = await create(other, 'shared-key');

    // Assess
    expect(response.status).toBe(201);
    expect(response.body.video.id).not.toBe(first.body.video.id);
    expect(await videoCount(other)).toBe(1);
  });

  it('forgets a key after 24 hours', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const first = await create(creator, 'old-key');
    await sql`update video_create_requests set created_at = now() - interval '25 hours' where user_id = ${creator.id}`;

    // Act
    const response = await create(creator, 'old-key', { ...body, title: 'A new clip' });

    // Assess
    expect(response.status).toBe(201);
    expect(response.body.video.id).not.toBe(first.body.video.id);
  });

  it('frees the key of a request that failed, so its retry creates the video', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    await sql`update users set storage_limit_bytes = 0 where id = ${creator.id}`;
    const refused = await create(creator, 'retry-me');
    await sql`update users set storage_limit_bytes = null where id = ${creator.id}`;

    // Act
    const response = await create(creator, 'retry-me');

    // Assess
    expectProblem(refused, 403, { slug: 'storage-quota' });
    expect(response.status).toBe(201);
  });

  it('creates a video for every request without a key', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });

    // Act
    await create(creator, undefined);
    await create(creator, undefined);

    // Assess
    expect(await videoCount(creator)).toBe(2);
  });

  it.each([
    ['an empty key', ''],
    ['a key of 256 characters', 'k'.repeat(256)],
    ['a space', 'two words'],
    ['a non-ASCII character', 'clé'],
  ])('answers 400 to %s, creating nothing', async (_case, key) => {
    // Prepare
    const creator = await createUser({ role: 'creator' });

    // Act
    const response = await create(creator, key);

    // Assess
    expectProblem(response, 400, { paths: ['headers.idempotency-key'] });
    expect(await videoCount(creator)).toBe(0);
  });
});
