import { afterEach, describe, expect, it, vi } from 'vitest';

// Configuration is read once at import: a 1 MiB threshold gives multipart uploads without big files.
vi.hoisted(() => {
  process.env.MULTIPART_THRESHOLD_BYTES = String(1024 * 1024);
});

import { handler as ingest } from '#functions/ingest/on-object-created.ts';
import { expireStaleUploads } from '#lib/videos/unfinished-uploads.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { createUser, createVideo } from '../support/factories.ts';
import { callRoute, findRoute, serviceRoutes } from '../support/fuzz-routes.ts';
import { storedDataDigest } from '../support/fuzz-world.ts';
import { lambdaContext } from '../support/lambda.ts';
import { loadSharedSample } from '../support/media-fixtures.ts';
import { testStack } from '../support/stack.ts';
import { objectCreatedEvent, putObjectBeforeItsRow } from '../support/storage-objects.ts';
import { type MultipartUpload, requestUpload } from '../support/upload-factories.ts';
import { insertPendingVideo, storedVideo } from '../support/video-rows.ts';

const routes = await serviceRoutes();
const route = (name: string) => findRoute(routes, name);
/** Storage refuses the next `operations` calls of these methods (the S3 client makes two attempts at each). */
const storageDown = (operations: number, methods: string[]) =>
  testStack().emulator.failNextRequests(2 * operations, methods);

afterEach(() => {
  testStack().emulator.failNextRequests(0);
});

describe('storage down: the upload routes', () => {
  it('answers 503 to creating a multipart upload, storing nothing, and 201 once storage is back', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const create = route('POST /api/v1/videos');
    const body = { title: 'Big', fileName: 'big.mp4', contentType: 'video/mp4', sizeBytes: 2 * 1024 * 1024 };
    const before = await storedDataDigest();

    // Act
    storageDown(1, ['POST']);
    const during = await callRoute(create, {}, { token: creator.accessToken, body });
    const unchanged = await storedDataDigest();
    const after = await callRoute(create, {}, { token: creator.accessToken, body });

    // Assess
    expectProblem(during, 503, { slug: 'unavailable' });
    expect(during.headers['retry-after']).toBe('5');
    expect(unchanged).toBe(before);
    expect(after.status).toBe(201);
  });

  it.each([
    ['GET /api/v1/videos/{id}/multipart/{uploadId}/parts', 'GET', undefined],
    [
      'POST /api/v1/videos/{id}/multipart/{uploadId}/complete',
      'GET',
      { parts: [{ PartNumber: 1, ETag: '"e"' }] },
    ],
    ['DELETE /api/v1/videos/{id}/multipart/{uploadId}', 'DELETE', undefined],
  ] as const)(
    '%s answers 503 while storage refuses %s, keeping the upload, then works',
    async (name, method, body) => {
      // Prepare
      const creator = await createUser({ role: 'creator' });
      const { video, upload } = await requestUpload<MultipartUpload>(creator, { sizeBytes: 2 * 1024 * 1024 });
      const values = { id: video.id, uploadId: upload.uploadId };
      const before = await storedDataDigest();

      // Act
      storageDown(1, [method]);
      const during = await callRoute(route(name), values, { token: creator.accessToken, body });
      const unchanged = await storedDataDigest();
      const after = await callRoute(route(name), values, { token: creator.accessToken, body });

      // Assess
      expectProblem(during, 503, { slug: 'unavailable' });
      expect(unchanged).toBe(before);
      expect(after.status).toBeLessThan(500);
      expect(after.status).not.toBe(404);
    },
  );

  it('still signs part and playback URLs while storage is down: signing needs no call to it', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const { video, upload } = await requestUpload<MultipartUpload>(creator, { sizeBytes: 2 * 1024 * 1024 });
    const ready = await createVideo(creator);

    // Act
    storageDown(5, []);
    const part = await callRoute(
      route('GET /api/v1/videos/{id}/multipart/{uploadId}/parts/{partNumber}'),
      { id: video.id, uploadId: upload.uploadId, partNumber: '1' },
      { token: creator.accessToken },
    );
    const playback = await callRoute(route('GET /api/v1/videos/{id}'), { id: ready.id });

    // Assess
    expect(part.status).toBe(200);
    expect(playback.status).toBe(200);
    expect(playback.body.playback).toMatchObject({ url: expect.stringContaining('X-Amz-Signature=') });
  });
});

describe('storage down: ingest and clean-up', () => {
  it('ingests the other objects of an event, then throws so Lambda retries the one storage refused', async () => {
    // Prepare: two objects that landed before their rows, the emulator's own events failing every delivery.
    const creator = await createUser({ role: 'creator' });
    const sample = await loadSharedSample();
    const keys = [1, 2].map(() => `uploads/${creator.id}/${crypto.randomUUID()}/clip.mp4`);
    for (const key of keys) await putObjectBeforeItsRow(key, sample);
    const ids = [];
    for (const key of keys)
      ids.push(await insertPendingVideo(creator, key, { sizeBytes: sample.byteLength }));
    const event = { Records: keys.flatMap((key) => objectCreatedEvent(key, 'ObjectCreated:Put').Records) };

    // Act
    storageDown(1, ['HEAD']);
    const first = ingest(event, lambdaContext());
    await expect(first).rejects.toThrow(/1 object\(s\) could not be ingested/);
    const statesAfterFailure = await Promise.all(ids.map(async (id) => (await storedVideo(id))?.status));
    await ingest(event, lambdaContext());
    await testStack().storageEventsSettled();

    // Assess: the accepted one was being processed meanwhile; both end ready.
    expect(statesAfterFailure).toEqual(['awaiting_upload', 'processing']);
    for (const id of ids) expect((await storedVideo(id))?.status).toBe('ready');
  });

  it('counts a failed row without deleting anything when storage is down, and expires it on the next run', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const stale = await createVideo(creator, {
      status: 'awaiting_upload',
      createdAt: new Date(Date.now() - 2 * 24 * 60 * 60 * 1000),
    });

    // Act
    storageDown(1, ['HEAD']);
    const failed = await expireStaleUploads(new Date());
    const survived = await storedVideo(stale.id);
    const retried = await expireStaleUploads(new Date());

    // Assess
    expect(failed).toMatchObject({ expired: 0, failed: 1 });
    expect(survived?.status).toBe('awaiting_upload');
    expect(retried.expired).toBeGreaterThanOrEqual(1);
    expect(await storedVideo(stale.id)).toBeUndefined();
  });
});
