import { randomUUID } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { describe, expect, it } from 'vitest';
import { bucket, s3 } from '#lib/storage.ts';
import { decodeEventKey } from '#lib/storage-events.ts';
import { freePort } from '#tools/local-stack/ports.ts';
import {
  createStorageEventBridge,
  startMinioWebhookReceiver,
} from '#tools/local-stack/storage-event-bridge.ts';
import { testStack } from '../support/stack.ts';

const body = Buffer.from('not really a video, but bytes all the same');

async function presignedPut(key: string, expiresIn = 300) {
  return getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: 'video/mp4' }), {
    expiresIn,
  });
}

const put = (url: string) => fetch(url, { method: 'PUT', headers: { 'content-type': 'video/mp4' }, body });

describe('storage-event bridge (local S3 emulator)', () => {
  it('delivers an upload through a presigned URL to the ingest function as an S3 event record', async () => {
    // Prepare
    const key = `bridge-test/${randomUUID()}/my video (1)+final.mp4`;
    const url = await presignedPut(key);

    // Act
    const response = await put(url);
    await testStack().storageEventsSettled();

    // Assess
    expect(response.status).toBe(200);
    const record = testStack()
      .deliveredEvents.flatMap((event) => event.Records)
      .find((candidate) => decodeEventKey(candidate.s3.object.key) === key);
    expect(record).toMatchObject({
      eventSource: 'aws:s3',
      eventName: 'ObjectCreated:Put',
      s3: {
        bucket: { name: bucket },
        object: { size: body.length, eTag: expect.any(String), sequencer: expect.any(String) },
      },
    });
    expect(record?.s3.object.key).toContain('my+video+%281%29%2Bfinal.mp4');
  });

  it('refuses a tampered presigned URL with 403 (the emulator checks SigV4 signatures)', async () => {
    const url = new URL(await presignedPut(`bridge-test/${randomUUID()}/a.mp4`));
    url.pathname = url.pathname.replace(/a\.mp4$/, 'b.mp4');

    const response = await put(url.toString());

    expect(response.status).toBe(403);
    expect(await response.text()).toContain('SignatureDoesNotMatch');
  });

  it('refuses a presigned URL whose signature was edited', async () => {
    const url = new URL(await presignedPut(`bridge-test/${randomUUID()}/a.mp4`));
    const signature = url.searchParams.get('X-Amz-Signature') ?? '';
    url.searchParams.set(
      'X-Amz-Signature',
      `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`,
    );

    const response = await put(url.toString());

    expect(response.status).toBe(403);
  });

  it('refuses an expired presigned URL with 403', async () => {
    const url = await presignedPut(`bridge-test/${randomUUID()}/a.mp4`, 1);
    await new Promise((resolve) => setTimeout(resolve, 2100));

    const response = await put(url);

    expect(response.status).toBe(403);
  });

  it('retries a failed ingest invocation like an asynchronous Lambda invoke, then reports the failure', async () => {
    const attempts: number[] = [];
    const failures: unknown[] = [];
    const bridge = createStorageEventBridge(
      async () => {
        attempts.push(Date.now());
        throw new Error('storage down');
      },
      { retries: 2, retryDelayMs: 5, onFailure: (error) => failures.push(error) },
    );

    await bridge.deliver({ Records: [] });

    expect(attempts).toHaveLength(3);
    expect(failures).toHaveLength(1);
  });
});

describe('MinIO webhook receiver', () => {
  const minioBody = (eventName: string) => ({
    EventName: eventName,
    Key: 'clipiq-videos/uploads/u/v/my+clip.mp4',
    Records: [
      {
        eventVersion: '2.0',
        eventSource: 'minio:s3',
        eventName,
        s3: {
          bucket: { name: 'clipiq-videos' },
          object: { key: 'uploads%2Fu%2Fv%2Fmy+clip.mp4', size: 10, eTag: 'abc', sequencer: '1' },
        },
      },
    ],
  });

  it('forwards object-created records with a valid token and refuses others', async () => {
    // Prepare
    const delivered: unknown[] = [];
    const receiver = await startMinioWebhookReceiver({
      port: await freePort(),
      authToken: 'local-token',
      deliver: async (event) => void delivered.push(event),
    });
    const post = (payload: unknown, token?: string) =>
      fetch(receiver.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(payload),
      });

    try {
      // Act
      const unauthenticated = await post(minioBody('s3:ObjectCreated:Put'));
      const created = await post(minioBody('s3:ObjectCreated:Put'), 'local-token');
      const removed = await post(minioBody('s3:ObjectRemoved:Delete'), 'local-token');

      // Assess
      expect(unauthenticated.status).toBe(401);
      expect(created.status).toBe(204);
      expect(removed.status).toBe(204);
      expect(delivered).toEqual([{ Records: minioBody('s3:ObjectCreated:Put').Records }]);
    } finally {
      await receiver.stop();
    }
  });
});
