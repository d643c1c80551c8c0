import { describe, expect, it } from 'vitest';
import { inspectMedia } from '#lib/media/inspect.ts';
import { bufferReader, countingReader } from '#lib/media/ranged-reader.ts';
import {
  concat,
  ebml,
  ebmlFloat,
  ebmlString,
  ebmlUnknownSize,
  ebmlUnsigned,
  loadMediaFixture,
  WEBM,
} from '../../support/media-fixtures.ts';

const KiB = 1024;
const MiB = 1024 * KiB;

const header = (docType = 'webm') => ebml(WEBM.ebml, ebmlString(WEBM.docType, docType));
const info = (...children: Uint8Array[]) => ebml(WEBM.info, ...children);
const track = (trackType: number, codecId: string, width = 640, height = 360) =>
  ebml(
    WEBM.trackEntry,
    ebmlUnsigned(WEBM.trackType, trackType),
    ebmlString(WEBM.codecId, codecId),
    ...(trackType === 1
      ? [ebml(WEBM.video, ebmlUnsigned(WEBM.pixelWidth, width), ebmlUnsigned(WEBM.pixelHeight, height))]
      : []),
  );
const tracks = ebml(WEBM.tracks, track(2, 'A_OPUS'), track(1, 'V_AV1'));
const cluster = (bytes: number) => ebml(WEBM.cluster, ebmlUnsigned(WEBM.timecode, 0), new Uint8Array(bytes));
const webm = (...segmentChildren: Uint8Array[]) => concat([header(), ebml(WEBM.segment, ...segmentChildren)]);
const AV1_640x360 = { ok: true, container: 'video/webm', width: 640, height: 360, videoCodec: 'V_AV1' };

describe('inspectMedia on WebM layouts', () => {
  it.each([
    {
      name: 'a float64 Duration in default 1 ms ticks',
      info: info(ebmlFloat(WEBM.duration, 12_345.6)),
      seconds: 12.346,
    },
    { name: 'a float32 Duration', info: info(ebmlFloat(WEBM.duration, 1500, 4)), seconds: 1.5 },
    {
      name: 'a custom TimecodeScale',
      info: info(ebmlUnsigned(WEBM.timecodeScale, 1_000), ebmlFloat(WEBM.duration, 3_000_000)),
      seconds: 3,
    },
    {
      name: 'no Duration (MediaRecorder)',
      info: info(ebmlUnsigned(WEBM.timecodeScale, 1_000_000)),
      seconds: 0,
    },
  ])('reads the duration from $name', async ({ info: infoElement, seconds }) => {
    // Prepare
    const reader = bufferReader(webm(infoElement, tracks, cluster(100)));

    // Act
    const inspection = await inspectMedia(reader);

    // Assess
    expect(inspection).toEqual({ ...AV1_640x360, durationSeconds: seconds });
  });

  it('accepts an unknown-size Segment with unknown-size Clusters, as live recordings write them', async () => {
    // Prepare
    const segment = ebmlUnknownSize(
      WEBM.segment,
      info(),
      tracks,
      ebmlUnknownSize(WEBM.cluster, new Uint8Array(500)),
    );
    const reader = bufferReader(concat([header(), segment]));

    // Act
    const inspection = await inspectMedia(reader);

    // Assess
    expect(inspection).toEqual({ ...AV1_640x360, durationSeconds: 0 });
  });

  it('skips a large Void by its size when Info and Tracks lie past the first 64 KiB', async () => {
    // Prepare
    const reader = countingReader(
      bufferReader(
        webm(ebml(WEBM.void, new Uint8Array(200 * KiB)), info(ebmlFloat(WEBM.duration, 2000)), tracks),
      ),
    );

    // Act
    const inspection = await inspectMedia(reader);

    // Assess
    expect(inspection).toEqual({ ...AV1_640x360, durationSeconds: 2 });
    expect(reader.bytesRead).toBeLessThan(80 * KiB);
  });

  it('follows SeekHead to Info and Tracks written after an unknown-size Cluster', async () => {
    // Prepare
    const clusters = concat([ebmlUnknownSize(WEBM.cluster, new Uint8Array(100 * KiB)), cluster(100 * KiB)]);
    const infoElement = info(ebmlFloat(WEBM.duration, 4000));
    const seek = (id: number, position: number) =>
      ebml(WEBM.seek, ebmlUnsigned(WEBM.seekId, id), ebmlUnsigned(WEBM.seekPosition, position));
    const seekHeadAt = (infoPosition: number) =>
      ebml(
        WEBM.seekHead,
        seek(WEBM.info, infoPosition),
        seek(WEBM.tracks, infoPosition + infoElement.byteLength),
      );
    const seekHead = seekHeadAt(seekHeadAt(0).byteLength + clusters.byteLength);
    const reader = countingReader(bufferReader(webm(seekHead, clusters, infoElement, tracks)));

    // Act
    const inspection = await inspectMedia(reader);

    // Assess
    expect(inspection).toEqual({ ...AV1_640x360, durationSeconds: 4 });
    expect(reader.bytesRead).toBeLessThan(80 * KiB);
  });

  it('skips sized Clusters when there is no SeekHead', async () => {
    // Prepare
    const reader = bufferReader(webm(cluster(80 * KiB), cluster(10), info(), tracks));

    // Act
    const inspection = await inspectMedia(reader);

    // Assess
    expect(inspection).toEqual({ ...AV1_640x360, durationSeconds: 0 });
  });
});

