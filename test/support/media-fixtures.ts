import { readFile } from 'node:fs/promises';
import { crc32, deflateSync } from 'node:zlib';
import { type Box, childBoxes, findBox, parseBoxHeader } from '#lib/media/mp4-boxes.ts';

/** Reads a committed fixture from `test/fixtures/`. */
export async function loadMediaFixture(name: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(new URL(`../fixtures/${name}`, import.meta.url)));
}

/** Reads the 320x240, 2 s H.264/AAC sample (faststart) that most tests upload. */
export function loadSharedSample(): Promise<Uint8Array> {
  return loadMediaFixture('sample-320x240-2s.mp4');
}

/**
 * The committed fixtures that are made from the sample or from nothing, each with the code that makes it:
 * `npm run fixtures` writes them, and a unit test checks the committed bytes against them.
 */
export const DERIVED_FIXTURES: Record<string, () => Promise<Uint8Array>> = {
  'truncated.mp4': async () => {
    const sample = await loadSharedSample();
    return sample.slice(0, Math.floor(sample.byteLength * 0.6));
  },
  'sample-moov-at-end.mp4': async () => moveMoovToEnd(await loadSharedSample()),
  'image.png': async () => redSquarePng(8),
};

/** Undoes faststart: moves `moov` behind the media data, as an encoder writes a file it does not rewrite. */
export function moveMoovToEnd(mp4: Uint8Array) {
  const moov = topLevelBoxes(mp4).find((box) => box.type === 'moov');
  if (!moov) throw new Error('no moov box');
  const moovBytes = mp4.slice(moov.start, moov.end);
  const size = moov.end - moov.start;
  shiftChunkOffsets(moovBytes, moov.end, -size);
  return concat([mp4.subarray(0, moov.start), mp4.subarray(moov.end), moovBytes]);
}

function redSquarePng(side: number) {
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, side);
  view.setUint32(4, side);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const pixelsPerUnit = new Uint8Array([0, 0, 0, 1, 0, 0, 0, 1, 0]); // 1:1, unit unknown
  const row = [0, ...Array.from({ length: side }, () => [0xfd, 0, 0]).flat()]; // filter byte, then pixels
  const pixels = deflateSync(new Uint8Array(Array.from({ length: side }, () => row).flat()));
  return concat([
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('pHYs', pixelsPerUnit),
    pngChunk('IDAT', pixels),
    pngChunk('IEND', new Uint8Array()),
  ]);
}

function pngChunk(type: string, data: Uint8Array) {
  const typed = concat([new TextEncoder().encode(type), data]);
  const chunk = new Uint8Array(12 + data.byteLength);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, data.byteLength);
  chunk.set(typed, 4);
  view.setUint32(8 + data.byteLength, crc32(typed));
  return chunk;
}

/**
 * Inserts a `free` box of `paddingBytes` (header included) right before `moov`, as an encoder that reserved
 * space for the index would, and moves the chunk offsets of media that sat after `moov`.
 *
 * @example
 * const padded = padBeforeMoov(await loadMediaFixture('sample-moov-at-end.mp4'), 60 * 1024 * 1024);
 */
export function padBeforeMoov(mp4: Uint8Array, paddingBytes: number, options: { largeSize?: boolean } = {}) {
  const moov = topLevelBoxes(mp4).find((box) => box.type === 'moov');
  if (!moov) throw new Error('no moov box');
  const headerSize = options.largeSize ? 16 : 8;
  if (paddingBytes < headerSize || (!options.largeSize && paddingBytes > 0xffff_ffff)) {
    throw new Error(`cannot write a free box of ${paddingBytes} bytes`);
  }

  const padded = new Uint8Array(mp4.byteLength + paddingBytes);
  padded.set(mp4.subarray(0, moov.start));
  padded.set(boxHeader('free', paddingBytes, headerSize), moov.start);
  padded.set(mp4.subarray(moov.start), moov.start + paddingBytes);
  // Only bytes after the insertion point move: for moov-at-end files mdat stays put and no offset changes.
  const movedMoov = padded.subarray(
    moov.start + paddingBytes,
    moov.start + paddingBytes + moov.end - moov.start,
  );
  shiftChunkOffsets(movedMoov, moov.start, paddingBytes);
  return padded;
}

