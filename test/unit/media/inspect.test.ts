import { describe, expect, it } from 'vitest';
import { inspectMedia } from '#lib/media/inspect.ts';
import { bufferReader, countingReader } from '#lib/media/ranged-reader.ts';
import { loadMediaFixture, loadSharedSample } from '../../support/media-fixtures.ts';

describe('inspectMedia on real files', () => {
  it('reads container, duration, size and codec of the shared faststart MP4 sample', async () => {
    // Prepare
    const reader = countingReader(bufferReader(await loadSharedSample()));

    // Act
    const inspection = await inspectMedia(reader);

    // Assess
    expect(inspection).toEqual({
      ok: true,
      container: 'video/mp4',
      durationSeconds: 2,
      width: 320,
      height: 240,
      videoCodec: 'avc1',
    });
    expect(reader.bytesRead).toBeLessThan(reader.size / 2);
  });

  it.each([
    { fixture: 'sample.mov', container: 'video/quicktime', durationSeconds: 2, videoCodec: 'avc1' },
    { fixture: 'sample-moov-at-end.mp4', container: 'video/mp4', durationSeconds: 2, videoCodec: 'avc1' },
    { fixture: 'sample.webm', container: 'video/webm', durationSeconds: 2.008, videoCodec: 'V_VP9' },
    // MediaRecorder-style WebM: unknown Segment size and no Duration.
    { fixture: 'sample-live.webm', container: 'video/webm', durationSeconds: 0, videoCodec: 'V_VP8' },
    // Fragmented MP4 with an empty moov and no mehd does not know its duration.
    { fixture: 'fragmented.mp4', container: 'video/mp4', durationSeconds: 0, videoCodec: 'avc1' },
  ])('reads $fixture as a 320x240 $container', async ({ fixture, ...expected }) => {
    // Prepare
    const reader = bufferReader(await loadMediaFixture(fixture));

    // Act
    const inspection = await inspectMedia(reader);

    // Assess
    expect(inspection).toEqual({ ok: true, width: 320, height: 240, ...expected });
  });

  it('reads a file whose moov sits after the media without fetching the media', async () => {
    // Prepare
    const mp4 = await loadMediaFixture('sample-moov-at-end.mp4');
    const reader = countingReader(bufferReader(mp4));

    // Act
    await inspectMedia(reader);

    // Assess
    expect(reader.bytesRead).toBeLessThan(4096);
  });
});

describe('inspectMedia rejections', () => {
  const text = new TextEncoder().encode(
    'Hello, this is a plain text file and not a video at all.\n'.repeat(20),
  );
  const randomBytes = new Uint8Array(4096).map((_, index) => (index * 2_654_435_761) >>> 24);

  it.each([
    { name: 'a PNG image', load: () => loadMediaFixture('image.png') },
    { name: 'an ELF program', load: () => loadMediaFixture('program.elf') },
    { name: 'an audio-only M4A', load: () => loadMediaFixture('audio-only.m4a') },
    { name: 'plain text', load: async () => text },
    { name: 'an empty object', load: async () => new Uint8Array(0) },
    { name: 'random bytes', load: async () => randomBytes },
    { name: 'a 3-byte object', load: async () => new Uint8Array([0x00, 0x00, 0x00]) },
  ])('reports $name as not_a_video', async ({ load }) => {
    // Prepare
    const reader = bufferReader(await load());

    // Act
    const inspection = await inspectMedia(reader);

    // Assess
    expect(inspection).toEqual({ ok: false, reason: 'not_a_video' });
  });

  it.each([
    { name: 'the first 60% of the faststart sample', load: () => loadMediaFixture('truncated.mp4') },
    {
      name: 'a moov-at-end MP4 cut before its moov ends',
      load: async () => (await loadMediaFixture('sample-moov-at-end.mp4')).subarray(0, -100),
    },
    {
      name: 'a moov-at-end MP4 cut inside its mdat',
      load: async () => (await loadMediaFixture('sample-moov-at-end.mp4')).subarray(0, 8000),
    },
    {
      name: 'a WebM cut in half',
      load: async () => (await loadMediaFixture('sample.webm')).subarray(0, 8000),
    },
    { name: 'an ftyp header alone', load: async () => (await loadSharedSample()).subarray(0, 32) },
  ])('reports $name as unreadable', async ({ load }) => {
    // Prepare
    const reader = bufferReader(await load());

    // Act
    const inspection = await inspectMedia(reader);

    // Assess
    expect(inspection).toEqual({ ok: false, reason: 'unreadable' });
  });

  it('passes through errors of the reader itself so the caller can retry', async () => {
    // Prepare
    const failing = { size: 1000, read: async () => Promise.reject(new Error('socket hang up')) };

    // Act
    const inspecting = inspectMedia(failing);

    // Assess
    await expect(inspecting).rejects.toThrow('socket hang up');
  });
});
