// biome-ignore-all lint/suspicious/noTemplateCurlyInString: serverless variables are literal ${…} text here
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateMultipartUploadCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { load } from 'js-yaml';
import { beforeAll, describe, expect, it, vi } from 'vitest';

// Configuration is read once at import: a small threshold makes a 13 MiB upload go multipart.
vi.hoisted(() => {
  process.env.MULTIPART_THRESHOLD_BYTES = String(10 * 1024 * 1024);
});

import { handler as signUploadRequest } from '#functions/videos/sign-upload-request.ts';
import { sql } from '#lib/db.ts';
import { BUCKET_CORS_METHODS } from '#tools/local-stack/s3-emulator.ts';
import { projectRoot } from '#tools/serverless-functions.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { createUser, type TestUser } from '../support/factories.ts';
import { type ApiResult, callApi } from '../support/lambda.ts';
import { loadSharedSample, padBeforeMoov } from '../support/media-fixtures.ts';
import { TEST_BUCKET, TEST_CORS_ORIGIN, testStack } from '../support/stack.ts';
import { storageClient } from '../support/storage-objects.ts';
import { type MultipartUpload, requestUpload } from '../support/upload-factories.ts';
import { storedVideo } from '../support/video-rows.ts';

const MiB = 1024 * 1024;
let sample: Uint8Array;
let bigVideo: Uint8Array;

beforeAll(async () => {
  sample = await loadSharedSample();
  bigVideo = padBeforeMoov(sample, 13 * MiB - sample.byteLength);
});

interface Signed {
  url: string;
  key: string;
  headers: Record<string, string>;
  expiresAt: string;
}

/** `signRequest` of a stock Uppy 6 client: POSTs its request object to the route. */
const sign = (creator: { accessToken?: string }, videoId: string, request: Record<string, unknown>) =>
  callApi<Signed>(signUploadRequest, {
    method: 'POST',
    path: `/api/v1/videos/${videoId}/upload/sign`,
    pathParameters: { id: videoId },
    ...(creator.accessToken ? { token: creator.accessToken } : {}),
    body: request,
  });

/** Sends a signed request the way Uppy's S3 client does: the signed headers over its own `Content-Type`. */
function send(signed: ApiResult<Signed>, method: string, body?: Uint8Array | string, contentType?: string) {
  expect(signed.status).toBe(200);
  return fetch(signed.body.url, {
    method,
    headers: { ...(contentType ? { 'Content-Type': contentType } : {}), ...signed.body.headers },
    ...(body === undefined ? {} : { body }),
  });
}

const uploadIdOf = (xml: string) => /<UploadId>([^<]+)<\/UploadId>/.exec(xml)?.[1] ?? '';
const openUploads = async (key: string) =>
  (await storageClient().send(new ListMultipartUploadsCommand({ Bucket: TEST_BUCKET, Prefix: key })))
    .Uploads ?? [];

async function startBigUpload(creator?: TestUser) {
  const owner = creator ?? (await createUser({ role: 'creator' }));
  const { video, upload } = await requestUpload<MultipartUpload>(owner, { sizeBytes: bigVideo.byteLength });
  return { creator: owner, videoId: video.id, upload };
}

/** Uppy 6's CreateMultipartUpload: the signed POST straight to storage; returns the key it was told and the id. */
async function startOwnUpload(creator: TestUser, videoId: string) {
  const signed = await sign(creator, videoId, { method: 'POST', key: 'uppy-chosen-name.mp4' });
  const response = await send(signed, 'POST', undefined, 'video/mp4');
  expect(response.status).toBe(200);
  return { key: signed.body.key, uploadId: uploadIdOf(await response.text()) };
}

