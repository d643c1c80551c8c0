// biome-ignore-all lint/suspicious/noTemplateCurlyInString: serverless variables are literal ${…} text here
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { ListPartsCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { load } from 'js-yaml';
import { describe, expect, it, vi } from 'vitest';

// Configuration is read once at import: a small threshold makes a 13 MiB upload go multipart.
vi.hoisted(() => {
  process.env.MULTIPART_THRESHOLD_BYTES = String(10 * 1024 * 1024);
});

import { handler as signPart } from '#functions/videos/multipart-sign-part.ts';
import { BUCKET_CORS_HEADERS } from '#tools/local-stack/s3-emulator.ts';
import { projectRoot } from '#tools/serverless-functions.ts';
import { createUser, type TestUser } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';
import { TEST_BUCKET, TEST_CORS_ORIGIN } from '../support/stack.ts';
import { storageClient } from '../support/storage-objects.ts';
import { type MultipartUpload, requestUpload } from '../support/upload-factories.ts';

interface CorsRule {
  AllowedHeaders: string[];
  ExposedHeaders: string[];
}
const service = load(await readFile(join(projectRoot, 'serverless.yml'), 'utf8')) as {
  provider: { s3: { videos: { corsConfiguration: { CorsRules: CorsRule[] } } } };
};
const [deployedRule] = service.provider.s3.videos.corsConfiguration.CorsRules;

/** Fetch's forbidden request-header names: a browser sets these itself and refuses to let a script set them. */
const FORBIDDEN_HEADERS = new Set(
  'accept-charset accept-encoding access-control-request-headers access-control-request-method connection content-length cookie cookie2 date dnt expect host keep-alive origin referer set-cookie te trailer transfer-encoding upgrade via'.split(
    ' ',
  ),
);
const browserSets = (header: string) =>
  FORBIDDEN_HEADERS.has(header.toLowerCase()) || /^(proxy|sec)-/i.test(header);

/** Whether a CORS `AllowedHeaders` list (S3 matches case-insensitively, `*` as a wildcard) allows `header`. */
const corsAllows = (allowed: readonly string[], header: string) =>
  allowed.some((pattern) =>
    new RegExp(
      `^${pattern
        .split('*')
        .map((piece) => piece.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
      'i',
    ).test(header),
  );

/** The URLs a browser uploads to, and the headers the API tells it to send with each. */
const uploadUrls: Record<
  string,
  (creator: TestUser) => Promise<{ url: string; headers: Record<string, string> }>
> = {
  'the presigned PUT': async (creator) => {
    const { upload } = await requestUpload(creator, { sizeBytes: 17_834 });
    return { url: upload.url, headers: upload.headers };
  },
  'a multipart part': async (creator) => {
    const { video, upload } = await requestUpload<MultipartUpload>(creator, { sizeBytes: 13 * 1024 * 1024 });
    const signed = await callApi<{ url: string }>(signPart, {
      method: 'GET',
      path: `/api/v1/videos/${video.id}/multipart/${upload.uploadId}/parts/2`,
      pathParameters: { id: video.id, uploadId: upload.uploadId, partNumber: '2' },
      token: creator.accessToken,
    });
    return { url: signed.body.url, headers: {} };
  },
};

describe('uploads from a browser', () => {
  it('tells the client to set only headers a browser lets a script set', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });

    // Act
    const { upload } = await requestUpload(creator, { sizeBytes: 17_834 });

    // Assess
    expect(upload.headers).toEqual({ 'Content-Type': 'video/mp4', 'If-None-Match': '*' });
    expect(Object.keys(upload.headers).filter(browserSets)).toEqual([]);
  });

  it.each(Object.keys(uploadUrls))(
    'lets a browser send every header %s signs: the client is told to set it, the deployed bucket and the emulator allow it',
    async (name) => {
      // Prepare
      const creator = await createUser({ role: 'creator' });
      const { url, headers } = await (uploadUrls[name] as (typeof uploadUrls)[string])(creator);
      const signed = new URL(url).searchParams.get('X-Amz-SignedHeaders')?.split(';') ?? [];
      const setByScript = signed.filter((header) => !browserSets(header));

      // Act: the preflight a browser sends before a PUT with these headers.
      const preflight = await fetch(url, {
        method: 'OPTIONS',
        headers: {
          Origin: TEST_CORS_ORIGIN,
          'Access-Control-Request-Method': 'PUT',
          ...(setByScript.length > 0 ? { 'Access-Control-Request-Headers': setByScript.join(',') } : {}),
        },
      });

      // Assess
      expect(signed).toContain('content-length');
      expect([...setByScript].sort()).toEqual(
        Object.keys(headers)
          .map((header) => header.toLowerCase())
          .sort(),
      );
      expect(setByScript.filter((header) => !corsAllows(deployedRule?.AllowedHeaders ?? [], header))).toEqual(
        [],
      );
      expect(preflight.status).toBe(200);
      expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
      for (const header of setByScript)
        expect(preflight.headers.get('access-control-allow-headers')).toContain(header);
    },
  );

  it('lets a browser resuming a multipart upload list its parts locally, as on S3: CORS headers, and no part cut off', async () => {
    // Prepare: part 1 stored, part 2's request cut off in the middle of its body (a paused upload)
    const creator = await createUser({ role: 'creator' });
    const { upload } = await requestUpload<MultipartUpload>(creator, { sizeBytes: 13 * 1024 * 1024 });
    const part = { Bucket: TEST_BUCKET, Key: upload.key, UploadId: upload.uploadId };
    await storageClient().send(new UploadPartCommand({ ...part, PartNumber: 1, Body: new Uint8Array(1024) }));
    const cutOff = new URL(
      await getSignedUrl(storageClient(), new UploadPartCommand({ ...part, PartNumber: 2 })),
    );
    await new Promise<void>((resolve) => {
      const partial = request(cutOff, { method: 'PUT', headers: { 'content-length': 1024 * 1024 } });
      partial.on('error', () => resolve());
      partial.write(new Uint8Array(64 * 1024), () => {
        partial.destroy();
        setTimeout(resolve, 200);
      });
    });

    // Act: the ListParts a browser sends through a signed URL
    const listed = await fetch(await getSignedUrl(storageClient(), new ListPartsCommand(part)), {
      headers: { Origin: TEST_CORS_ORIGIN },
    });

    // Assess
    expect(listed.status).toBe(200);
    expect(listed.headers.get('access-control-allow-origin')).toBe(TEST_CORS_ORIGIN);
    expect((await listed.text()).match(/<PartNumber>\d+<\/PartNumber>/g)).toEqual([
      '<PartNumber>1</PartNumber>',
    ]);
  });

  it('gives the local emulator the deployed bucket’s CORS headers, so a browser upload S3 would refuse fails locally too', () => {
    // Assess
    expect(BUCKET_CORS_HEADERS.allowed).toEqual(deployedRule?.AllowedHeaders);
    expect(BUCKET_CORS_HEADERS.exposed).toEqual(deployedRule?.ExposedHeaders);
  });
});
