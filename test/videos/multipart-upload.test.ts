import { ListMultipartUploadsCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it, vi } from 'vitest';

// Configuration is read once at import: a small threshold makes a 13 MiB upload go multipart.
vi.hoisted(() => {
  process.env.MULTIPART_THRESHOLD_BYTES = String(10 * 1024 * 1024);
});

import { handler as deleteVideo } from '#functions/videos/delete.ts';
import { handler as abortUpload } from '#functions/videos/multipart-abort.ts';
import { handler as completeUpload } from '#functions/videos/multipart-complete.ts';
import { handler as listParts } from '#functions/videos/multipart-list-parts.ts';
import { handler as signPart } from '#functions/videos/multipart-sign-part.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { createUser, type TestUser } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';
import { loadSharedSample, padBeforeMoov } from '../support/media-fixtures.ts';
import { TEST_BUCKET, testStack } from '../support/stack.ts';
import { storageClient } from '../support/storage-objects.ts';
import { type MultipartUpload, requestUpload } from '../support/upload-factories.ts';
import { storedVideo } from '../support/video-rows.ts';

const MiB = 1024 * 1024;
let bigVideo: Uint8Array;

beforeAll(async () => {
  bigVideo = padBeforeMoov(await loadSharedSample(), 13 * MiB - 17_834);
});

interface Started {
  creator: TestUser;
  videoId: string;
  upload: MultipartUpload;
}

async function startUpload(sizeBytes = bigVideo.byteLength): Promise<Started> {
  const creator = await createUser({ role: 'creator' });
  const { video, upload } = await requestUpload<MultipartUpload>(creator, {
    sizeBytes,
    fileName: 'big clip.mp4',
  });
  return { creator, videoId: video.id, upload };
}

const partPath = ({ videoId, upload }: Started) => `/api/v1/videos/${videoId}/multipart/${upload.uploadId}`;

function callMultipart(
  handler: Parameters<typeof callApi>[0],
  started: Started,
  options: { method?: string; suffix?: string; token?: string; partNumber?: string; body?: unknown } = {},
) {
  return callApi(handler, {
    method: options.method ?? 'GET',
    path: `${partPath(started)}${options.suffix ?? ''}`,
    pathParameters: {
      id: started.videoId,
      uploadId: started.upload.uploadId,
      ...(options.partNumber ? { partNumber: options.partNumber } : {}),
    },
    token: options.token ?? started.creator.accessToken,
    ...(options.body ? { body: options.body } : {}),
  });
}

/** Signs and PUTs each slice as the next part, like Uppy does; returns `{ PartNumber, ETag }` per part. */
async function uploadParts(started: Started, slices: Uint8Array[]) {
  const parts: { PartNumber: number; ETag: string }[] = [];
  for (const [index, slice] of slices.entries()) {
    const partNumber = String(index + 1);
    const signed = await callMultipart(signPart, started, { suffix: `/parts/${partNumber}`, partNumber });
    expect(signed.status).toBe(200);
    const response = await fetch((signed.body as { url: string }).url, { method: 'PUT', body: slice });
    expect(response.status).toBe(200);
    parts.push({ PartNumber: index + 1, ETag: response.headers.get('etag') ?? '' });
  }
  return parts;
}

/** PUTs the slices as parts straight to storage with the functions' own keys, as no signed URL would allow. */
async function stagePartsBehindTheApi({ upload }: Started, slices: Uint8Array[]) {
  const parts: { PartNumber: number; ETag: string }[] = [];
  for (const [index, slice] of slices.entries()) {
    const { ETag } = await storageClient().send(
      new UploadPartCommand({
        Bucket: TEST_BUCKET,
        Key: upload.key,
        UploadId: upload.uploadId,
        PartNumber: index + 1,
        Body: slice,
      }),
    );
    parts.push({ PartNumber: index + 1, ETag: ETag ?? '' });
  }
  return parts;
}

const slicesOf = (bytes: Uint8Array, size: number) =>
  Array.from({ length: Math.ceil(bytes.byteLength / size) }, (_, index) =>
    bytes.subarray(index * size, (index + 1) * size),
  );

const openUploads = async (key: string) =>
  (await storageClient().send(new ListMultipartUploadsCommand({ Bucket: TEST_BUCKET, Prefix: key })))
    .Uploads ?? [];

