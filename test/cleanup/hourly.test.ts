import { CreateMultipartUploadCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import type { ScheduledEvent } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';

// Configuration is read once at import: a small threshold gives multipart uploads without big files.
vi.hoisted(() => {
  process.env.MULTIPART_THRESHOLD_BYTES = String(1024 * 1024);
});

import { handler as hourlyCleanUp } from '#functions/cleanup/hourly.ts';
import { sql } from '#lib/db.ts';
import { createUser, createVideo } from '../support/factories.ts';
import { lambdaContext } from '../support/lambda.ts';
import { loadSharedSample } from '../support/media-fixtures.ts';
import { TEST_BUCKET, testStack } from '../support/stack.ts';
import { objectExists, putObjectBeforeItsRow, storageClient } from '../support/storage-objects.ts';
import { type MultipartUpload, putUpload, requestUpload, uploadVideo } from '../support/upload-factories.ts';
import { storedVideo } from '../support/video-rows.ts';

const HOUR = 60 * 60 * 1000;

const tick = (time: Date): ScheduledEvent => ({
  version: '0',
  id: crypto.randomUUID(),
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '000000000000',
  time: time.toISOString(),
  region: 'us-east-1',
  resources: ['arn:aws:events:us-east-1:000000000000:rule/clipiq-cleanup'],
  detail: {},
});

const openUploads = async () =>
  (await storageClient().send(new ListMultipartUploadsCommand({ Bucket: TEST_BUCKET, Prefix: 'uploads/' })))
    .Uploads ?? [];

/** Uploads bytes whose storage event fails every delivery: `failing` names the requests storage refuses. */
async function uploadWithLostEvent(creator: { accessToken: string }, failing: string[], title?: string) {
  const sample = await loadSharedSample();
  const { video, upload } = await requestUpload(creator, { sizeBytes: sample.byteLength, title });
  testStack().emulator.failNextRequests(6, failing);
  expect((await putUpload(upload, sample)).status).toBe(200);
  await testStack().storageEventsSettled();
  testStack().emulator.failNextRequests(0);
  return video.id;
}

describe('the hourly clean-up of pending uploads', () => {
  it('expires uploads older than 24 h, aborting their multipart uploads', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const single = await requestUpload(creator, { sizeBytes: 1000 });
    const multipart = await requestUpload(creator, { sizeBytes: 2 * 1024 * 1024 });
    expect(multipart.upload.method).toBe('MULTIPART');

    // Act
    const summary = await hourlyCleanUp(tick(new Date(Date.now() + 25 * HOUR)), lambdaContext());

    // Assess
    expect(summary).toMatchObject({ expired: 2 });
    expect(await storedVideo(single.video.id)).toBeUndefined();
    expect(await storedVideo(multipart.video.id)).toBeUndefined();
    expect(await openUploads()).toEqual([]);
  });

  it('leaves uploads younger than 24 h and finished videos alone', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const pending = await requestUpload<MultipartUpload>(creator, { sizeBytes: 2 * 1024 * 1024 });
    const finished = await createVideo(creator, { createdAt: new Date(Date.now() - 100 * HOUR) });
    const rejected = await createVideo(creator, {
      status: 'rejected',
      createdAt: new Date(Date.now() - 100 * HOUR),
    });

    // Act
    const summary = await hourlyCleanUp(tick(new Date(Date.now() + 23 * HOUR)), lambdaContext());

    // Assess
    expect(summary).toEqual({
      viewMarksPruned: 0,
      rateLimitWindowsPruned: 0,
      connectionsPruned: 0,
      ticketsPruned: 0,
      idempotencyKeysForgotten: 0,
      expired: 0,
      ingested: 0,
      abortedUploads: 0,
      gaveUp: 0,
      mediaUnitsRedriven: 0,
      mediaGivenUp: 0,
      mediaUnitsStarted: 0,
      orphansDeleted: 0,
      failed: 0,
    });
    expect((await storedVideo(pending.video.id))?.status).toBe('awaiting_upload');
    expect((await storedVideo(finished.id))?.status).toBe('ready');
    expect((await storedVideo(rejected.id))?.status).toBe('rejected');
    expect((await openUploads()).map((upload) => upload.UploadId)).toContain(pending.upload.uploadId);
  });

  it('ingests an upload that arrived but whose storage event was lost, instead of expiring it', async () => {
    // Prepare: every delivery failed before the video was claimed.
    const creator = await createUser({ role: 'creator' });
    const videoId = await uploadWithLostEvent(creator, ['HEAD']);
    expect((await storedVideo(videoId))?.status).toBe('awaiting_upload');

    // Act
    const summary = await hourlyCleanUp(tick(new Date(Date.now() + 25 * HOUR)), lambdaContext());
    await testStack().storageEventsSettled();

    // Assess: expiring ingests it; judged a day later, the same run finds it processing with no media plan yet and
    // ingests it once more, which changes nothing (its plan is made once).
    expect(summary).toMatchObject({ ingested: 2 });
    expect(await sql`select 1 from media_units where video_id = ${videoId} and kind = 'poster'`).toHaveLength(
      1,
    );
    expect(await storedVideo(videoId)).toMatchObject({ status: 'ready', durationSeconds: 2 });
  });

  it('ingests again a video stuck in processing after its deliveries failed', async () => {
    // Prepare: every delivery failed after the video was claimed.
    const creator = await createUser({ role: 'creator' });
    const videoId = await uploadWithLostEvent(creator, ['GET']);
    expect((await storedVideo(videoId))?.status).toBe('processing');

    // Act
    const summary = await hourlyCleanUp(tick(new Date(Date.now() + 20 * 60 * 1000)), lambdaContext());
    await testStack().storageEventsSettled();

    // Assess
    expect(summary).toMatchObject({ ingested: 1, expired: 0 });
    expect(await storedVideo(videoId)).toMatchObject({ status: 'ready', width: 320, height: 240 });
  });

  it('aborts orphaned multipart uploads that no video points to', async () => {
    // Prepare
    await storageClient().send(
      new CreateMultipartUploadCommand({
        Bucket: TEST_BUCKET,
        Key: `uploads/${crypto.randomUUID()}/orphan.mp4`,
      }),
    );
    expect(await openUploads()).not.toEqual([]);

    // Act
    const summary = await hourlyCleanUp(tick(new Date(Date.now() + 25 * HOUR)), lambdaContext());

    // Assess
    expect(summary.abortedUploads).toBeGreaterThanOrEqual(1);
    expect(await openUploads()).toEqual([]);
  });

  it('prunes view marks and rate-limit windows older than an hour and Idempotency-Keys older than a day, and keeps the current ones', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const video = await createVideo(creator);
    const viewer = (byte: number) => Buffer.alloc(32, byte);
    await sql`insert into video_views (video_id, viewer_hash, counted_at) values
      (${video.id}, ${viewer(1)}, now() - interval '2 hours'), (${video.id}, ${viewer(2)}, now())`;
    await sql`insert into rate_limit_windows (bucket_key, window_start, hits) values
      ('api:ip:198.51.100.1', now() - interval '2 hours', 3), ('api:ip:198.51.100.1', now(), 1)`;
    await sql`insert into video_create_requests (user_id, idempotency_key, request_hash, created_at) values
      (${creator.id}, 'old', 'h', now() - interval '25 hours'), (${creator.id}, 'new', 'h', now())`;

    // Act
    const summary = await hourlyCleanUp(tick(new Date()), lambdaContext());

    // Assess
    expect(summary).toMatchObject({
      viewMarksPruned: 1,
      rateLimitWindowsPruned: 1,
      idempotencyKeysForgotten: 1,
    });
    expect(
      await sql`select idempotency_key from video_create_requests where user_id = ${creator.id}`,
    ).toEqual([{ idempotencyKey: 'new' }]);
    expect(await sql`select 1 from video_views where video_id = ${video.id}`).toHaveLength(1);
    expect(await sql`select 1 from rate_limit_windows where bucket_key = 'api:ip:198.51.100.1'`).toHaveLength(
      1,
    );
  });

  it('prunes WebSocket connections older than API Gateway’s two hours and lapsed tickets, and keeps the others', async () => {
    // Prepare
    const user = await createUser();
    await sql`insert into realtime_connections (connection_id, user_id, connected_at) values
      ('lost-disconnect', ${user.id}, now() - interval '121 minutes'), ('open', ${user.id}, now() - interval '1 hour')`;
    await sql`insert into realtime_tickets (ticket_hash, user_id, expires_at) values
      (${Buffer.alloc(32, 1)}, ${user.id}, now() - interval '1 second'), (${Buffer.alloc(32, 2)}, ${user.id}, now() + interval '1 minute')`;

    // Act
    const summary = await hourlyCleanUp(tick(new Date()), lambdaContext());

    // Assess
    expect(summary).toMatchObject({ connectionsPruned: 1, ticketsPruned: 1, failed: 0 });
    expect(await sql`select connection_id from realtime_connections where user_id = ${user.id}`).toEqual([
      { connectionId: 'open' },
    ]);
    expect(await sql`select 1 from realtime_tickets where user_id = ${user.id}`).toHaveLength(1);
  });

  it('keeps going past a video whose ingest always fails: prunes first, ingests the others, counts the failure', async () => {
    // Prepare: saving this video as ready fails (as a header overflowing a column did), every delivery included.
    await refuseToMakeReady('Unsaveable');
    const creator = await createUser({ role: 'creator' });
    const poisoned = await uploadVideo(creator, await loadSharedSample(), { title: 'Unsaveable' });
    const stuck = await uploadWithLostEvent(creator, ['GET']);
    const video = await createVideo(creator);
    await sql`insert into video_views (video_id, viewer_hash, counted_at)
      values (${video.id}, ${Buffer.alloc(32, 1)}, now() - interval '2 hours')`;

    // Act
    const summary = await hourlyCleanUp(tick(new Date(Date.now() + 20 * 60 * 1000)), lambdaContext());
    await testStack().storageEventsSettled();

    // Assess
    expect(summary).toMatchObject({ viewMarksPruned: 1, ingested: 1, failed: 1 });
    expect((await storedVideo(poisoned))?.status).toBe('processing');
    expect((await storedVideo(stuck))?.status).toBe('ready');
  });

  it('rejects a video as processing_failed after five failed ingests, and keeps its original', async () => {
    // Prepare: three failed deliveries, then each clean-up run tries once more.
    await refuseToMakeReady('Never ready');
    const creator = await createUser({ role: 'creator' });
    const videoId = await uploadVideo(creator, await loadSharedSample(), { title: 'Never ready' });
    const later = () => tick(new Date(Date.now() + 20 * 60 * 1000));

    // Act
    const statuses = [];
    for (let run = 0; run < 3; run++) {
      await hourlyCleanUp(later(), lambdaContext());
      statuses.push((await storedVideo(videoId))?.status);
    }

    // Assess
    expect(statuses).toEqual(['processing', 'processing', 'rejected']);
    const video = await storedVideo(videoId);
    expect(video).toMatchObject({ status: 'rejected', rejectionReason: 'processing_failed' });
    expect(await objectExists(video?.storageKey ?? '')).toBe(true);
  });

  it('deletes objects no video keeps once older than the upload URL lifetime, and keeps the others', async () => {
    // Prepare: an orphan whose own storage event was lost, and a ready video's object.
    const creator = await createUser({ role: 'creator' });
    const sample = await loadSharedSample();
    const orphan = `uploads/${creator.id}/${crypto.randomUUID()}/orphan.mp4`;
    await putObjectBeforeItsRow(orphan, sample);
    const ready = await storedVideo(await uploadVideo(creator, sample));

    // Act
    const early = await hourlyCleanUp(tick(new Date(Date.now() + 5 * 60 * 1000)), lambdaContext());
    const orphanAfterEarlyRun = await objectExists(orphan);
    const late = await hourlyCleanUp(tick(new Date(Date.now() + HOUR)), lambdaContext());

    // Assess
    expect(early.orphansDeleted).toBe(0);
    expect(orphanAfterEarlyRun).toBe(true);
    expect(late.orphansDeleted).toBe(1);
    expect(await objectExists(orphan)).toBe(false);
    expect(await objectExists(ready?.storageKey ?? '')).toBe(true);
  });
});

/** Makes saving a video titled `title` as ready fail in the database, as a value overflowing its column would. */
async function refuseToMakeReady(title: string) {
  await sql`
    create or replace function refuse_to_make_ready() returns trigger language plpgsql as $$
    begin raise exception 'this video cannot be saved as ready'; end $$
  `;
  await sql.unsafe(`
    create trigger refuse_to_make_ready_${title.replace(/\W/g, '_')} before update on videos for each row
    when (new.size_bytes is not null and old.size_bytes is null and new.title = '${title}')
    execute function refuse_to_make_ready()
  `);
}