/**
 * Adds an `mvex/mehd` fragment duration to a fragmented MP4 whose fragments use default-base-is-moof
 * offsets (so moving them does not break them).
 *
 * @example
 * const withDuration = addFragmentDuration(await loadMediaFixture('fragmented.mp4'), 2000);
 */
export function addFragmentDuration(mp4: Uint8Array, fragmentDuration: number) {
  const moov = topLevelBoxes(mp4).find((box) => box.type === 'moov');
  const mvex = moov && findBox(mp4, moov, ['mvex']);
  if (!moov || !mvex) throw new Error('not a fragmented MP4');
  const mehd = boxHeader('mehd', 16, 8);
  const extended = new Uint8Array([...mehd, 0, 0, 0, 0, 0, 0, 0, 0]);
  new DataView(extended.buffer).setUint32(12, fragmentDuration);

  const result = new Uint8Array(mp4.byteLength + extended.byteLength);
  result.set(mp4.subarray(0, mvex.payloadStart));
  result.set(extended, mvex.payloadStart);
  result.set(mp4.subarray(mvex.payloadStart), mvex.payloadStart + extended.byteLength);
  const view = new DataView(result.buffer);
  for (const parent of [moov, mvex])
    view.setUint32(parent.start, view.getUint32(parent.start) + extended.byteLength);
  return result;
}

/**
 * A copy of an MP4 whose movie header (`mvhd`, version 0) claims `duration` ticks of `timescale` per second, as a
 * file crafted to lie about its length would.
 *
 * @example
 * const fourBillionSeconds = withMovieDuration(await loadSharedSample(), 1, 0xffff_fffe);
 */
export function withMovieDuration(mp4: Uint8Array, timescale: number, duration: number) {
  const lying = mp4.slice();
  const moov = topLevelBoxes(lying).find((box) => box.type === 'moov');
  const mvhd = moov && findBox(lying, moov, ['mvhd']);
  if (!mvhd || lying[mvhd.payloadStart] !== 0) throw new Error('no version 0 mvhd');
  const view = new DataView(lying.buffer);
  view.setUint32(mvhd.payloadStart + 12, timescale);
  view.setUint32(mvhd.payloadStart + 16, duration);
  return lying;
}

/**
 * A copy of an MP4 whose first track header (`tkhd`, version 0) claims a display size of `width`×`height`.
 *
 * @example
 * const huge = withDisplaySize(await loadSharedSample(), 65_535, 65_535);
 */
export function withDisplaySize(mp4: Uint8Array, width: number, height: number) {
  const lying = mp4.slice();
  const moov = topLevelBoxes(lying).find((box) => box.type === 'moov');
  const tkhd = moov && findBox(lying, moov, ['trak', 'tkhd']);
  if (!tkhd || lying[tkhd.payloadStart] !== 0) throw new Error('no version 0 tkhd');
  const view = new DataView(lying.buffer);
  // 16.16 fixed point, after the 36-byte matrix that starts at offset 40.
  view.setUint32(tkhd.payloadStart + 76, width * 65_536);
  view.setUint32(tkhd.payloadStart + 80, height * 65_536);
  return lying;
}

function topLevelBoxes(mp4: Uint8Array): Box[] {
  const boxes: Box[] = [];
  let at = 0;
  while (at < mp4.byteLength) {
    const header = parseBoxHeader(mp4, at);
    if (!header) throw new Error(`bad box at ${at}`);
    const end = header.size === undefined ? mp4.byteLength : at + header.size;
    boxes.push({ type: header.type, start: at, payloadStart: at + header.headerSize, end });
    at = end;
  }
  return boxes;
}