describe('multipart upload (the calls a stock Uppy @uppy/aws-s3 client makes)', () => {
  it('uploads a 13 MiB video in parts: sign, list, complete, then ingest makes it ready', async () => {
    // Prepare
    const started = await startUpload();
    expect(started.upload).toMatchObject({ method: 'MULTIPART', partSize: 8 * MiB, partCount: 2 });
    expect(started.upload.key).toBe(`uploads/${started.creator.id}/${started.videoId}/big clip.mp4`);
    const parts = await uploadParts(started, slicesOf(bigVideo, started.upload.partSize));

    // Act
    const listed = await callMultipart(listParts, started, { suffix: '/parts' });
    const completed = await callMultipart(completeUpload, started, {
      method: 'POST',
      suffix: '/complete',
      body: { parts },
    });
    await testStack().storageEventsSettled();

    // Assess
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([
      { PartNumber: 1, ETag: parts[0]?.ETag, Size: 8 * MiB },
      { PartNumber: 2, ETag: parts[1]?.ETag, Size: 5 * MiB },
    ]);
    expect(completed.status).toBe(200);
    expect(completed.body).toEqual({ location: `/api/v1/videos/${started.videoId}` });
    expect(testStack().deliveredEvents.at(-1)?.Records[0]?.eventName).toBe(
      'ObjectCreated:CompleteMultipartUpload',
    );
    expect(await storedVideo(started.videoId)).toMatchObject({
      status: 'ready',
      sizeBytes: 13 * MiB,
      durationSeconds: 2,
      width: 320,
      height: 240,
      multipartUploadId: null,
    });
    expect(await openUploads(started.upload.key)).toEqual([]);
  });

  it.each([
    { case: 'another creator', role: 'creator' as const },
    { case: 'an admin', role: 'admin' as const },
  ])('answers 404 to $case on every multipart route, and the upload stays open', async ({ role }) => {
    // Prepare
    const started = await startUpload();
    const parts = [{ PartNumber: 1, ETag: '"0"' }];
    const { accessToken: token } = await createUser({ role });

    // Act
    const responses = [
      await callMultipart(signPart, started, { token, suffix: '/parts/1', partNumber: '1' }),
      await callMultipart(listParts, started, { token, suffix: '/parts' }),
      await callMultipart(completeUpload, started, {
        token,
        method: 'POST',
        suffix: '/complete',
        body: { parts },
      }),
      await callMultipart(abortUpload, started, { token, method: 'DELETE' }),
    ];

    // Assess
    for (const response of responses) {
      expectProblem(response, 404, { slug: 'not-found', detail: 'No such upload' });
    }
    expect(await openUploads(started.upload.key)).toHaveLength(1);
    expect((await storedVideo(started.videoId))?.multipartUploadId).toBe(started.upload.uploadId);
  });

  it('answers 404 for an upload id that is not this video’s', async () => {
    // Prepare
    const started = await startUpload();
    const other = { ...started, upload: { ...started.upload, uploadId: 'f'.repeat(32) } };

    // Act
    const response = await callMultipart(signPart, other, { suffix: '/parts/1', partNumber: '1' });

    // Assess
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ type: 'urn:clipiq:problem:not-found', status: 404 });
  });

  it.each(['0', '10001', '1.5', 'one'])('answers 400 for part number %s', async (partNumber) => {
    // Prepare
    const started = await startUpload();

    // Act
    const response = await callMultipart(signPart, started, { suffix: `/parts/${partNumber}`, partNumber });

    // Assess
    expectProblem(response, 400, {
      slug: 'invalid-request',
      fields: { errors: [expect.objectContaining({ path: 'params.partNumber' })] },
    });
  });

  it.each([
    { case: 'the first part, shorter than planned', partNumber: 1, length: MiB },
    { case: 'the first part, longer than planned', partNumber: 1, length: 8 * MiB + 1 },
    { case: 'the last part, as long as the others', partNumber: 2, length: 8 * MiB },
  ])(
    'signs each part for its planned length: storage refuses $case (403)',
    async ({ partNumber, length }) => {
      // Prepare
      const started = await startUpload();
      const signed = await callMultipart(signPart, started, {
        suffix: `/parts/${partNumber}`,
        partNumber: String(partNumber),
      });
      const url = new URL((signed.body as { url: string }).url);

      // Act
      const response = await fetch(url, { method: 'PUT', body: new Uint8Array(length) });

      // Assess
      expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;host');
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
      const listed = await callMultipart(listParts, started, { suffix: '/parts' });
      expect(listed.body).toEqual([]);
    },
  );

  it('answers 400 for a part number beyond the planned count, signing nothing', async () => {
    // Prepare: 13 MiB are planned as two parts.
    const started = await startUpload();

    // Act
    const response = await callMultipart(signPart, started, { suffix: '/parts/3', partNumber: '3' });

    // Assess
    expectProblem(response, 400, {
      slug: 'invalid-request',
      detail: 'This upload has 2 parts',
      fields: { errors: [{ path: 'params.partNumber', message: 'must be at most 2' }] },
    });
    expect(response.body).not.toHaveProperty('url');
  });

  it.each([
    {
      case: 'a part below 5 MiB that is not the last, staged behind the API',
      stage: stagePartsBehindTheApi,
      slices: (bytes: Uint8Array) => [bytes.subarray(0, MiB), bytes.subarray(MiB)],
      parts: (parts: { PartNumber: number; ETag: string }[]) => parts,
      path: 'body.parts.0',
    },
    {
      case: 'an ETag storage does not hold',
      stage: uploadParts,
      slices: (bytes: Uint8Array) => slicesOf(bytes, 8 * MiB),
      parts: (parts: { PartNumber: number; ETag: string }[]) => [parts[0], { PartNumber: 2, ETag: '"0"' }],
      path: 'body.parts.1.ETag',
    },
    {
      case: 'parts that do not add up to the declared size',
      stage: uploadParts,
      slices: (bytes: Uint8Array) => slicesOf(bytes, 8 * MiB),
      parts: (parts: { PartNumber: number; ETag: string }[]) => parts.slice(0, 1),
      path: 'body.parts',
    },
    {
      case: 'parts out of order',
      stage: uploadParts,
      slices: (bytes: Uint8Array) => slicesOf(bytes, 8 * MiB),
      parts: (parts: { PartNumber: number; ETag: string }[]) => [...parts].reverse(),
      path: 'body.parts',
    },
  ])(
    'refuses to complete with $case (400), leaving the upload open',
    async ({ stage, slices, parts, path }) => {
      // Prepare
      const started = await startUpload();
      const uploaded = await stage(started, slices(bigVideo));

      // Act
      const response = await callMultipart(completeUpload, started, {
        method: 'POST',
        suffix: '/complete',
        body: { parts: parts(uploaded) },
      });

      // Assess
      expectProblem(response, 400, { slug: 'invalid-request' });
      expect((response.body as { errors: { path: string }[] }).errors.map((error) => error.path)).toContain(
        path,
      );
      expect(await openUploads(started.upload.key)).toHaveLength(1);
      expect((await storedVideo(started.videoId))?.status).toBe('awaiting_upload');
    },
  );

  it('aborts an upload: its parts are freed and storage refuses further parts', async () => {
    // Prepare
    const started = await startUpload();
    await uploadParts(started, slicesOf(bigVideo, started.upload.partSize).slice(0, 1));
    const signed = await callMultipart(signPart, started, { suffix: '/parts/2', partNumber: '2' });

    // Act
    const response = await callMultipart(abortUpload, started, { method: 'DELETE' });

    // Assess
    expect(response.status).toBe(204);
    expect(response.body).toBeUndefined();
    expect(await openUploads(started.upload.key)).toEqual([]);
    const latePart = await fetch((signed.body as { url: string }).url, {
      method: 'PUT',
      body: slicesOf(bigVideo, started.upload.partSize)[1],
    });
    expect(latePart.status).toBe(404);
    expect(await latePart.text()).toContain('<Code>NoSuchUpload</Code>');
    expect(await storedVideo(started.videoId)).toMatchObject({
      status: 'awaiting_upload',
      multipartUploadId: null,
    });
    const again = await callMultipart(listParts, started, { suffix: '/parts' });
    expect(again.status).toBe(404);
  });

  it('aborts the unfinished upload when the video is deleted', async () => {
    // Prepare
    const started = await startUpload();
    await uploadParts(started, slicesOf(bigVideo, started.upload.partSize).slice(0, 1));

    // Act
    const response = await callApi(deleteVideo, {
      method: 'DELETE',
      path: `/api/v1/videos/${started.videoId}`,
      pathParameters: { id: started.videoId },
      token: started.creator.accessToken,
    });

    // Assess
    expect(response.status).toBe(204);
    expect(await openUploads(started.upload.key)).toEqual([]);
    expect(await storedVideo(started.videoId)).toBeUndefined();
  });
});
