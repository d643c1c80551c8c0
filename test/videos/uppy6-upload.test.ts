import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as signUploadRequest } from '#functions/videos/sign-upload-request.ts';
import { parseBoxHeader } from '#lib/media/mp4-boxes.ts';
import { projectRoot } from '#tools/serverless-functions.ts';
import { launchBrowser } from '../support/browser.ts';
import { createUser } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';
import { loadMediaFixture } from '../support/media-fixtures.ts';
import { TEST_CORS_ORIGIN, testStack } from '../support/stack.ts';
import {
  type CreatedVideo,
  type MultipartUpload,
  type PutUpload,
  requestUpload,
} from '../support/upload-factories.ts';
import { storedVideo } from '../support/video-rows.ts';

const MiB = 1024 * 1024;
/** Above the default multipart threshold (100 MiB), so the upload goes in parts. */
const BIG_BYTES = 101 * MiB;

let browser: Browser;
let uppyBundle: string;
let sample: Uint8Array;
let moovStart: number;

beforeAll(async () => {
  // The published packages, bundled for the page as an app would: nothing of Uppy is reimplemented here.
  const bundled = await build({
    stdin: {
      contents: `import Uppy from '@uppy/core'; import AwsS3 from '@uppy/aws-s3'; Object.assign(globalThis, { Uppy, AwsS3 });`,
      resolveDir: projectRoot,
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  uppyBundle = bundled.outputFiles[0]?.text ?? '';
  sample = await loadMediaFixture('sample-moov-at-end.mp4');
  moovStart = 0;
  for (
    let header = parseBoxHeader(sample, 0);
    header?.type !== 'moov';
    header = parseBoxHeader(sample, moovStart)
  )
    moovStart += header?.size ?? sample.byteLength;
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/**
 * A page on the web app's origin with the bundle, whose `postToApi(path, token, body)` reaches the sign route's
 * handler with a real API Gateway event. Its storage requests go from Chromium straight to the S3 emulator, CORS
 * and all: nothing intercepts them (Playwright's request interception would pass every part's bytes through itself).
 */
async function openApp(): Promise<Page> {
  // The app's origin is served by the test, not from a loopback address; storage is on one (Local Network Access).
  const page = await browser.newPage({ permissions: ['local-network-access'] });
  await page.route(`${TEST_CORS_ORIGIN}/`, (route) =>
    route.fulfill({ contentType: 'text/html', body: `<!doctype html><script>${uppyBundle}</script>` }),
  );
  await page.goto(`${TEST_CORS_ORIGIN}/`);
  await page.unrouteAll();
  await page.exposeFunction('postToApi', async (path: string, token: string, body: string) => {
    const id = /^\/api\/v1\/videos\/([^/]+)\/upload\/sign$/.exec(path)?.[1];
    if (!id) throw new Error(`no route for ${path}`);
    const response = await callApi(signUploadRequest, {
      method: 'POST',
      path,
      pathParameters: { id },
      rawBody: body,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    });
    return { status: response.status, body: response.body };
  });
  return page;
}

interface PageUpload {
  token: string;
  videoId: string;
  upload: PutUpload | MultipartUpload;
  sample: number[];
  moovStart: number;
  paddingBytes: number;
}

/**
 * In the page: a stock Uppy 6 with `@uppy/aws-s3` configured only with `signRequest` (the sign route) and, from
 * the create answer, `shouldUseMultipart` and `getChunkSize`; the file is the sample with `paddingBytes` of padding
 * before its `moov` box (a `free` box), built in the page.
 */
function uploadInPage(page: Page, input: PageUpload) {
  return page.evaluate(async ({ token, videoId, upload, sample, moovStart, paddingBytes }) => {
    const { Uppy, AwsS3, postToApi } = globalThis as unknown as {
      postToApi(path: string, token: string, body: string): Promise<{ status: number; body: unknown }>;
      Uppy: new (
        options?: object,
      ) => {
        use(plugin: unknown, options: object): void;
        addFile(file: object): void;
        upload(): Promise<{ successful?: unknown[]; failed?: { error?: unknown }[] }>;
      };
      AwsS3: unknown;
    };
    const bytes = new Uint8Array(sample);
    const parts: Uint8Array[] = [bytes.subarray(0, moovStart)];
    if (paddingBytes > 0) {
      const free = new Uint8Array(8);
      new DataView(free.buffer).setUint32(0, paddingBytes);
      free.set([0x66, 0x72, 0x65, 0x65], 4);
      parts.push(free, new Uint8Array(paddingBytes - 8));
    }
    parts.push(bytes.subarray(moovStart));
    const file = new File(parts, 'clip.mp4', { type: 'video/mp4' });

    const uppy = new Uppy();
    uppy.use(AwsS3, {
      shouldUseMultipart: upload.method === 'MULTIPART',
      getChunkSize: () => (upload.method === 'MULTIPART' ? upload.partSize : file.size),
      signRequest: async (request: object) => {
        const path = `/api/v1/videos/${videoId}/upload/sign`;
        const response = await postToApi(path, token, JSON.stringify(request));
        if (response.status !== 200) throw new Error(`sign answered ${response.status}`);
        return response.body;
      },
    });
    uppy.addFile({ name: file.name, type: file.type, data: file });
    const result = await uppy.upload();
    return {
      size: file.size,
      successful: result.successful?.length ?? 0,
      failed: (result.failed ?? []).map((failed) => String(failed.error)),
    };
  }, input);
}

async function uploadWithUppy(paddingBytes: number) {
  const creator = await createUser({ role: 'creator' });
  const sizeBytes = sample.byteLength + paddingBytes;
  const created: CreatedVideo = await requestUpload(creator, { sizeBytes });
  const page = await openApp();
  try {
    const result = await uploadInPage(page, {
      token: creator.accessToken,
      videoId: created.video.id,
      upload: created.upload,
      sample: [...sample],
      moovStart,
      paddingBytes,
    });
    await testStack().storageEventsSettled();
    return { created, result, sizeBytes };
  } finally {
    await page.close();
  }
}

describe('a stock Uppy 6 client (@uppy/core + @uppy/aws-s3, signRequest only) in headless Chromium', () => {
  it('uploads a small file with one signed PUT, and the video turns ready', async () => {
    // Act
    const { created, result, sizeBytes } = await uploadWithUppy(0);

    // Assess
    expect(created.upload.method).toBe('PUT');
    expect(result).toEqual({ size: sizeBytes, successful: 1, failed: [] });
    expect(await storedVideo(created.video.id)).toMatchObject({ status: 'ready', sizeBytes });
  }, 60_000);

  it('uploads a file over 100 MiB in parts it starts, signs and completes itself, and the video turns ready', async () => {
    // Act
    const { created, result, sizeBytes } = await uploadWithUppy(BIG_BYTES - sample.byteLength);

    // Assess
    expect(created.upload).toMatchObject({ method: 'MULTIPART', partCount: 13 });
    expect(result).toEqual({ size: BIG_BYTES, successful: 1, failed: [] });
    expect(await storedVideo(created.video.id)).toMatchObject({
      status: 'ready',
      sizeBytes,
      multipartUploadId: null,
    });
  }, 120_000);
});
