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
  trackNumber: 0xd7,
  trackType: 0x83,
  codecId: 0x86,
  video: 0xe0,
  pixelWidth: 0xb0,
  pixelHeight: 0xba,
  cluster: 0x1f43b675,
  cues: 0x1c53bb6b,
  cuePoint: 0xbb,
  cueTime: 0xb3,
  cueTrackPositions: 0xb7,
  cueTrack: 0xf7,
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
  const segment = await readSegment(source, [ID.info, ID.tracks]);
  if (!(segment instanceof Map)) return segment;
  const info = segment.get(ID.info);
  const tracks = segment.get(ID.tracks);
  if (!info || !tracks) return UNREADABLE;
  const video = readVideoTrack(tracks);
  if (!video) return NOT_A_VIDEO;
  const { width, height, videoCodec } = video;
  return videoInspection({
    container: 'video/webm',
    durationSeconds: readDurationSeconds(info),
    width,
    height,
    videoCodec,
  });
}

/**
 * The presentation times (seconds) of a WebM's video keyframes, from its Cues (the index a seekable WebM carries,
 * found through SeekHead: ffmpeg and libwebm write a cue point per video keyframe); undefined without Cues (a
 * MediaRecorder recording) or a video track.
 *
 * @example
 * await webmKeyframes(reader); // → [0, 3, 6, …]
 */
export async function webmKeyframes(source: RangedReader): Promise<number[] | undefined> {
  const segment = await readSegment(source, [ID.info, ID.tracks, ID.cues]);
  if (!(segment instanceof Map)) return undefined;
  const [info, tracks, cues] = [segment.get(ID.info), segment.get(ID.tracks), segment.get(ID.cues)];
  const track = tracks && readVideoTrack(tracks)?.trackNumber;
  if (!info || !cues || track === undefined) return undefined;
  const nanosecondsPerTick = readTimecodeScale(info);
  const times: number[] = [];
  for (const point of childElements(cues, 0, cues.byteLength)) {
    if (point.id !== ID.cuePoint) continue;
    const time = findChild(cues, ID.cueTime, point);
    const onVideo = [...childElements(cues, point.dataStart, point.end)].some((positions) => {
      const cueTrack = positions.id === ID.cueTrackPositions && findChild(cues, ID.cueTrack, positions);
      return cueTrack && readUnsigned(cues, cueTrack) === track;
    });
    if (time && onVideo) times.push((readUnsigned(cues, time) * nanosecondsPerTick) / 1e9);
  }
  return times.sort((a, b) => a - b);
}

/**
 * The `wanted` top-level elements of a WebM's Segment, by ID, read from its first 64 KiB and whatever SeekHead
 * points at; the inspection's verdict instead when the file is not a WebM or its start is broken.
 */
async function readSegment(
  source: RangedReader,
  wanted: readonly number[],
): Promise<Map<number, Uint8Array> | MediaInspection> {
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
  return readSegmentElements(reader, segment.dataStart, segmentEnd, wanted);
}

async function readSegmentElements(
  reader: RangedReader,
  start: number,
  end: number,
  wanted: readonly number[],
) {
  const found = new Map<number, Uint8Array>();
  const seekPositions = new Map<number, number>();
  const missing = () => wanted.filter((id) => !found.has(id));

  let at = start;
  for (let walked = 0; at < end && walked < MAX_ELEMENTS && missing().length > 0; walked++) {
    const element = await readElement(reader, at);
    if (!element || element.end === undefined || element.end > end) break;
    // Cues follow the clusters and only SeekHead finds them: walking a cluster at a time would cost a request each.
    if (element.id === ID.cluster && missing().every((id) => seekPositions.has(id) || id === ID.cues)) break;
    if (element.id === ID.seekHead || wanted.includes(element.id)) {
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
  return found;
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
    const trackNumber = findChild(tracks, ID.trackNumber, entry);
    const codecId = findChild(tracks, ID.codecId, entry);
    const videoCodec = codecId && asciiCode(tracks.subarray(codecId.dataStart, codecId.end));
    if (codecId && !videoCodec) throw new MalformedMediaError('CodecID is not a short printable code');
    return {
      width: width ? readUnsigned(tracks, width) : 0,
      height: height ? readUnsigned(tracks, height) : 0,
      videoCodec,
      trackNumber: trackNumber ? readUnsigned(tracks, trackNumber) : undefined,
    };
  }
  return undefined;
}

/** Nanoseconds per tick of the Segment's timestamps. */
function readTimecodeScale(info: Uint8Array) {
  const scale = findChild(info, ID.timecodeScale);
  return scale ? readUnsigned(info, scale) : DEFAULT_TIMECODE_SCALE;
}

function readDurationSeconds(info: Uint8Array) {
  const duration = findChild(info, ID.duration);
  return duration ? (readFloat(info, duration) * readTimecodeScale(info)) / 1e9 : 0;
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
