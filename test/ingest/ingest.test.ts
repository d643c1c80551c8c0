import { describe, expect, it } from 'vitest';
import { handler as deleteVideo } from '#functions/videos/delete.ts';
import { createUser, subscribe } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';
import {
  loadMediaFixture,
  loadSharedSample,
  withDisplaySize,
  withMovieDuration,
} from '../support/media-fixtures.ts';
import { testStack } from '../support/stack.ts';
import { objectExists, putObjectDirectly } from '../support/storage-objects.ts';
import { putUpload, requestUpload, uploadVideo } from '../support/upload-factories.ts';
import { notifiedRecipients, storedVideo } from '../support/video-rows.ts';

describe('ingest of uploads through storage', () => {
  it.each([
    {
      fixture: 'shared sample',
      contentType: 'video/mp4',
      container: 'video/mp4',
      duration: 2,
      codec: 'avc1',
    },
    {
      fixture: 'sample-moov-at-end.mp4',
      contentType: 'video/mp4',
      container: 'video/mp4',
      duration: 2,
      codec: 'avc1',
    },
    {
      fixture: 'sample.webm',
      contentType: 'video/webm',
      container: 'video/webm',
      duration: 2.008,
      codec: 'V_VP9',
    },
    {
      fixture: 'sample.mov',
      contentType: 'video/quicktime',
      container: 'video/quicktime',
      duration: 2,
      codec: 'avc1',
    },
    // Brands are mixed in practice: a QuickTime file labelled video/mp4 plays anywhere MP4 does.
    {
      fixture: 'sample.mov',
      contentType: 'video/mp4',
      container: 'video/quicktime',
      duration: 2,
      codec: 'avc1',
    },
  ])('makes $fixture declared as $contentType ready with its measured metadata', async (expected) => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const bytes =
      expected.fixture === 'shared sample'
        ? await loadSharedSample()
        : await loadMediaFixture(expected.fixture);

    // Act
    const videoId = await uploadVideo(creator, bytes, { contentType: expected.contentType });

    // Assess
    const video = await storedVideo(videoId);
    expect(video).toMatchObject({
      status: 'ready',
      rejectionReason: null,
      sizeBytes: bytes.byteLength,
      contentType: expected.container,
      durationSeconds: expected.duration,
      width: 320,
      height: 240,
      videoCodec: expected.codec,
    });
    expect(video?.publishedAt).toBeInstanceOf(Date);
    expect(await objectExists(video?.storageKey ?? '')).toBe(true);
  });

  it.each([
    { fixture: 'image.png', contentType: 'video/mp4', reason: 'not_a_video' },
    { fixture: 'program.elf', contentType: 'video/mp4', reason: 'not_a_video' },
    { fixture: 'audio-only.m4a', contentType: 'video/mp4', reason: 'not_a_video' },
    { fixture: 'truncated.mp4', contentType: 'video/mp4', reason: 'unreadable' },
    { fixture: 'sample.webm', contentType: 'video/mp4', reason: 'type_mismatch' },
    { fixture: 'sample-moov-at-end.mp4', contentType: 'video/webm', reason: 'type_mismatch' },
  ])('rejects $fixture declared as $contentType ($reason) and deletes the object', async (expected) => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const bytes = await loadMediaFixture(expected.fixture);

    // Act
    const videoId = await uploadVideo(creator, bytes, {
      contentType: expected.contentType,
      fileName: 'clip.mp4',
    });

    // Assess
    const video = await storedVideo(videoId);
    expect(video).toMatchObject({ status: 'rejected', rejectionReason: expected.reason, publishedAt: null });
    expect(video?.durationSeconds).toBeNull();
    expect(await objectExists(video?.storageKey ?? '')).toBe(false);
  });

  it.each([
    { lie: 'a duration of 2^32 - 2 s', craft: (mp4: Uint8Array) => withMovieDuration(mp4, 1, 0xffff_fffe) },
    { lie: 'a 65535×65535 picture', craft: (mp4: Uint8Array) => withDisplaySize(mp4, 65_535, 65_535) },
  ])(
    'rejects an MP4 whose header claims $lie (unreadable), never leaving it processing',
    async ({ craft }) => {
      // Prepare
      const creator = await createUser({ role: 'creator' });
      const bytes = craft(await loadSharedSample());

      // Act
      const videoId = await uploadVideo(creator, bytes);

      // Assess
      const video = await storedVideo(videoId);
      expect(video).toMatchObject({
        status: 'rejected',
        rejectionReason: 'unreadable',
        durationSeconds: null,
      });
      expect(await objectExists(video?.storageKey ?? '')).toBe(false);
    },
  );

  it('deletes bytes PUT to a still-valid upload URL after their video was deleted', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const sample = await loadSharedSample();
    const { video, upload } = await requestUpload(creator, { sizeBytes: sample.byteLength });
    const { storageKey } = (await storedVideo(video.id)) ?? { storageKey: '' };
    const id = video.id;
    const deleted = await callApi(deleteVideo, {
      method: 'DELETE',
      path: `/api/v1/videos/${id}`,
      pathParameters: { id },
      token: creator.accessToken,
    });

    // Act
    const put = await putUpload(upload, sample);
    await testStack().storageEventsSettled();

    // Assess
    expect(deleted.status).toBe(204);
    expect(put.status).toBe(200);
    expect(await objectExists(storageKey)).toBe(false);
  });

  it('rejects an object whose size differs from the declared one (size_mismatch) and deletes it', async () => {
    // Prepare: storage holds fewer bytes than declared (a direct write, as presigned PUTs sign the length).
    const creator = await createUser({ role: 'creator' });
    const sample = await loadSharedSample();
    const { video } = await requestUpload(creator, { sizeBytes: sample.byteLength + 1 });
    const { storageKey } = (await storedVideo(video.id)) ?? { storageKey: '' };

    // Act
    await putObjectDirectly(storageKey, sample);
    await testStack().storageEventsSettled();

    // Assess
    expect(await storedVideo(video.id)).toMatchObject({
      status: 'rejected',
      rejectionReason: 'size_mismatch',
    });
    expect(await objectExists(storageKey)).toBe(false);
  });

  it('decodes form-encoded keys: a file name with spaces and + reaches its video', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const sample = await loadSharedSample();

    // Act
    const videoId = await uploadVideo(creator, sample, { fileName: 'my holiday +1 (final).mp4' });

    // Assess
    const video = await storedVideo(videoId);
    expect(video?.storageKey).toMatch(/\/my holiday \+1 \(final\)\.mp4$/);
    expect(video?.status).toBe('ready');
    const delivered = testStack().deliveredEvents.at(-1)?.Records[0]?.s3.object.key;
    expect(delivered).toMatch(/\/my\+holiday\+%2B1\+%28final%29\.mp4$/);
  });

  it('notifies each subscriber of a public video once', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const fans = [await createUser(), await createUser()];
    await subscribe(creator, fans);

    // Act
    const videoId = await uploadVideo(creator, await loadSharedSample());

    // Assess
    expect(await notifiedRecipients(videoId)).toEqual(fans.map((fan) => fan.id).sort());
  });

  it('notifies nobody of a private video', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    await subscribe(creator, [await createUser()]);

    // Act
    const videoId = await uploadVideo(creator, await loadSharedSample(), { visibility: 'private' });

    // Assess
    expect((await storedVideo(videoId))?.status).toBe('ready');
    expect(await notifiedRecipients(videoId)).toEqual([]);
  });
});