function boxHeader(type: string, size: number, headerSize: number) {
  const header = new Uint8Array(headerSize);
  const view = new DataView(header.buffer);
  view.setUint32(0, headerSize === 16 ? 1 : size);
  for (let index = 0; index < 4; index++) header[4 + index] = type.charCodeAt(index);
  if (headerSize === 16) view.setBigUint64(8, BigInt(size));
  return header;
}

function shiftChunkOffsets(moovBytes: Uint8Array, fromOffset: number, shift: number) {
  const view = new DataView(moovBytes.buffer, moovBytes.byteOffset, moovBytes.byteLength);
  const headerSize = parseBoxHeader(moovBytes, 0)?.headerSize ?? 8;
  for (const trak of childBoxes(moovBytes, headerSize, moovBytes.byteLength)) {
    if (trak.type !== 'trak') continue;
    const stbl = findBox(moovBytes, trak, ['mdia', 'minf', 'stbl']);
    for (const table of stbl ? childBoxes(moovBytes, stbl.payloadStart, stbl.end) : []) {
      if (table.type !== 'stco' && table.type !== 'co64') continue;
      const entryCount = view.getUint32(table.payloadStart + 4);
      for (let index = 0; index < entryCount; index++) {
        if (table.type === 'stco') {
          const at = table.payloadStart + 8 + index * 4;
          const offset = view.getUint32(at);
          if (offset >= fromOffset) view.setUint32(at, offset + shift);
        } else {
          const at = table.payloadStart + 8 + index * 8;
          const offset = view.getBigUint64(at);
          if (offset >= BigInt(fromOffset)) view.setBigUint64(at, offset + BigInt(shift));
        }
      }
    }
  }
}

/** EBML builders for hand-made WebM files: `ebml(id, ...children)` writes an 8-byte size field. */
export function ebml(id: number, ...children: Uint8Array[]): Uint8Array {
  return concat([
    idBytes(id),
    sizeBytes(children.reduce((total, child) => total + child.byteLength, 0)),
    ...children,
  ]);
}

/** An element of unknown size, as live recorders write Segment and Cluster. */
export function ebmlUnknownSize(id: number, ...children: Uint8Array[]): Uint8Array {
  return concat([idBytes(id), new Uint8Array([0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), ...children]);
}

export function ebmlUnsigned(id: number, value: number): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(value));
  return ebml(id, bytes);
}

export function ebmlFloat(id: number, value: number, byteLength: 4 | 8 = 8): Uint8Array {
  const bytes = new Uint8Array(byteLength);
  const view = new DataView(bytes.buffer);
  if (byteLength === 4) view.setFloat32(0, value);
  else view.setFloat64(0, value);
  return ebml(id, bytes);
}

export function ebmlString(id: number, value: string): Uint8Array {
  return ebml(id, new TextEncoder().encode(value));
}

/** Element IDs used by the hand-made WebM files. */
export const WEBM = {
  ebml: 0x1a45dfa3,
  docType: 0x4282,
  segment: 0x18538067,
  seekHead: 0x114d9b74,
  seek: 0x4dbb,
  seekId: 0x53ab,
  seekPosition: 0x53ac,
  info: 0x1549a966,
  timecodeScale: 0x2ad7b1,
  duration: 0x4489,
  tracks: 0x1654ae6b,
  trackEntry: 0xae,
  trackType: 0x83,
  codecId: 0x86,
  video: 0xe0,
  pixelWidth: 0xb0,
  pixelHeight: 0xba,
  cluster: 0x1f43b675,
  timecode: 0xe7,
  void: 0xec,
} as const;

export function concat(parts: Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(parts.reduce((total, part) => total + part.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.byteLength;
  }
  return joined;
}

function idBytes(id: number) {
  const length = id > 0xffffff ? 4 : id > 0xffff ? 3 : id > 0xff ? 2 : 1;
  return new Uint8Array(Array.from({ length }, (_, index) => (id >>> (8 * (length - 1 - index))) & 0xff));
}

function sizeBytes(size: number) {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(size));
  bytes[0] = 0x01;
  return bytes;
}
