import {
  asciiCode,
  type ContainerType,
  MalformedMediaError,
  type MediaInspection,
  NOT_A_VIDEO,
  UNREADABLE,
  videoInspection,
} from './media-inspection.ts';
import { type Box, childBoxes, findBox, parseBoxHeader, payloadView } from './mp4-boxes.ts';

interface VideoTrack {
  width: number;
  height: number;
  codec: string | undefined;
}

/**
 * Reads duration, video size and codec from a complete `moov` box (header included).
 *
 * @example
 * inspectMovieBox(moovBytes, 'video/mp4');
 * // → { ok: true, container: 'video/mp4', durationSeconds: 2, width: 320, height: 240, videoCodec: 'avc1' }
 */
export function inspectMovieBox(moovBytes: Uint8Array, container: ContainerType): MediaInspection {
  const header = parseBoxHeader(moovBytes, 0);
  if (header?.type !== 'moov') return UNREADABLE;
  const moov: Box = { type: 'moov', start: 0, payloadStart: header.headerSize, end: moovBytes.byteLength };

  let movie: { timescale: number; duration: number } | undefined;
  let fragmented = false;
  let fragmentDuration = 0;
  let video: VideoTrack | undefined;
  for (const box of childBoxes(moovBytes, moov.payloadStart, moov.end)) {
    if (box.type === 'mvhd') movie = readMovieHeader(moovBytes, box);
    if (box.type === 'trak' && !video) video = readVideoTrack(moovBytes, box);
    if (box.type === 'mvex') {
      fragmented = true;
      const mehd = findBox(moovBytes, box, ['mehd']);
      if (mehd) fragmentDuration = readVersionedCount(moovBytes, mehd, 4);
    }
  }
  if (!movie) return UNREADABLE;
  if (!video) return NOT_A_VIDEO;

  const duration = movie.duration || fragmentDuration;
  // A fragmented file (MediaRecorder's MP4, empty_moov) may not know its length up front: report 0 like live WebM.
  if (duration === 0 && !fragmented) return UNREADABLE;
  return videoInspection({
    container,
    durationSeconds: duration / movie.timescale,
    width: video.width,
    height: video.height,
    videoCodec: video.codec,
  });
}

function readMovieHeader(bytes: Uint8Array, mvhd: Box) {
  const version = payloadView(bytes, mvhd, 0, 1).getUint8(0);
  const timescaleAt = version === 1 ? 20 : 12;
  const timescale = payloadView(bytes, mvhd, timescaleAt, 4).getUint32(0);
  if (timescale === 0) throw new MalformedMediaError('mvhd timescale is 0');
  return { timescale, duration: readVersionedCount(bytes, mvhd, timescaleAt + 4) };
}

/** Reads a 32-bit (version 0) or 64-bit (version 1) count; all ones means "unknown" and reads as 0. */
function readVersionedCount(bytes: Uint8Array, box: Box, offset: number) {
  const version = payloadView(bytes, box, 0, 1).getUint8(0);
  if (version !== 1) {
    const count = payloadView(bytes, box, offset, 4).getUint32(0);
    return count === 0xffff_ffff ? 0 : count;
  }
  const count = payloadView(bytes, box, offset, 8).getBigUint64(0);
  if (count === 0xffff_ffff_ffff_ffffn) return 0;
  if (count > BigInt(Number.MAX_SAFE_INTEGER)) throw new MalformedMediaError('duration out of range');
  return Number(count);
}

function readVideoTrack(bytes: Uint8Array, trak: Box): VideoTrack | undefined {
  const hdlr = findBox(bytes, trak, ['mdia', 'hdlr']);
  if (!hdlr || handlerType(bytes, hdlr) !== 'vide') return undefined;

  const sampleEntry = firstSampleEntry(bytes, trak);
  const tkhd = findBox(bytes, trak, ['tkhd']);
  const presented = tkhd ? presentationSize(bytes, tkhd) : { width: 0, height: 0 };
  const size = presented.width > 0 && presented.height > 0 ? presented : (sampleEntry?.size ?? presented);
  return { ...size, codec: sampleEntry?.codec };
}

function handlerType(bytes: Uint8Array, hdlr: Box) {
  // QuickTime's hdlr has its component type ('mhlr') where ISO has pre_defined, so the subtype sits at the same place.
  const view = payloadView(bytes, hdlr, 8, 4);
  return String.fromCharCode(view.getUint8(0), view.getUint8(1), view.getUint8(2), view.getUint8(3));
}

/** The track's display size: tkhd width/height (16.16 fixed point), swapped when the matrix turns it a quarter. */
function presentationSize(bytes: Uint8Array, tkhd: Box) {
  const version = payloadView(bytes, tkhd, 0, 1).getUint8(0);
  const matrixAt = version === 1 ? 52 : 40;
  const matrix = payloadView(bytes, tkhd, matrixAt, 44);
  const width = Math.round(matrix.getUint32(36) / 65_536);
  const height = Math.round(matrix.getUint32(40) / 65_536);
  const quarterTurn = matrix.getInt32(0) === 0 && matrix.getInt32(4) !== 0;
  return quarterTurn ? { width: height, height: width } : { width, height };
}

function firstSampleEntry(bytes: Uint8Array, trak: Box) {
  const stsd = findBox(bytes, trak, ['mdia', 'minf', 'stbl', 'stsd']);
  if (!stsd || payloadView(bytes, stsd, 4, 4).getUint32(0) === 0) return undefined;
  const entry = payloadView(bytes, stsd, 8, 36);
  const codec = asciiCode(new Uint8Array(entry.buffer, entry.byteOffset + 4, 4));
  // VisualSampleEntry: 8-byte box header, 6 reserved, data_reference_index, 16 bytes pre_defined, then width/height.
  return { codec, size: { width: entry.getUint16(32), height: entry.getUint16(34) } };
}
