import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { s3 } from '#lib/storage.ts';
import { encodeEventKey } from '#lib/storage-events.ts';
import { TEST_BUCKET, testStack } from './stack.ts';

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