describe('POST /videos/{id}/upload/sign (Uppy 6 signRequest)', () => {
  it('signs one PUT of the video’s own key, declared type and size, whatever key the client proposes; the video turns ready', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const { video } = await requestUpload(creator, { sizeBytes: sample.byteLength, fileName: 'clip.mp4' });

    // Act
    const signed = await sign(creator, video.id, {
      method: 'PUT',
      key: '../someone-else/evil.mp4',
      contentType: 'video/mp4',
    });
    const response = await send(signed, 'PUT', sample, 'video/mp4');
    await testStack().storageEventsSettled();

    // Assess
    const key = `uploads/${creator.id}/${video.id}/clip.mp4`;
    expect(signed.body).toMatchObject({
      key,
      headers: { 'Content-Type': 'video/mp4', 'If-None-Match': '*' },
    });
    expect(decodeURIComponent(new URL(signed.body.url).pathname)).toBe(`/${TEST_BUCKET}/${key}`);
    expect(response.status).toBe(200);
    expect(await storedVideo(video.id)).toMatchObject({ status: 'ready', sizeBytes: sample.byteLength });
  });

  it.each([
    { case: 'another content type', contentType: 'video/webm', body: () => sample },
    { case: 'fewer bytes than declared', contentType: 'video/mp4', body: () => sample.subarray(1) },
  ])('binds the single PUT: storage refuses $case (403)', async ({ contentType, body }) => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const { video } = await requestUpload(creator, { sizeBytes: sample.byteLength });
    const signed = await sign(creator, video.id, { method: 'PUT', key: 'clip.mp4', contentType });

    // Act
    const response = await fetch(signed.body.url, {
      method: 'PUT',
      headers: { ...signed.body.headers, 'Content-Type': contentType },
      body: body(),
    });

    // Assess
    expect(response.status).toBe(403);
  });

  it('drives a multipart upload the client starts itself: create, parts, list, complete; the video turns ready', async () => {
    // Prepare
    const { creator, videoId, upload: planned } = await startBigUpload();

    // Act
    const { key, uploadId } = await startOwnUpload(creator, videoId);
    const etags: string[] = [];
    for (const [index, start] of [0, planned.partSize].entries()) {
      const part = bigVideo.subarray(start, start + planned.partSize);
      const signed = await sign(creator, videoId, { method: 'PUT', key, uploadId, partNumber: index + 1 });
      const response = await send(signed, 'PUT', part);
      expect(response.status).toBe(200);
      etags.push(response.headers.get('etag') ?? '');
    }
    const listed = await send(await sign(creator, videoId, { method: 'GET', key, uploadId }), 'GET');
    const listedXml = await listed.text();
    const parts = etags.map(
      (etag, index) => `<Part><PartNumber>${index + 1}</PartNumber><ETag>${etag}</ETag></Part>`,
    );
    const completed = await send(
      await sign(creator, videoId, { method: 'POST', key, uploadId }),
      'POST',
      `<CompleteMultipartUpload>${parts.join('')}</CompleteMultipartUpload>`,
      'application/xml',
    );
    await testStack().storageEventsSettled();

    // Assess
    expect(key).toBe(planned.key);
    expect(uploadId).not.toBe(planned.uploadId);
    expect(listedXml.match(/<PartNumber>/g)).toHaveLength(2);
    expect(completed.status).toBe(200);
    expect(await storedVideo(videoId)).toMatchObject({ status: 'ready', sizeBytes: 13 * MiB });
    // The upload the server started could never complete once the client's own one became the video's.
    expect(await openUploads(planned.key)).toEqual([]);
  });

  it('signs each part for its planned length only: storage refuses a shorter part (403)', async () => {
    // Prepare
    const { creator, videoId, upload } = await startBigUpload();
    const signed = await sign(creator, videoId, {
      method: 'PUT',
      key: upload.key,
      uploadId: upload.uploadId,
      partNumber: 1,
    });

    // Act
    const response = await send(signed, 'PUT', bigVideo.subarray(0, 6 * MiB));

    // Assess
    expect(response.status).toBe(403);
  });

  it('answers 400 for a part number beyond the planned count, signing nothing', async () => {
    // Prepare
    const { creator, videoId, upload } = await startBigUpload();

    // Act
    const response = await sign(creator, videoId, {
      method: 'PUT',
      key: upload.key,
      uploadId: upload.uploadId,
      partNumber: 3,
    });

    // Assess
    expectProblem(response, 400, { slug: 'invalid-request', paths: ['body.partNumber'] });
  });

  it('refuses an upload id storage does not hold for this video’s key (404), another video’s own upload included', async () => {
    // Prepare
    const { creator, videoId } = await startBigUpload();
    const other = await startBigUpload(creator);
    const othersOwn = await startOwnUpload(creator, other.videoId);
    const { UploadId: strayId } = await storageClient().send(
      new CreateMultipartUploadCommand({ Bucket: TEST_BUCKET, Key: `uploads/${creator.id}/stray.mp4` }),
    );

    // Act
    const responses = await Promise.all(
      [other.upload.uploadId, othersOwn.uploadId, strayId ?? '', 'f'.repeat(32)].map((uploadId) =>
        sign(creator, videoId, { method: 'PUT', key: other.upload.key, uploadId, partNumber: 1 }),
      ),
    );

    // Assess
    for (const response of responses) expectProblem(response, 404, { detail: 'No such upload' });
    expect((await storedVideo(videoId))?.multipartUploadId).not.toBe(othersOwn.uploadId);
  });

  it('aborts through a signed DELETE', async () => {
    // Prepare
    const { creator, videoId, upload } = await startBigUpload();

    // Act
    const signed = await sign(creator, videoId, {
      method: 'DELETE',
      key: upload.key,
      uploadId: upload.uploadId,
    });
    const response = await send(signed, 'DELETE');

    // Assess
    expect(response.status).toBe(204);
    expect(await openUploads(upload.key)).toEqual([]);
  });

  it.each([
    { case: 'a multipart start for a single-PUT video', big: false, request: { method: 'POST' } },
    { case: 'a single PUT for a multipart video', big: true, request: { method: 'PUT' } },
    { case: 'deleting the object', big: false, request: { method: 'DELETE' } },
    { case: 'a GET without an upload', big: false, request: { method: 'GET' } },
    { case: 'a part number without an upload', big: true, request: { method: 'PUT', partNumber: 1 } },
    { case: 'a part without its number', big: true, request: { method: 'PUT', uploadId: 'PLANNED' } },
    { case: 'an unknown method', big: false, request: { method: 'PATCH' } },
    { case: 'an unknown field', big: false, request: { method: 'PUT', bucket: 'other' } },
  ])('answers 400 to $case', async ({ big, request }) => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const { video, upload } = await requestUpload<{ uploadId?: string }>(creator, {
      sizeBytes: big ? bigVideo.byteLength : sample.byteLength,
    });
    const uploadId = request.uploadId === 'PLANNED' ? upload.uploadId : undefined;

    // Act
    const response = await sign(creator, video.id, {
      key: 'clip.mp4',
      ...request,
      ...(uploadId ? { uploadId } : {}),
    });

    // Assess
    expectProblem(response, 400, { slug: 'invalid-request' });
  });

  it('answers 409 once the video has its bytes', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const { video } = await requestUpload(creator, { sizeBytes: sample.byteLength });
    await sql`update videos set status = 'processing' where id = ${video.id}`;

    // Act
    const response = await sign(creator, video.id, { method: 'PUT', key: 'clip.mp4' });

    // Assess
    expectProblem(response, 409, { slug: 'conflict' });
  });

  it.each([
    { case: 'another creator', status: 404, caller: () => createUser({ role: 'creator' }) },
    { case: 'an admin', status: 404, caller: () => createUser({ role: 'admin' }) },
    { case: 'an anonymous caller', status: 401, caller: async () => ({}) },
  ])('answers $status to $case and signs nothing', async ({ status, caller }) => {
    // Prepare
    const { videoId, upload } = await startBigUpload();

    // Act
    const response = await sign(await caller(), videoId, {
      method: 'PUT',
      key: upload.key,
      uploadId: upload.uploadId,
      partNumber: 1,
    });

    // Assess
    expectProblem(response, status);
    expect(response.body).not.toHaveProperty('url');
  });
});

