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

/**
 * The presentation times (seconds) of the video track's keyframes, from a complete `moov` box: its sync samples
 * (`stss`), their decode times (`stts`), composition offsets (`ctts`) and the edit list's shift (`elst`), as ffmpeg
 * presents them. Undefined when the track has no sync sample table (every frame a keyframe, or a fragmented file
 * whose samples are in its fragments) or the tables disagree.
 *
 * @example
 * movieKeyframes(moovBytes); // → [0, 3, 6, 9, …]
 */
export function movieKeyframes(moovBytes: Uint8Array): number[] | undefined {
  const header = parseBoxHeader(moovBytes, 0);
  if (header?.type !== 'moov') return undefined;
  const moov: Box = { type: 'moov', start: 0, payloadStart: header.headerSize, end: moovBytes.byteLength };
  let movieTimescale = 0;
  for (const box of childBoxes(moovBytes, moov.payloadStart, moov.end)) {
    if (box.type === 'mvhd') movieTimescale = readMovieHeader(moovBytes, box).timescale;
    if (box.type !== 'trak') continue;
    const hdlr = findBox(moovBytes, box, ['mdia', 'hdlr']);
    if (!hdlr || handlerType(moovBytes, hdlr) !== 'vide') continue;
    const mdhd = findBox(moovBytes, box, ['mdia', 'mdhd']);
    const stbl = findBox(moovBytes, box, ['mdia', 'minf', 'stbl']);
    if (!mdhd || !stbl || movieTimescale === 0) return undefined;
    const timescale = payloadView(
      moovBytes,
      mdhd,
      payloadView(moovBytes, mdhd, 0, 1).getUint8(0) === 1 ? 20 : 12,
      4,
    ).getUint32(0);
    const stss = findBox(moovBytes, stbl, ['stss']);
    const stts = findBox(moovBytes, stbl, ['stts']);
    if (!stss || !stts || timescale === 0) return undefined;
    const ctts = findBox(moovBytes, stbl, ['ctts']);
    const elst = findBox(moovBytes, box, ['edts', 'elst']);
    const shift = elst ? editShift(moovBytes, elst, movieTimescale, timescale) : 0;
    const decodeTimes = sampleRuns(moovBytes, stts);
    const offsets = ctts ? sampleRuns(moovBytes, ctts) : undefined;
    const times: number[] = [];
    for (const sample of syncSamples(moovBytes, stss)) {
      const decodeTime = decodeTimes.timeOf(sample);
      const offset = offsets ? offsets.valueOf(sample) : 0;
      if (decodeTime === undefined || offset === undefined) return undefined;
      times.push((decodeTime + offset) / timescale - shift);
    }
    return times;
  }
  return undefined;
}

/** The 1-based sample numbers an `stss` lists. */
function syncSamples(bytes: Uint8Array, stss: Box): number[] {
  const count = payloadView(bytes, stss, 4, 4).getUint32(0);
  const view = payloadView(bytes, stss, 8, 4 * count);
  return Array.from({ length: count }, (_, index) => view.getUint32(4 * index));
}

/**
 * A `stts` or `ctts` table of (sample count, value) runs, walked once for ascending sample numbers: `timeOf` sums
 * the deltas of the samples before one (`stts`); `valueOf` is its own run's value (`ctts`, signed in version 1 and
 * in practice in version 0 too). Undefined past the table's end.
 */
function sampleRuns(bytes: Uint8Array, box: Box) {
  const count = payloadView(bytes, box, 4, 4).getUint32(0);
  const view = payloadView(bytes, box, 8, 8 * count);
  let run = 0;
  let runFirst = 1;
  let runTime = 0;
  const seek = (sample: number) => {
    while (run < count && sample >= runFirst + view.getUint32(8 * run)) {
      const samples = view.getUint32(8 * run);
      runTime += samples * view.getUint32(8 * run + 4);
      runFirst += samples;
      run += 1;
    }
    return run < count;
  };
  return {
    timeOf: (sample: number) =>
      seek(sample) || sample === runFirst
        ? runTime + (sample - runFirst) * (run < count ? view.getUint32(8 * run + 4) : 0)
        : undefined,
    valueOf: (sample: number) => (seek(sample) ? view.getInt32(8 * run + 4) : undefined),
  };
}

/**
 * Seconds the edit list moves the track's presentation earlier: its first media edit's start (B-frame delay),
 * less the empty edits before it (a delayed start).
 */
function editShift(bytes: Uint8Array, elst: Box, movieTimescale: number, timescale: number) {
  const version = payloadView(bytes, elst, 0, 1).getUint8(0);
  const count = payloadView(bytes, elst, 4, 4).getUint32(0);
  const entrySize = version === 1 ? 20 : 12;
  let delay = 0;
  for (let index = 0; index < count; index += 1) {
    const entry = payloadView(bytes, elst, 8 + entrySize * index, entrySize);
    const duration = version === 1 ? Number(entry.getBigUint64(0)) : entry.getUint32(0);
    const mediaTime = version === 1 ? Number(entry.getBigInt64(8)) : entry.getInt32(4);
    if (mediaTime === -1) delay += duration / movieTimescale;
    else return mediaTime / timescale - delay;
  }
  return -delay;
}
