import { randomUUID } from 'node:crypto';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { expect } from 'vitest';
import { sql } from '#lib/db.ts';
import { s3 } from '#lib/storage.ts';
import { encodeEventKey } from '#lib/storage-events.ts';
import { handler as createVideoHandler } from '../../functions/videos/create.ts';
import { callApi } from './lambda.ts';
import { TEST_BUCKET, testStack } from './stack.ts';

export interface PutUpload {
  method: 'PUT';
  url: string;
  headers: Record<string, string>;
  expiresAt: string;
}

export interface MultipartUpload {
  method: 'MULTIPART';
  uploadId: string;
  key: string;
  partSize: number;
  partCount: number;
  expiresAt: string;
}

export interface CreatedVideo<U = PutUpload | MultipartUpload> {
  video: { id: string; status: string; [field: string]: unknown };
  upload: U;
}

export interface UploadDeclaration {
  fileName?: string;
  contentType?: string;
  sizeBytes: number;
  title?: string;
  visibility?: 'public' | 'unlisted' | 'private';
}

/**
 * Creates a video through `POST /videos` as `creator` and returns the 201 body.
 *
 * @example
 * const { video, upload } = await requestUpload(creator, { sizeBytes: bytes.byteLength });
 */
export async function requestUpload<U = PutUpload>(
  creator: { accessToken: string },
  declaration: UploadDeclaration,
): Promise<CreatedVideo<U>> {
  const response = await callApi<CreatedVideo<U>>(createVideoHandler, {
    method: 'POST',
    path: '/api/v1/videos',
    token: creator.accessToken,
    body: {
      title: declaration.title ?? 'A clip',
      fileName: declaration.fileName ?? 'clip.mp4',
      contentType: declaration.contentType ?? 'video/mp4',
      sizeBytes: declaration.sizeBytes,
      ...(declaration.visibility ? { visibility: declaration.visibility } : {}),
    },
  });
  if (response.status !== 201)
    throw new Error(`POST /videos answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

/**
 * Sends bytes to a presigned PUT the way a browser does: the returned headers, Content-Length from the body.
 *
 * @example
 * const response = await putUpload(upload, bytes);
 */
export function putUpload(
  upload: PutUpload,
  bytes: Uint8Array,
  headerOverrides: Record<string, string> = {},
) {
  return fetch(upload.url, {
    method: 'PUT',
    headers: { ...upload.headers, ...headerOverrides },
    body: bytes,
  });
}

/**
 * Creates a video, uploads `bytes` through its presigned PUT and waits until ingest has run.
 *
 * @example
 * const videoId = await uploadVideo(creator, await loadSharedSample());
 */
export async function uploadVideo(
  creator: { accessToken: string },
  bytes: Uint8Array,
  declaration: Partial<UploadDeclaration> = {},
) {
  const created = await requestUpload(creator, { sizeBytes: bytes.byteLength, ...declaration });
  const response = await putUpload(created.upload, bytes);
  if (response.status !== 200) throw new Error(`PUT answered ${response.status}: ${await response.text()}`);
  await testStack().storageEventsSettled();
  return created.video.id;
}

/** The functions' own S3 client (the emulator's keys): what a test uses to act on storage behind the API's back. */
export const storageClient = () => s3;

/** Whether storage holds an object at `key` (a HEAD through the emulator). */
export async function objectExists(key: string) {
  return s3.send(new HeadObjectCommand({ Bucket: TEST_BUCKET, Key: key })).then(
    () => true,
    (error: { $metadata?: { httpStatusCode?: number } }) => {
      if (error.$metadata?.httpStatusCode === 404) return false;
      throw error;
    },
  );
}

/** Who was notified of a video, by recipient id. */
export async function notifiedRecipients(videoId: string) {
  const rows = await sql<{ recipientId: string }[]>`
    select recipient_id from notifications where video_id = ${videoId} order by recipient_id
  `;
  return rows.map((row) => row.recipientId);
}

/** Writes an object straight into the bucket (its storage event is delivered like any other). */
export async function putObjectDirectly(key: string, bytes: Uint8Array, contentType = 'video/mp4') {
  await storageClient().send(
    new PutObjectCommand({ Bucket: TEST_BUCKET, Key: key, Body: bytes, ContentType: contentType }),
  );
}

/**
 * Writes an object as if it landed before its row, for a test that then delivers the storage event itself: every
 * delivery of the emulator's own event fails (storage refuses ingest's delete of what is, so far, an orphan), so the
 * object stays.
 *
 * @example
 * await putObjectBeforeItsRow(key, sample);
 * const videoId = await insertPendingVideo(creator, key, { sizeBytes: sample.byteLength });
 */
export async function putObjectBeforeItsRow(key: string, bytes: Uint8Array) {
  // Three deliveries (the bridge retries twice), each DELETE tried twice by the SDK.
  testStack().emulator.failNextRequests(6, ['DELETE']);
  await putObjectDirectly(key, bytes);
  await testStack().storageEventsSettled();
  testStack().emulator.failNextRequests(0);
}

/** Inserts a video `awaiting_upload` for an exact storage key, as if `POST /videos` had issued it. */
export async function insertPendingVideo(
  owner: { id: string },
  storageKey: string,
  declared: { sizeBytes: number; contentType?: string },
) {
  const id = randomUUID();
  await sql`
    insert into videos ${sql({
      id,
      ownerId: owner.id,
      title: 'Pending',
      storageKey,
      fileName: storageKey.split('/').pop() ?? 'clip.mp4',
      declaredContentType: declared.contentType ?? 'video/mp4',
      declaredSizeBytes: declared.sizeBytes,
    })}
  `;
  return id;
}

/** Subscribes each of `subscribers` to `channel`. */
export async function subscribe(channel: { id: string }, subscribers: readonly { id: string }[]) {
  for (const subscriber of subscribers) {
    await sql`insert into subscriptions (subscriber_id, channel_id) values (${subscriber.id}, ${channel.id})`;
  }
}

/** The status row ingest writes, for assertions. */
export async function storedVideo(id: string) {
  const [row] = await sql<
    {
      status: string;
      rejectionReason: string | null;
      sizeBytes: number | null;
      contentType: string | null;
      durationSeconds: number | null;
      width: number | null;
      height: number | null;
      videoCodec: string | null;
      publishedAt: Date | null;
      updatedAt: Date;
      storageKey: string;
      multipartUploadId: string | null;
    }[]
  >`
    select status, rejection_reason, size_bytes, content_type, duration_seconds::float8 as duration_seconds, width,
           height, video_codec, published_at, updated_at, storage_key, multipart_upload_id
    from videos where id = ${id}
  `;
  return row;
}

/** An object-created event as S3 sends it (or MinIO, with `s3:`-prefixed names), key form-encoded. */
export function objectCreatedEvent(key: string, eventName = 'ObjectCreated:Put', size = 0): S3Event {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: eventName.startsWith('s3:') ? 'minio:s3' : 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: new Date().toISOString(),
        eventName,
        userIdentity: { principalId: 'test' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': 'test', 'x-amz-id-2': 'test' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'test',
          bucket: {
            name: TEST_BUCKET,
            ownerIdentity: { principalId: 'test' },
            arn: `arn:aws:s3:::${TEST_BUCKET}`,
          },
          object: { key: encodeEventKey(key), size, eTag: '', sequencer: '0' },
        },
      },
    ],
  };
}

/** Asserts an RFC 9457 problem response: its status, media type and body fields. */
export function expectProblem(
  response: { status: number; headers: Record<string, string>; body: unknown },
  problem: { type: string; status: number; [field: string]: unknown },
) {
  expect(response.status).toBe(problem.status);
  expect(response.headers['content-type']).toBe('application/problem+json');
  expect(response.body).toMatchObject(problem);
}
