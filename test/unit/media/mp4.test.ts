import { describe, expect, it } from 'vitest';
import { inspectMedia } from '#lib/media/inspect.ts';
import { childBoxes, findBox } from '#lib/media/mp4-boxes.ts';
import { bufferReader, countingReader } from '#lib/media/ranged-reader.ts';
import {
  addFragmentDuration,
  concat,
  loadMediaFixture,
  loadSharedSample,
  padBeforeMoov,
  withDisplaySize,
  withMovieDuration,
} from '../../support/media-fixtures.ts';

const MiB = 1024 * 1024;
const SAMPLE = {
  ok: true,
  container: 'video/mp4',
  durationSeconds: 2,
  width: 320,
  height: 240,
  videoCodec: 'avc1',
};

function box(type: string, payload: Uint8Array, size = 8 + payload.byteLength) {
  const header = new Uint8Array(8);
  new DataView(header.buffer).setUint32(0, size);
  header.set(new TextEncoder().encode(type), 4);
  return concat([header, payload]);
}

const ftyp = box('ftyp', new TextEncoder().encode('isom\0\0\0\0isomavc1'));

describe('inspectMedia on MP4 layouts', () => {
  it('finds moov after 60 MB of padding while reading under 1 MiB', async () => {
    // Prepare
    const padded = padBeforeMoov(await loadMediaFixture('sample-moov-at-end.mp4'), 60 * MiB);
    const reader = countingReader(bufferReader(padded));

    // Act
    const inspection = await inspectMedia(reader);

    // Assess
    expect(inspection).toEqual(SAMPLE);
    expect(reader.bytesRead).toBeLessThanOrEqual(MiB);
    expect(reader.requests).toBeLessThanOrEqual(8);
  });

  it('skips a padding box written with a 64-bit largesize', async () => {
    // Prepare
    const padded = padBeforeMoov(await loadSharedSample(), 5 * MiB, { largeSize: true });

    // Act
    const inspection = await inspectMedia(bufferReader(padded));

    // Assess
    expect(inspection).toEqual(SAMPLE);
  });

  it('accepts a last box whose size 0 means "to the end of the file"', async () => {
    // Prepare
    const mp4 = (await loadSharedSample()).slice();
    const mdatAt = 3075;
    new DataView(mp4.buffer).setUint32(mdatAt, 0);

    // Act
    const inspection = await inspectMedia(bufferReader(mp4));

    // Assess
    expect(inspection).toEqual(SAMPLE);
  });

  it('reads the fragment duration from mvex/mehd when mvhd has none', async () => {
    // Prepare
    const fragmented = addFragmentDuration(await loadMediaFixture('fragmented.mp4'), 2000);

    // Act
    const inspection = await inspectMedia(bufferReader(fragmented));

    // Assess
    expect(inspection).toEqual(SAMPLE);
  });

  it('reports the display size of a video recorded in portrait (tkhd matrix turned a quarter)', async () => {
    // Prepare
    const mp4 = (await loadSharedSample()).slice();
    const moov = [...childBoxes(mp4, 0, mp4.byteLength)].find((box) => box.type === 'moov');
    const trak = moov && [...childBoxes(mp4, moov.payloadStart, moov.end)].find((box) => box.type === 'trak');
    const tkhd = trak && findBox(mp4, trak, ['tkhd']);
    if (!tkhd) throw new Error('sample has no tkhd');
    const matrix = new DataView(mp4.buffer, tkhd.payloadStart + 40, 16);
    for (const [index, value] of [0, 0x1_0000, 0, -0x1_0000].entries()) matrix.setInt32(index * 4, value);

    // Act
    const inspection = await inspectMedia(bufferReader(mp4));

    // Assess
    expect(inspection).toEqual({ ...SAMPLE, width: 240, height: 320 });
  });

  it('reads a QuickTime file that starts with a wide atom and has no ftyp', async () => {
    // Prepare
    const mov = await loadMediaFixture('sample.mov');
    const withoutFtyp = mov.subarray(20);

    // Act
    const inspection = await inspectMedia(bufferReader(withoutFtyp));

    // Assess
    expect(inspection).toEqual({ ...SAMPLE, container: 'video/quicktime' });
  });
});

