import { CreateMultipartUploadCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import type { ScheduledEvent } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';

// Configuration is read once at import: a small threshold gives multipart uploads without big files.
vi.hoisted(() => {
  process.env.MULTIPART_THRESHOLD_BYTES = String(1024 * 1024);
});

import { sql } from '#lib/db.ts';
import { handler as expireUploads } from '../../functions/cleanup/expire-uploads.ts';
import { createUser, createVideo } from '../support/factories.ts';
import { lambdaContext } from '../support/lambda.ts';
import { loadSharedSample } from '../support/media-fixtures.ts';
import { TEST_BUCKET, testStack } from '../support/stack.ts';
import {
  type MultipartUpload,
  putUpload,
  requestUpload,
  storageClient,
  storedVideo,
} from '../support/upload-factories.ts';

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
async function uploadWithLostEvent(creator: { accessToken: string }, failing: string[]) {
  const sample = await loadSharedSample();
  const { video, upload } = await requestUpload(creator, { sizeBytes: sample.byteLength });
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
    const summary = await expireUploads(tick(new Date(Date.now() + 25 * HOUR)), lambdaContext());

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
    const summary = await expireUploads(tick(new Date(Date.now() + 23 * HOUR)), lambdaContext());

    // Assess
    expect(summary).toEqual({
      expired: 0,
      ingested: 0,
      abortedUploads: 0,
      viewMarksPruned: 0,
      rateLimitWindowsPruned: 0,
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
    const summary = await expireUploads(tick(new Date(Date.now() + 25 * HOUR)), lambdaContext());

    // Assess
    expect(summary).toMatchObject({ ingested: 1 });
    expect(await storedVideo(videoId)).toMatchObject({ status: 'ready', durationSeconds: 2 });
  });

  it('ingests again a video stuck in processing after its deliveries failed', async () => {
    // Prepare: every delivery failed after the video was claimed.
    const creator = await createUser({ role: 'creator' });
    const videoId = await uploadWithLostEvent(creator, ['GET']);
    expect((await storedVideo(videoId))?.status).toBe('processing');

    // Act
    const summary = await expireUploads(tick(new Date(Date.now() + 20 * 60 * 1000)), lambdaContext());

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
    const summary = await expireUploads(tick(new Date(Date.now() + 25 * HOUR)), lambdaContext());

    // Assess
    expect(summary.abortedUploads).toBeGreaterThanOrEqual(1);
    expect(await openUploads()).toEqual([]);
  });

  it('prunes view marks and rate-limit windows older than an hour, and keeps the current ones', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const video = await createVideo(creator);
    const viewer = (byte: number) => Buffer.alloc(32, byte);
    await sql`insert into video_views (video_id, viewer_hash, counted_at) values
      (${video.id}, ${viewer(1)}, now() - interval '2 hours'), (${video.id}, ${viewer(2)}, now())`;
    await sql`insert into rate_limit_windows (bucket_key, window_start, hits) values
      ('api:ip:198.51.100.1', now() - interval '2 hours', 3), ('api:ip:198.51.100.1', now(), 1)`;

    // Act
    const summary = await expireUploads(tick(new Date()), lambdaContext());

    // Assess
    expect(summary).toMatchObject({ viewMarksPruned: 1, rateLimitWindowsPruned: 1 });
    expect(await sql`select 1 from video_views where video_id = ${video.id}`).toHaveLength(1);
    expect(await sql`select 1 from rate_limit_windows where bucket_key = 'api:ip:198.51.100.1'`).toHaveLength(
      1,
    );
  });
});
