import { AbortMultipartUploadCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { describe, expect, it, vi } from 'vitest';

// Configuration is read once at import: a small threshold makes a 13 MiB upload go multipart.
vi.hoisted(() => {
  process.env.MULTIPART_THRESHOLD_BYTES = String(10 * 1024 * 1024);
});

import { handler as listUploadsHandler } from '#functions/videos/list-uploads.ts';
import { sql } from '#lib/db.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { createUser, createVideo, type TestUser } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';
import { expectMatchesOperation } from '../support/openapi-assert.ts';
import { TEST_BUCKET } from '../support/stack.ts';
import { storageClient } from '../support/storage-objects.ts';
import { type MultipartUpload, requestUpload } from '../support/upload-factories.ts';

const MiB = 1024 * 1024;

interface Listed {
  items: {
    video: { id: string; status: string };
    upload: { method: string; key: string; uploadId?: string; parts: unknown[]; [field: string]: unknown };
  }[];
  nextCursor: string | null;
}

const listUploads = (caller: { accessToken?: string }, query?: Record<string, string>) =>
  callApi<Listed>(listUploadsHandler, {
    path: '/api/v1/users/me/uploads',
    ...(query ? { query } : {}),
    ...(caller.accessToken ? { token: caller.accessToken } : {}),
  });

async function storePart(upload: MultipartUpload, partNumber: number) {
  const { ETag } = await storageClient().send(
    new UploadPartCommand({
      Bucket: TEST_BUCKET,
      Key: upload.key,
      UploadId: upload.uploadId,
      PartNumber: partNumber,
      Body: new Uint8Array(1024),
    }),
  );
  return ETag ?? '';
}

async function pendingUploads(creator: TestUser) {
  const single = await requestUpload(creator, { sizeBytes: 17_834, title: 'Small' });
  const multipart = await requestUpload<MultipartUpload>(creator, { sizeBytes: 13 * MiB, title: 'Big' });
  return { single, multipart };
}

describe('GET /users/me/uploads', () => {
  it('lists the caller’s unfinished uploads, newest first, with their plan and the parts storage holds', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const { single, multipart } = await pendingUploads(creator);
    const etag = await storePart(multipart.upload, 1);
    await createVideo(creator, { status: 'ready' });
    await requestUpload(await createUser({ role: 'creator' }), { sizeBytes: 17_834 });

    // Act
    const response = await listUploads(creator);

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      items: [
        {
          video: expect.objectContaining({ id: multipart.video.id, status: 'awaiting_upload', title: 'Big' }),
          upload: {
            method: 'MULTIPART',
            key: multipart.upload.key,
            uploadId: multipart.upload.uploadId,
            partSize: 8 * MiB,
            partCount: 2,
            parts: [{ PartNumber: 1, ETag: etag, Size: 1024 }],
            expiresAt: multipart.upload.expiresAt,
          },
        },
        {
          video: expect.objectContaining({ id: single.video.id, title: 'Small' }),
          upload: {
            method: 'PUT',
            key: expect.stringMatching(new RegExp(`^uploads/${creator.id}/${single.video.id}/`)),
            parts: [],
            expiresAt: expect.any(String),
          },
        },
      ],
      nextCursor: null,
    });
    await expectMatchesOperation('GET', '/api/v1/users/me/uploads', response);
  });

  it('shows an aborted multipart upload with no parts', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const { upload } = await requestUpload<MultipartUpload>(creator, { sizeBytes: 13 * MiB });
    await storePart(upload, 1);
    await storageClient().send(
      new AbortMultipartUploadCommand({ Bucket: TEST_BUCKET, Key: upload.key, UploadId: upload.uploadId }),
    );

    // Act
    const response = await listUploads(creator);

    // Assess
    expect(response.status).toBe(200);
    expect(response.body.items[0]?.upload.parts).toEqual([]);
  });

  it('pages with a cursor', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const { single, multipart } = await pendingUploads(creator);

    // Act
    const first = await listUploads(creator, { limit: '1' });
    const second = await listUploads(creator, { limit: '1', cursor: first.body.nextCursor ?? '' });

    // Assess
    expect(first.body.items.map((item) => item.video.id)).toEqual([multipart.video.id]);
    expect(second.body.items.map((item) => item.video.id)).toEqual([single.video.id]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('shows an admin only their own uploads, and none once a video has its bytes', async () => {
    // Prepare
    const admin = await createUser({ role: 'admin' });
    const creator = await createUser({ role: 'creator' });
    const { single } = await pendingUploads(creator);
    await sql`update videos set status = 'processing' where id = ${single.video.id}`;

    // Act
    const asAdmin = await listUploads(admin);
    const asOwner = await listUploads(creator);

    // Assess
    expect(asAdmin.body.items).toEqual([]);
    expect(asOwner.body.items.map((item) => item.video.id)).not.toContain(single.video.id);
  });

  it('answers 401 to an anonymous caller', async () => {
    // Act
    const response = await listUploads({});

    // Assess
    expectProblem(response, 401);
  });
});