describe('inspectMedia on hostile MP4 box sizes', () => {
  const largeSize = (value: bigint) => {
    const bytes = new Uint8Array(16);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, 1);
    bytes.set(new TextEncoder().encode('mdat'), 4);
    view.setBigUint64(8, value);
    return bytes;
  };

  it.each([
    { name: 'a box of size 4 after ftyp', bytes: concat([ftyp, box('free', new Uint8Array(8), 4)]) },
    {
      name: 'a box claiming 4 GB in a small file',
      bytes: concat([ftyp, box('mdat', new Uint8Array(64), 0xffff_fff0)]),
    },
    {
      name: 'a largesize of 2^64 - 1',
      bytes: concat([ftyp, largeSize(0xffff_ffff_ffff_ffffn), new Uint8Array(64)]),
    },
    { name: 'a largesize smaller than its header', bytes: concat([ftyp, largeSize(3n), new Uint8Array(64)]) },
    { name: 'a largesize of 0', bytes: concat([ftyp, largeSize(0n), new Uint8Array(64)]) },
    {
      name: 'a zero-size mdat before moov (runs to the end)',
      bytes: concat([ftyp, box('mdat', new Uint8Array(64), 0)]),
    },
    { name: 'trailing bytes too short for a box', bytes: concat([ftyp, new Uint8Array(5)]) },
    {
      name: 'a moov whose mvhd is too short',
      bytes: concat([ftyp, box('moov', box('mvhd', new Uint8Array(4)))]),
    },
    {
      name: 'a moov child that overruns moov',
      bytes: concat([ftyp, box('moov', box('trak', new Uint8Array(16), 4096))]),
    },
    {
      name: '2000 empty free boxes and no moov',
      bytes: concat([ftyp, ...Array.from({ length: 2000 }, () => box('free', new Uint8Array(0)))]),
    },
  ])('reports $name as unreadable without hanging', async ({ bytes }) => {
    // Prepare
    const reader = countingReader(bufferReader(bytes));

    // Act
    const inspection = await inspectMedia(reader);

    // Assess
    expect(inspection).toEqual({ ok: false, reason: 'unreadable' });
    expect(reader.requests).toBeLessThanOrEqual(1001);
  });

  it('refuses a moov larger than 64 MiB without reading it', async () => {
    // Prepare
    const moovHeader = box('moov', new Uint8Array(0), 65 * MiB);
    const reader = countingReader({
      size: ftyp.byteLength + 65 * MiB,
      read: bufferReader(concat([ftyp, moovHeader])).read,
    });

    // Act
    const inspection = await inspectMedia(reader);

    // Assess
    expect(inspection).toEqual({ ok: false, reason: 'unreadable' });
    expect(reader.bytesRead).toBeLessThan(1024);
  });
});

describe('inspectMedia on MP4 headers that lie', () => {
  it.each([
    { name: 'a duration of 2^32 - 2 s', lie: (mp4: Uint8Array) => withMovieDuration(mp4, 1, 0xffff_fffe) },
    { name: 'a duration of a day and a second', lie: (mp4: Uint8Array) => withMovieDuration(mp4, 1, 86_401) },
    { name: 'a 65535×65535 picture', lie: (mp4: Uint8Array) => withDisplaySize(mp4, 65_535, 65_535) },
    { name: 'a side of 16,385 pixels', lie: (mp4: Uint8Array) => withDisplaySize(mp4, 16_385, 2) },
    {
      name: 'a 16384×4096 picture (past 8192×4352)',
      lie: (mp4: Uint8Array) => withDisplaySize(mp4, 16_384, 4096),
    },
  ])('reports $name as unreadable', async ({ lie }) => {
    // Prepare
    const reader = bufferReader(lie(await loadSharedSample()));

    // Act
    const inspection = await inspectMedia(reader);

    // Assess
    expect(inspection).toEqual({ ok: false, reason: 'unreadable' });
  });

  it.each([
    {
      name: 'a duration of exactly 24 h',
      lie: (mp4: Uint8Array) => withMovieDuration(mp4, 1000, 86_400_000),
      expected: { durationSeconds: 86_400 },
    },
    {
      name: 'an 8192×4352 picture',
      lie: (mp4: Uint8Array) => withDisplaySize(mp4, 8192, 4352),
      expected: { width: 8192, height: 4352 },
    },
  ])('accepts $name, the largest it keeps', async ({ lie, expected }) => {
    // Prepare
    const reader = bufferReader(lie(await loadSharedSample()));

    // Act
    const inspection = await inspectMedia(reader);

    // Assess
    expect(inspection).toEqual({ ...SAMPLE, ...expected });
  });

  it('rejects an 8 KiB file of 1,000 boxes after a few dozen requests, not 1,000', async () => {
    // Prepare
    const boxes = concat([ftyp, ...Array.from({ length: 1000 }, () => box('free', new Uint8Array(0)))]);
    const reader = countingReader(bufferReader(boxes));

    // Act
    const inspection = await inspectMedia(reader);

    // Assess
    expect(inspection).toEqual({ ok: false, reason: 'unreadable' });
    expect(reader.requests).toBeLessThanOrEqual(34);
  });

  it('accepts a fragmented file with more fragments than the walk reads, without reading them all', async () => {
    // Prepare
    const fragments = Array.from({ length: 200 }, () => box('free', new Uint8Array(1024)));
    const fragmented = concat([await loadMediaFixture('fragmented.mp4'), ...fragments]);
    const reader = countingReader(bufferReader(fragmented));

    // Act
    const inspection = await inspectMedia(reader);

    // Assess
    expect(inspection).toMatchObject({ ok: true, width: 320, height: 240 });
    expect(reader.requests).toBeLessThanOrEqual(34);
  });
});
