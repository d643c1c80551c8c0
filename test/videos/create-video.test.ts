import { afterEach, describe, expect, it, vi } from 'vitest';
import { handler as createVideo } from '#functions/videos/create.ts';
import { sql } from '#lib/db.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { createUser } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';
import { TEST_BUCKET, testStack } from '../support/stack.ts';
import { storedVideo } from '../support/video-rows.ts';

const GiB = 1024 * 1024 * 1024;
const _sameHeaders: Record<string, string> = {};
const validBody = { title: 'My clip', fileName: 'clip.mp4', contentType: 'video/mp4', sizeBytes: 17_834 };

const post = (token: string | undefined, body: unknown) =>
  callApi(createVideo, { method: 'POST', path: '/api/v1/videos', token, body });

const videoCount = async () => (await sql<{ count: number }[]>`select count(*)::int from videos`)[0]?.count;

afterEach(() => {
  vi.useRealTimers();
});

describe('POST /videos', () => {
  it('registers the video awaiting upload and returns a presigned PUT that signs type and length', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });

    // Act
    const response = await post(creator.accessToken, {
      ...validBody,
      description: 'Hi',
      visibility: 'unlisted',
    });

    // Assess
    expect(response.status).toBe(201);
    const { video, upload } = response.body as {
      video: Record<string, unknown>;
      upload: Record<string, unknown>;
    };
    expect(video).toMatchObject({
      title: 'My clip',
      description: 'Hi',
      visibility: 'unlisted',
      status: 'awaiting_upload',
      owner: { id: creator.id, username: creator.username, displayName: creator.displayName },
      viewCount: 0,
      likeCount: 0,
    });
    expect(upload).toMatchObject({ method: 'PUT' });
    expect(upload.headers).toEqual({ 'Content-Type': 'video/mp4', 'If-None-Match': '*' });
    const url = new URL(upload.url as string);
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe(
      'content-length;content-type;host;if-none-match',
    );
    expect(Number(url.searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(15 * 60);
    const expiresIn = Date.parse(upload.expiresAt as string) - Date.now();
    expect(expiresIn).toBeGreaterThan(14 * 60 * 1000);
    expect(expiresIn).toBeLessThanOrEqual(15 * 60 * 1000);
    expect(await storedVideo(video.id as string)).toMatchObject({
      status: 'awaiting_upload',
      storageKey: `uploads/${creator.id}/${video.id}/clip.mp4`,
      multipartUploadId: null,
    });
    expect(url.pathname).toBe(`/${TEST_BUCKET}/uploads/${creator.id}/${video.id}/clip.mp4`);
  });

  it.each([
    { fileName: 'My video +1 (final).MP4', key: 'My video +1 (final).mp4' },
    { fileName: '../../../etc/passwd.mp4', key: 'passwd.mp4' },
    { fileName: 'C:\\Users\\me\\été 🎬.mov', key: '_t_ _.mov' },
    { fileName: '.hidden', key: 'hidden' },
    { fileName: `${'a'.repeat(240)}.webm`, key: `${'a'.repeat(100)}.webm` },
  ])('builds the storage key from a sanitised $fileName', async ({ fileName, key }) => {
    // Prepare
    const creator = await createUser({ role: 'creator' });

    // Act
    const response = await post(creator.accessToken, { ...validBody, fileName });

    // Assess
    expect(response.status).toBe(201);
    const { video } = response.body as { video: { id: string } };
    expect((await storedVideo(video.id))?.storageKey).toBe(`uploads/${creator.id}/${video.id}/${key}`);
  });

  it('lets an admin upload too', async () => {
    // Prepare
    const admin = await createUser({ role: 'admin' });

    // Act
    const response = await post(admin.accessToken, validBody);

    // Assess
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ video: { status: 'awaiting_upload', owner: { id: admin.id } } });
  });

  it.each([
    { case: 'a viewer', role: 'viewer' as const, status: 403, slug: 'forbidden' },
    { case: 'an anonymous caller', role: undefined, status: 401, slug: 'unauthorized' },
  ])('refuses $case without issuing a URL', async ({ role, status, slug }) => {
    // Prepare
    const token = role ? (await createUser({ role })).accessToken : undefined;
    const before = await videoCount();

    // Act
    const response = await post(token, validBody);

    // Assess
    expectProblem(response, status, { slug });
    expect(response.body).not.toHaveProperty('upload');
    expect(await videoCount()).toBe(before);
  });

  it.each([
    { case: 'an image type', contentType: 'image/png' },
    { case: 'a video type we do not accept', contentType: 'video/x-msvideo' },
    { case: 'a near miss', contentType: 'video/mp4x' },
  ])('answers 415 for $case, storing nothing', async ({ contentType }) => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const before = await videoCount();

    // Act
    const response = await post(creator.accessToken, { ...validBody, contentType });

    // Assess
    expectProblem(response, 415, {
      slug: 'unsupported-media-type',
      detail: 'Upload a video as one of video/mp4, video/webm, video/quicktime',
    });
    expect(await videoCount()).toBe(before);
  });

  it('accepts a declared type with parameters and in other case, and signs the normalised type', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });

    // Act
    const response = await post(creator.accessToken, {
      ...validBody,
      contentType: 'Video/WebM; codecs="vp9"',
    });

    // Assess
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ upload: { headers: { 'Content-Type': 'video/webm' } } });
  });

  it('answers 413 above the maximum upload size, storing nothing', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const before = await videoCount();

    // Act
    const response = await post(creator.accessToken, { ...validBody, sizeBytes: 5 * GiB + 1 });

    // Assess
    expectProblem(response, 413, { slug: 'too-large', detail: `A video may be at most ${5 * GiB} bytes` });
    expect(await videoCount()).toBe(before);
  });

  it.each([
    { case: 'an unknown field', body: { ...validBody, status: 'ready' }, path: 'body' },
    { case: 'an owner chosen by the client', body: { ...validBody, ownerId: 'x' }, path: 'body' },
    { case: 'a missing title', body: { ...validBody, title: '  ' }, path: 'body.title' },
    { case: 'a zero size', body: { ...validBody, sizeBytes: 0 }, path: 'body.sizeBytes' },
    { case: 'a fractional size', body: { ...validBody, sizeBytes: 1.5 }, path: 'body.sizeBytes' },
    { case: 'a size as text', body: { ...validBody, sizeBytes: '17834' }, path: 'body.sizeBytes' },
    { case: 'an unknown visibility', body: { ...validBody, visibility: 'secret' }, path: 'body.visibility' },
    {
      case: 'a 256-character file name',
      body: { ...validBody, fileName: 'a'.repeat(256) },
      path: 'body.fileName',
    },
  ])('answers 400 for $case', async ({ body, path }) => {
    // Prepare
    const creator = await createUser({ role: 'creator' });

    // Act
    const response = await post(creator.accessToken, body);

    // Assess
    expectProblem(response, 400, { slug: 'invalid-request' });
    expect((response.body as { errors: { path: string }[] }).errors.map((error) => error.path)).toContain(
      path,
    );
  });

  it('answers 503 when storage cannot start a multipart upload, storing nothing', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const before = await videoCount();
    testStack().emulator.failNextRequests(2, ['POST']);

    // Act
    const response = await post(creator.accessToken, { ...validBody, sizeBytes: 200 * 1024 * 1024 });

    // Assess
    expectProblem(response, 503, { slug: 'unavailable' });
    expect(response.headers['retry-after']).toBe('5');
    expect(await videoCount()).toBe(before);
  });
});