describe('bucket CORS for Uppy 6, which starts, completes and aborts multipart uploads from the browser', () => {
  it('allows POST and DELETE and exposes ETag on the emulator, the deployed bucket and the MinIO set-up', async () => {
    // Prepare
    const service = load(await readFile(join(projectRoot, 'serverless.yml'), 'utf8')) as {
      provider: {
        s3: {
          videos: {
            corsConfiguration: { CorsRules: { AllowedMethods: string[]; ExposedHeaders: string[] }[] };
          };
        };
      };
    };
    const [deployed] = service.provider.s3.videos.corsConfiguration.CorsRules;
    const minio = await readFile(join(projectRoot, 'localstack/minio-init.sh'), 'utf8');

    // Act
    const preflights = await Promise.all(
      ['POST', 'DELETE'].map((method) =>
        fetch(`${testStack().emulator.endpoint}/${TEST_BUCKET}/uploads/any.mp4?uploads`, {
          method: 'OPTIONS',
          headers: { Origin: TEST_CORS_ORIGIN, 'Access-Control-Request-Method': method },
        }),
      ),
    );

    // Assess
    for (const preflight of preflights) expect(preflight.status).toBe(200);
    expect(preflights[0]?.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflights[1]?.headers.get('access-control-allow-methods')).toContain('DELETE');
    expect(deployed?.AllowedMethods).toEqual(expect.arrayContaining(BUCKET_CORS_METHODS));
    expect(deployed?.ExposedHeaders).toContain('ETag');
    for (const method of BUCKET_CORS_METHODS)
      expect(minio).toContain(`<AllowedMethod>${method}</AllowedMethod>`);
    expect(minio).toContain('<ExposeHeader>ETag</ExposeHeader>');
  });
});
