import { childElements, type Element, parseElementHeader, readFloat, readUnsigned } from './ebml.ts';
import {
  asciiCode,
  MalformedMediaError,
  type MediaInspection,
  NOT_A_VIDEO,
  UNREADABLE,
  videoInspection,
} from './media-inspection.ts';
import { headCachedReader, type RangedReader, readExact } from './ranged-reader.ts';

const ID = {
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
} as const;

const HEAD_BYTES = 64 * 1024;
const ELEMENT_HEADER_READ = 12;
const MAX_ELEMENTS = 1000;
const MAX_METADATA_BYTES = 16 * 1024 * 1024;
const VIDEO_TRACK_TYPE = 1;
const DEFAULT_TIMECODE_SCALE = 1_000_000;

/** An element found in the file: absolute offsets; `end` is undefined for unknown-size elements. */
interface LocatedElement {
  id: number;
  dataStart: number;
  end: number | undefined;
}

/**
 * Inspects a WebM file from its first 64 KiB, following SeekHead or skipping sized elements when Info or
 * Tracks come later. Matroska files that are not WebM are `not_a_video`; a live recording without Duration
 * (MediaRecorder) is accepted with durationSeconds 0.
 *
 * @example
 * await inspectWebm(reader); // → { ok: true, container: 'video/webm', durationSeconds: 2.008, width: 320, … }
 */
export async function inspectWebm(source: RangedReader): Promise<MediaInspection> {
  const head = await source.read(0, Math.min(HEAD_BYTES, source.size));
  const reader = headCachedReader(source, head);

  const ebml = await readElement(reader, 0);
  const header = ebml?.id === ID.ebml ? await readData(reader, ebml) : undefined;
  if (!ebml?.end || !header) return UNREADABLE;
  const docType = findChild(header, ID.docType);
  if (!docType || asciiCode(header.subarray(docType.dataStart, docType.end)) !== 'webm') return NOT_A_VIDEO;

  const segment = await readElement(reader, ebml.end);
  if (segment?.id !== ID.segment) return UNREADABLE;
  const segmentEnd = segment.end ?? reader.size;
  if (segmentEnd > reader.size) return UNREADABLE;

  const { info, tracks } = await readSegmentMetadata(reader, segment.dataStart, segmentEnd);
  if (!info || !tracks) return UNREADABLE;
  const video = readVideoTrack(tracks);
  if (!video) return NOT_A_VIDEO;
  return videoInspection({ container: 'video/webm', durationSeconds: readDurationSeconds(info), ...video });
}

async function readSegmentMetadata(reader: RangedReader, start: number, end: number) {
  const found = new Map<number, Uint8Array>();
  const seekPositions = new Map<number, number>();
  const missing = () => [ID.info, ID.tracks].filter((id) => !found.has(id));

  let at = start;
  for (let walked = 0; at < end && walked < MAX_ELEMENTS && missing().length > 0; walked++) {
    const element = await readElement(reader, at);
    if (!element || element.end === undefined || element.end > end) break;
    if (element.id === ID.cluster && missing().every((id) => seekPositions.has(id))) break;
    if (element.id === ID.seekHead || element.id === ID.info || element.id === ID.tracks) {
      const data = await readData(reader, element);
      if (!data) break;
      if (element.id === ID.seekHead) addSeekPositions(data, start, seekPositions);
      else found.set(element.id, data);
    }
    at = element.end;
  }

  for (const id of missing()) {
    const position = seekPositions.get(id);
    const element = position === undefined ? undefined : await readElement(reader, position);
    if (element?.id !== id || element.end === undefined || element.end > end) continue;
    const data = await readData(reader, element);
    if (data) found.set(id, data);
  }
  return { info: found.get(ID.info), tracks: found.get(ID.tracks) };
}

function addSeekPositions(seekHead: Uint8Array, segmentStart: number, positions: Map<number, number>) {
  for (const seek of childElements(seekHead, 0, seekHead.byteLength)) {
    if (seek.id !== ID.seek) continue;
    const seekId = findChild(seekHead, ID.seekId, seek);
    const seekPosition = findChild(seekHead, ID.seekPosition, seek);
    if (!seekId || !seekPosition) continue;
    // SeekID holds the target's ID bytes, marker included, so it reads as the same number as ID.info.
    positions.set(readUnsigned(seekHead, seekId), segmentStart + readUnsigned(seekHead, seekPosition));
  }
}

function readVideoTrack(tracks: Uint8Array) {
  for (const entry of childElements(tracks, 0, tracks.byteLength)) {
    if (entry.id !== ID.trackEntry) continue;
    const trackType = findChild(tracks, ID.trackType, entry);
    if (!trackType || readUnsigned(tracks, trackType) !== VIDEO_TRACK_TYPE) continue;
    const video = findChild(tracks, ID.video, entry);
    const width = video && findChild(tracks, ID.pixelWidth, video);
    const height = video && findChild(tracks, ID.pixelHeight, video);
    const codecId = findChild(tracks, ID.codecId, entry);
    const videoCodec = codecId && asciiCode(tracks.subarray(codecId.dataStart, codecId.end));
    if (codecId && !videoCodec) throw new MalformedMediaError('CodecID is not a short printable code');
    return {
      width: width ? readUnsigned(tracks, width) : 0,
      height: height ? readUnsigned(tracks, height) : 0,
      videoCodec,
    };
  }
  return undefined;
}

function readDurationSeconds(info: Uint8Array) {
  const scale = findChild(info, ID.timecodeScale);
  const duration = findChild(info, ID.duration);
  const nanosecondsPerTick = scale ? readUnsigned(info, scale) : DEFAULT_TIMECODE_SCALE;
  return duration ? (readFloat(info, duration) * nanosecondsPerTick) / 1e9 : 0;
}

function findChild(bytes: Uint8Array, id: number, parent?: Element) {
  for (const child of childElements(bytes, parent?.dataStart ?? 0, parent?.end ?? bytes.byteLength)) {
    if (child.id === id) return child;
  }
  return undefined;
}

async function readElement(reader: RangedReader, at: number): Promise<LocatedElement | undefined> {
  const bytes = await readExact(reader, at, Math.min(ELEMENT_HEADER_READ, reader.size - at));
  const header = bytes && parseElementHeader(bytes, 0);
  if (!header) return undefined;
  const dataStart = at + header.headerSize;
  return { id: header.id, dataStart, end: header.size === undefined ? undefined : dataStart + header.size };
}

async function readData(reader: RangedReader, element: LocatedElement) {
  if (element.end === undefined || element.end - element.dataStart > MAX_METADATA_BYTES) return undefined;
  return readExact(reader, element.dataStart, element.end - element.dataStart);
}