describe('inspectMedia WebM rejections', () => {
  it.each([
    { name: 'an audio-only WebM', bytes: webm(info(), ebml(WEBM.tracks, track(2, 'A_OPUS'))) },
    {
      name: 'a Matroska (not WebM) file',
      bytes: concat([header('matroska'), ebml(WEBM.segment, info(), tracks)]),
    },
    {
      name: 'an EBML file without DocType',
      bytes: concat([ebml(WEBM.ebml), ebml(WEBM.segment, info(), tracks)]),
    },
  ])('reports $name as not_a_video', async ({ bytes }) => {
    // Prepare
    const reader = bufferReader(bytes);

    // Act
    const inspection = await inspectMedia(reader);

    // Assess
    expect(inspection).toEqual({ ok: false, reason: 'not_a_video' });
  });

  it.each([
    { name: 'an EBML magic alone', bytes: new Uint8Array([0x1a, 0x45, 0xdf, 0xa3]) },
    { name: 'a header without Segment', bytes: header() },
    { name: 'a Segment without Tracks', bytes: webm(info(), cluster(10)) },
    {
      name: 'Tracks behind an unknown-size Cluster',
      bytes: webm(info(), ebmlUnknownSize(WEBM.cluster), tracks),
    },
    { name: 'a Segment larger than the file', bytes: webm(info(), tracks).subarray(0, -1) },
    {
      name: 'a video track without pixel size',
      bytes: webm(info(), ebml(WEBM.tracks, track(1, 'V_VP9', 0, 0))),
    },
    {
      name: 'a Tracks child that overruns Tracks',
      bytes: webm(
        info(),
        concat([new Uint8Array([0x16, 0x54, 0xae, 0x6b, 0x84]), new Uint8Array([0xae, 0x90, 0, 0])]),
      ),
    },
    {
      name: '2000 empty Voids and no Info',
      bytes: webm(...Array.from({ length: 2000 }, () => ebml(WEBM.void))),
    },
  ])('reports $name as unreadable', async ({ bytes }) => {
    // Prepare
    const reader = countingReader(bufferReader(bytes));

    // Act
    const inspection = await inspectMedia(reader);

    // Assess
    expect(inspection).toEqual({ ok: false, reason: 'unreadable' });
    expect(reader.requests).toBeLessThanOrEqual(1002);
  });

  it('reads the WebM fixture with two requests', async () => {
    // Prepare
    const reader = countingReader(bufferReader(await loadMediaFixture('sample.webm')));

    // Act
    await inspectMedia(reader);

    // Assess
    expect(reader.requests).toBe(2);
  });
});

describe('inspectMedia on WebM headers that lie', () => {
  const videoTrack = (codecId: string, width: number, height: number) =>
    ebml(WEBM.tracks, track(1, codecId, width, height));

  it.each([
    { name: 'a Duration of 2^32 s', bytes: webm(info(ebmlFloat(WEBM.duration, 2 ** 32 * 1000)), tracks) },
    { name: 'a Duration of 10^300 s', bytes: webm(info(ebmlFloat(WEBM.duration, 1e303)), tracks) },
    { name: 'a 65535×65535 picture', bytes: webm(info(), videoTrack('V_AV1', 65_535, 65_535)) },
    { name: 'a 100-character CodecID', bytes: webm(info(), videoTrack('V_'.padEnd(100, 'X'), 640, 360)) },
    { name: 'a 16 MiB CodecID', bytes: webm(info(), videoTrack('V_'.padEnd(16 * MiB, 'X'), 640, 360)) },
  ])('reports $name as unreadable, reading at most 1 MiB', async ({ bytes }) => {
    // Prepare
    const reader = countingReader(bufferReader(bytes));

    // Act
    const inspection = await inspectMedia(reader);

    // Assess
    expect(inspection).toEqual({ ok: false, reason: 'unreadable' });
    expect(reader.bytesRead).toBeLessThanOrEqual(Math.max(MiB, 0.05 * bytes.byteLength));
  });

  it('rejects a file of SeekHeads that would have it read the whole object', async () => {
    // Prepare
    const seekHeads = Array.from({ length: 8 }, () =>
      ebml(WEBM.seekHead, ebml(WEBM.void, new Uint8Array(MiB))),
    );
    const bytes = webm(...seekHeads, info(), tracks);
    const reader = countingReader(bufferReader(bytes));

    // Act
    const inspection = await inspectMedia(reader);

    // Assess
    expect(inspection).toEqual({ ok: false, reason: 'unreadable' });
    expect(reader.bytesRead).toBeLessThanOrEqual(MiB);
  });

  it('rejects a file that needs a request per Cluster to reach its Tracks', async () => {
    // Prepare
    const clusters = Array.from({ length: 200 }, () => cluster(64 * KiB));
    const reader = countingReader(bufferReader(webm(...clusters, info(), tracks)));

    // Act
    const inspection = await inspectMedia(reader);

    // Assess
    expect(inspection).toEqual({ ok: false, reason: 'unreadable' });
    expect(reader.requests).toBeLessThanOrEqual(64);
  });
});
