import { afterEach, describe, expect, it, vi } from 'vitest';
import { createUser } from '../support/factories.ts';
import { loadSharedSample } from '../support/media-fixtures.ts';
import { testStack } from '../support/stack.ts';
import { putUpload, requestUpload } from '../support/upload-factories.ts';
import { storedVideo } from '../support/video-rows.ts';

const sameHeaders: Record<string, string> = {};

afterEach(() => {
  vi.useRealTimers();
});

describe('the presigned PUT, enforced by storage', () => {
  it('stores the exact bytes that were declared', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const sample = await loadSharedSample();
    const { upload } = await requestUpload(creator, { sizeBytes: sample.byteLength });

    // Act
    const response = await putUpload(upload, sample);

    // Assess
    expect(response.status).toBe(200);
    await testStack().storageEventsSettled();
  });

  it.each([
    {
      case: 'more bytes than signed',
      change: (bytes: Uint8Array) => new Uint8Array([...bytes, 0]),
      headers: sameHeaders,
    },
    {
      case: 'fewer bytes than signed',
      change: (bytes: Uint8Array) => bytes.subarray(1),
      headers: sameHeaders,
    },
    {
      case: 'another Content-Type',
      change: (bytes: Uint8Array) => bytes,
      headers: { 'Content-Type': 'text/html' } as Record<string, string>,
    },
  ])('refuses a PUT with $case (403 from storage), storing nothing', async ({ change, headers }) => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const sample = await loadSharedSample();
    const { video, upload } = await requestUpload(creator, { sizeBytes: sample.byteLength });

    // Act
    const response = await putUpload(upload, change(sample), headers);

    // Assess
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    await testStack().storageEventsSettled();
    expect((await storedVideo(video.id))?.status).toBe('awaiting_upload');
  });

  it.each([
    {
      case: 'a tampered signature',
      tamper: (url: URL) => url.searchParams.set('X-Amz-Signature', '0'.repeat(64)),
    },
    {
      case: 'a key pointing at another upload',
      tamper: (url: URL) => {
        url.pathname = url.pathname.replace(/[^/]+$/, 'other.mp4');
      },
    },
    { case: 'a longer expiry', tamper: (url: URL) => url.searchParams.set('X-Amz-Expires', '604800') },
  ])('refuses a PUT through $case (403 from storage)', async ({ tamper }) => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const sample = await loadSharedSample();
    const { upload } = await requestUpload(creator, { sizeBytes: sample.byteLength });
    const url = new URL(upload.url);
    tamper(url);

    // Act
    const response = await putUpload({ ...upload, url: url.toString() }, sample);

    // Assess
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('refuses a PUT without any signature (the bucket is private)', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const sample = await loadSharedSample();
    const { upload } = await requestUpload(creator, { sizeBytes: sample.byteLength });
    const url = new URL(upload.url);

    // Act
    const response = await putUpload({ ...upload, url: `${url.origin}${url.pathname}` }, sample);

    // Assess
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>AccessDenied</Code>');
  });

  it('refuses a PUT after the URL expired (403 from storage)', async () => {
    // Prepare: the URL is issued 16 minutes "ago".
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() - 16 * 60 * 1000);
    const creator = await createUser({ role: 'creator' });
    const sample = await loadSharedSample();
    const { upload } = await requestUpload(creator, { sizeBytes: sample.byteLength });
    vi.useRealTimers();

    // Act
    const response = await putUpload(upload, sample);

    // Assess
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Request has expired');
  });

  it('refuses a second PUT to the same URL, so verified bytes cannot be replaced (412 from storage)', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const sample = await loadSharedSample();
    const { video, upload } = await requestUpload(creator, { sizeBytes: sample.byteLength });
    expect((await putUpload(upload, sample)).status).toBe(200);
    await testStack().storageEventsSettled();

    // Act
    const replaced = sample.slice();
    replaced.fill(0, 0, 64);
    const response = await putUpload(upload, replaced);

    // Assess
    expect(response.status).toBe(412);
    expect(await response.text()).toContain('<Code>PreconditionFailed</Code>');
    expect((await storedVideo(video.id))?.status).toBe('ready');
  });
});
