import { afterAll, describe, expect, it, vi } from 'vitest';
import { logger } from '#lib/log.ts';
import { createUser } from '../support/factories.ts';
import { loadMediaFixture, loadSharedSample, padBeforeMoov } from '../support/media-fixtures.ts';
import { uploadVideo } from '../support/upload-factories.ts';
import { storedVideo } from '../support/video-rows.ts';

const MiB = 1024 * 1024;

interface Measured {
  outcome: string;
  reason?: string;
  bytesRead: number;
  requests: number;
}

/** What ingest logged for each object it ingested (the real function, through the emulator and the bridge). */
const ingestLog = vi.spyOn(logger, 'info');
const measurements: Record<string, unknown>[] = [];

function lastMeasurement(): Measured {
  const entry = ingestLog.mock.calls.filter(([message]) => message === 'Ingested an uploaded object').at(-1);
  return entry?.[1] as unknown as Measured;
}

afterAll(() => {
  // Run with --silent=false to read the table.
  console.table(measurements);
});

describe('bytes ingest reads from storage', () => {
  it.each([
    { name: 'sample-320x240-2s.mp4 (faststart)', load: loadSharedSample, outcome: 'accepted' },
    {
      name: 'sample-moov-at-end.mp4',
      load: () => loadMediaFixture('sample-moov-at-end.mp4'),
      outcome: 'accepted',
    },
    {
      name: 'sample.mov',
      load: () => loadMediaFixture('sample.mov'),
      outcome: 'accepted',
      type: 'video/quicktime',
    },
    {
      name: 'sample.webm',
      load: () => loadMediaFixture('sample.webm'),
      outcome: 'accepted',
      type: 'video/webm',
    },
    {
      name: 'sample-live.webm',
      load: () => loadMediaFixture('sample-live.webm'),
      outcome: 'accepted',
      type: 'video/webm',
    },
    { name: 'fragmented.mp4', load: () => loadMediaFixture('fragmented.mp4'), outcome: 'accepted' },
    {
      name: '50 MiB free box before moov (moov at end)',
      load: async () => padBeforeMoov(await loadMediaFixture('sample-moov-at-end.mp4'), 50 * MiB),
      outcome: 'accepted',
    },
    {
      name: '50 MiB free box before moov (faststart sample)',
      load: async () => padBeforeMoov(await loadSharedSample(), 50 * MiB),
      outcome: 'accepted',
    },
    { name: 'image.png', load: () => loadMediaFixture('image.png'), outcome: 'rejected' },
    { name: 'program.elf', load: () => loadMediaFixture('program.elf'), outcome: 'rejected' },
    { name: 'truncated.mp4', load: () => loadMediaFixture('truncated.mp4'), outcome: 'rejected' },
  ])('reads at most max(1 MiB, 5 %) of $name', async ({ name, load, outcome, type }) => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const bytes = await load();

    // Act
    const videoId = await uploadVideo(creator, bytes, { contentType: type ?? 'video/mp4' });

    // Assess
    const measured = lastMeasurement();
    const { outcome: found, reason, bytesRead, requests } = measured;
    measurements.push({ object: name, size: bytes.byteLength, outcome: found, reason, bytesRead, requests });
    expect(measured.outcome).toBe(outcome);
    expect((await storedVideo(videoId))?.status).toBe(outcome === 'accepted' ? 'ready' : outcome);
    expect(measured.bytesRead).toBeGreaterThan(0);
    expect(measured.bytesRead).toBeLessThanOrEqual(Math.max(MiB, 0.05 * bytes.byteLength));
  });
});
