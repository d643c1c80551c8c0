import { describe, expect, it, vi } from 'vitest';

// Configuration is read once at import: a 1 MiB threshold gives multipart uploads without big files, and a pool
// of connections lets simultaneous deliveries really race.
vi.hoisted(async () => {
  process.env.MULTIPART_THRESHOLD_BYTES = String(1024 * 1024);
  (await import('../support/parallel-connections.ts')).useParallelConnections();
});

import { handler as ingest } from '#functions/ingest/on-object-created.ts';
import { sql } from '#lib/db.ts';
import { expireStaleUploads } from '#lib/videos/unfinished-uploads.ts';
import { createUser, createVideo, subscribe } from '../support/factories.ts';
import { callRoute, findRoute, serviceRoutes } from '../support/fuzz-routes.ts';
import { storedDataDigest } from '../support/fuzz-world.ts';
import { lambdaContext } from '../support/lambda.ts';
import { loadSharedSample } from '../support/media-fixtures.ts';
import { testStack } from '../support/stack.ts';
import { objectCreatedEvent, objectExists, putObjectBeforeItsRow } from '../support/storage-objects.ts';
import { type MultipartUpload, requestUpload, uploadVideo } from '../support/upload-factories.ts';
import { insertPendingVideo, notifiedRecipients, storedVideo } from '../support/video-rows.ts';

const routes = await serviceRoutes();
const route = (name: string) => findRoute(routes, name);
const DAY = 24 * 60 * 60 * 1000;

/** The storage event the bridge delivered last (the one of the upload just made). */
function lastDeliveredEvent() {
  const event = testStack().deliveredEvents.at(-1);
  if (!event) throw new Error('no storage event was delivered');
  return event;
}

describe('late storage events', () => {
  it('changes nothing when the event of a deleted video arrives again', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    await subscribe(creator, [await createUser()]);
    const videoId = await uploadVideo(creator, await loadSharedSample());
    const event = lastDeliveredEvent();
    const { storageKey } = (await storedVideo(videoId)) ?? { storageKey: '' };
    const deleted = await callRoute(
      route('DELETE /api/v1/videos/{id}'),
      { id: videoId },
      { token: creator.accessToken },
    );
    const before = await storedDataDigest();

    // Act
    await ingest(event, lambdaContext());

    // Assess
    expect(deleted.status).toBe(204);
    expect(await storedDataDigest()).toBe(before);
    expect(await objectExists(storageKey)).toBe(false);
  });

  it('ignores bytes that arrive through an unexpired URL after their video was deleted', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const sample = await loadSharedSample();
    const { video, upload } = await requestUpload(creator, { sizeBytes: sample.byteLength });
    await callRoute(route('DELETE /api/v1/videos/{id}'), { id: video.id }, { token: creator.accessToken });
    const before = await storedDataDigest();

    // Act
    const put = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: sample });
    await testStack().storageEventsSettled();

    // Assess: the delivery succeeded (no retry storm) and no row came back.
    expect(put.status).toBe(200);
    expect(await storedDataDigest()).toBe(before);
  });

  it('changes nothing when an event arrives after the clean-up expired its video', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const stale = await createVideo(creator, {
      status: 'awaiting_upload',
      createdAt: new Date(Date.now() - 2 * DAY),
    });
    const summary = await expireStaleUploads(new Date());
    const before = await storedDataDigest();

    // Act
    await ingest(objectCreatedEvent(stale.storageKey, 'ObjectCreated:Put', 17_834), lambdaContext());

    // Assess
    expect(summary.expired).toBeGreaterThanOrEqual(1);
    expect(await storedVideo(stale.id)).toBeUndefined();
    expect(await storedDataDigest()).toBe(before);
  });

  it('changes nothing when a CompleteMultipartUpload event arrives after the upload was aborted', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const { video, upload } = await requestUpload<MultipartUpload>(creator, { sizeBytes: 2 * 1024 * 1024 });
    const aborted = await callRoute(
      route('DELETE /api/v1/videos/{id}/multipart/{uploadId}'),
      { id: video.id, uploadId: upload.uploadId },
      { token: creator.accessToken },
    );
    const before = await storedDataDigest();

    // Act
    for (const name of [
      'ObjectCreated:CompleteMultipartUpload',
      's3:ObjectCreated:CompleteMultipartUpload',
    ]) {
      await ingest(objectCreatedEvent(upload.key, name, 2 * 1024 * 1024), lambdaContext());
    }

    // Assess
    expect(aborted.status).toBe(204);
    expect(await storedDataDigest()).toBe(before);
    expect(await storedVideo(video.id)).toMatchObject({ status: 'awaiting_upload', multipartUploadId: null });
  });
});

describe('reordered and duplicated storage events', () => {
  it('announces nothing when an old event is redelivered after the video went private or gained subscribers', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const early = await createUser();
    await subscribe(creator, [early]);
    const videoId = await uploadVideo(creator, await loadSharedSample());
    const event = lastDeliveredEvent();
    await subscribe(creator, [await createUser()]);
    const edit = await callRoute(
      route('PATCH /api/v1/videos/{id}'),
      { id: videoId },
      {
        token: creator.accessToken,
        body: { visibility: 'private' },
      },
    );
    const before = await storedDataDigest();

    // Act
    await ingest(event, lambdaContext());

    // Assess
    expect(edit.status).toBe(200);
    expect(await storedDataDigest()).toBe(before);
    expect(await notifiedRecipients(videoId)).toEqual([early.id]);
  });

  it('makes a video ready once when three first deliveries of its event race, notifying each subscriber once', async () => {
    // Prepare: the object lands before its row, and every delivery of the emulator's own event fails.
    const creator = await createUser({ role: 'creator' });
    const fans = [await createUser(), await createUser()];
    await subscribe(creator, fans);
    const sample = await loadSharedSample();
    const key = `uploads/${creator.id}/${crypto.randomUUID()}/clip.mp4`;
    await putObjectBeforeItsRow(key, sample);
    const videoId = await insertPendingVideo(creator, key, { sizeBytes: sample.byteLength });
    const event = objectCreatedEvent(key, 'ObjectCreated:Put', sample.byteLength);

    // Act
    await Promise.all([1, 2, 3].map(() => ingest(event, lambdaContext())));
    await testStack().storageEventsSettled();

    // Assess
    expect(await storedVideo(videoId)).toMatchObject({ status: 'ready', width: 320, height: 240 });
    expect(await notifiedRecipients(videoId)).toEqual(fans.map((fan) => fan.id).sort());
    const [{ count } = { count: 0 }] = await sql<{ count: number }[]>`
      select count(*)::int as count from notifications where video_id = ${videoId}
    `;
    expect(count).toBe(2);
  });
});
