import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from '../db.ts';
import { config } from '../environment.ts';
import { storedObjectReader } from '../ingest/object-reader.ts';
import { logger } from '../log.ts';
import type { RejectionReason } from '../videos/schemas.ts';
import { deleteVideoObject } from '../videos/video-storage.ts';
import { derivedKeys } from './derived-keys.ts';
import { deleteDerivedObjects, presignDerivedGet, putDerivedObject } from './derived-objects.ts';
import { MediaCommandFailed, measureDuration, mediaInput, probeMedia, runMedia } from './ffmpeg.ts';
import { MalformedMediaError } from './media-inspection.ts';
import { readMovieBox } from './mp4.ts';
import { movieKeyframes } from './mp4-movie.ts';
import {
  AUDIO_BITRATE_KBPS,
  even,
  ladderFor,
  planUnits,
  type Rendition,
  renditionsMadeBy,
  SEGMENT_SECONDS,
  segmentSecondsOf,
  storyboardInterval,
} from './plan.ts';
import {
  completedRendition,
  completeUnit,
  failUnit,
  findUnit,
  recordPlannedUnits,
  type SegmentEntry,
  type StoredUnit,
  type UnitKey,
  type UnitSegments,
} from './units.ts';
import { recordVideoProgress } from './video-progress.ts';
import { webmKeyframes } from './webm.ts';

/** The original is read through a presigned GET valid this long: longer than any unit may run. */
const SOURCE_URL_TTL_SECONDS = 20 * 60;
/** Decoding a frame this large would not fit a Lambda's memory; such a source is refused. */
const MAX_SOURCE_SIDE = 8192;
/** Codecs the static ffmpeg decodes that uploads use; anything else is `unsupported_codec`. */
const DECODABLE_CODECS = new Set([
  'h264',
  'hevc',
  'vp8',
  'vp9',
  'av1',
  'mpeg4',
  'mpeg2video',
  'mpeg1video',
  'prores',
  'mjpeg',
  'theora',
  'h263',
  'dnxhd',
  'wmv3',
  'vc1',
]);
/** Width of a storyboard thumbnail; its height follows the display aspect. */
const THUMBNAIL_WIDTH = 160;
const STORYBOARD_COLUMNS = 10;
/**
 * Where the renditions' timeline starts: later than any encoder delay (B-frames), so no range's first timestamps
 * are negative and the muxer shifts none of them; shifting only the first range's would overlap it with the next.
 */
const TIMELINE_START_SECONDS = 10;
/** The poster's height at most (its width follows the display aspect). */
const POSTER_MAX_HEIGHT = 720;

interface SourceVideo {
  id: string;
  status: string;
  storageKey: string;
  hasAudio: boolean | null;
  displayWidth: number | null;
  displayHeight: number | null;
  posterAtSeconds: number | null;
  durationSeconds: number | null;
  sizeBytes: number | null;
  contentType: string | null;
  mediaPlannedAt: Date | null;
}

async function findSource(videoId: string) {
  const [video] = await sql<SourceVideo[]>`
    select id, status, storage_key, has_audio, display_width,
           display_height, poster_at_seconds::float8 as poster_at_seconds,
           duration_seconds::float8 as duration_seconds, size_bytes::float8 as size_bytes, content_type,
           media_planned_at
    from videos where id = ${videoId}
  `;
  return video;
}

const sourceUrl = (video: SourceVideo) => presignDerivedGet(video.storageKey, SOURCE_URL_TTL_SECONDS);
const binaries = () => ({ ffmpeg: config.media.ffmpegPath, ffprobe: config.media.ffprobePath });

/**
 * Rejects a video whose media cannot be decoded, through {@link recordVideoProgress}, and deletes its original
 * and everything made from it, as the contract says for media that cannot be decoded.
 */
async function rejectMedia(video: SourceVideo, reason: RejectionReason, why: string) {
  logger.warn('Media rejected', { videoId: video.id, reason, why: why.slice(0, 500) });
  await recordVideoProgress(video.id, { rejectedAs: reason });
  await deleteVideoObject(video.storageKey);
  await deleteDerivedObjects(video.id);
}

/**
 * The presentation times of the original's video keyframes, from its index read with ranged GETs (MP4/QuickTime:
 * `moov`; WebM: Cues); undefined for an index we cannot read or a WebM without one, and the plan cuts on its fixed
 * grid.
 */
async function sourceKeyframes(video: SourceVideo) {
  if (!video.sizeBytes) return undefined;
  const reader = storedObjectReader(video.storageKey, video.sizeBytes);
  try {
    if (video.contentType === 'video/webm') return await webmKeyframes(reader);
    if (video.contentType !== 'video/mp4' && video.contentType !== 'video/quicktime') return undefined;
    const moov = await readMovieBox(reader);
    return moov && movieKeyframes(moov);
  } catch (error) {
    if (error instanceof MalformedMediaError) return undefined;
    throw error;
  }
}

/**
 * The first step after ingest accepts an upload: probes the original with ffprobe (through a presigned URL, reading
 * its header only) and records the units of its plan; media ffprobe cannot read, a codec we do not decode or
 * dimensions beyond {@link MAX_SOURCE_SIDE} reject the video. Repeating it changes nothing.
 *
 * @example
 * await planVideoMedia(videoId); // → 'planned'
 */
export async function planVideoMedia(videoId: string, timeoutMs: number) {
  const video = await findSource(videoId);
  if (video?.status !== 'processing') return 'gone' as const;
  if (video.mediaPlannedAt) return 'already-planned' as const;
  let probed: Awaited<ReturnType<typeof probeMedia>>;
  try {
    probed = await probeMedia(await sourceUrl(video), { timeoutMs, binaryPath: binaries().ffprobe });
  } catch (error) {
    if (!(error instanceof MediaCommandFailed) || error.timedOut) throw error;
    await rejectMedia(video, 'unreadable', error.message);
    return 'rejected' as const;
  }
  if (!probed) {
    await rejectMedia(video, 'unreadable', 'no video stream with a size');
    return 'rejected' as const;
  }
  if (!DECODABLE_CODECS.has(probed.videoCodec) || Math.max(probed.width, probed.height) > MAX_SOURCE_SIDE) {
    await rejectMedia(video, 'unsupported_codec', `${probed.videoCodec} ${probed.width}x${probed.height}`);
    return 'rejected' as const;
  }
  const limits = { timeoutMs, binaryPath: binaries().ffmpeg };
  const durationSeconds =
    probed.durationSeconds > 0
      ? probed.durationSeconds
      : ((await measureDuration(await sourceUrl(video), limits)) ?? 0);
  if (!(durationSeconds > 0)) {
    await rejectMedia(video, 'unreadable', 'no duration');
    return 'rejected' as const;
  }
  // Index times are the streams' own; a unit's `-ss` counts from the file's start.
  const keyframes = (await sourceKeyframes(video))?.map((time) => time - probed.startSeconds);
  await recordPlannedUnits(videoId, planUnits({ ...probed, durationSeconds }, keyframes));
  // After the units: a video marked planned always has them (the clean-up ingests unplanned ones again).
  await sql`
    update videos set media_planned_at = now(), has_audio = ${probed.hasAudio}, display_width = ${probed.width},
      display_height = ${probed.height}, duration_seconds = coalesce(duration_seconds, ${durationSeconds}),
      frame_rate = ${probed.frameRate ?? null}
    where id = ${videoId} and media_planned_at is null
  `;
  await recordVideoProgress(videoId);
  return 'planned' as const;
}

/** What one unit wrote, for {@link completeUnit}. */
interface UnitResult {
  cpuSeconds: number;
  segments?: UnitSegments;
}

/**
 * The ffmpeg output options that encode one rendition (H.264 Main of the height's level, keyframes every
 * `segmentSeconds`, AAC when the source has audio): every unit uses them, and the benchmark's single-command ladder.
 *
 * @example
 * runMedia('ffmpeg', ['-i', input, ...renditionEncoding(rendition, true), '-f', 'hls', …], limits);
 */
export function renditionEncoding(
  rendition: Rendition,
  hasAudio: boolean,
  segmentSeconds = SEGMENT_SECONDS,
): string[] {
  return [
    '-map',
    '0:v:0',
    ...(hasAudio
      ? ['-map', '0:a:0', '-c:a', 'aac', '-b:a', `${AUDIO_BITRATE_KBPS}k`, '-ac', '2', '-ar', '48000']
      : []),
    '-vf',
    `scale=${rendition.width}:${rendition.height},setsar=1,format=yuv420p`,
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-profile:v',
    'main',
    '-level:v',
    (rendition.level / 10).toFixed(1),
    '-crf',
    '23',
    '-maxrate',
    `${rendition.maxBitrateKbps}k`,
    '-bufsize',
    `${2 * rendition.maxBitrateKbps}k`,
    '-force_key_frames',
    `expr:gte(t,n_forced*${segmentSeconds})`,
    '-sc_threshold',
    '0',
    '-threads',
    '2',
  ];
}

/** The video's ladder, from its display size. */
const ladderOf = (video: SourceVideo) => ladderFor(video.displayWidth ?? 2, video.displayHeight ?? 2);

/** An even size of the video's display aspect, at most `maxHeight` high. */
const displaySize = (video: SourceVideo, maxHeight: number) => {
  const sourceHeight = video.displayHeight ?? 2;
  const height = Math.min(maxHeight, sourceHeight);
  return { width: even(((video.displayWidth ?? 2) * height) / sourceHeight), height: even(height) };
};

/** The storyboard's layout: seconds between thumbnails, their size, and how many a range of this length has. */
const storyboardLayout = (video: SourceVideo) => {
  const interval = storyboardInterval(video.durationSeconds ?? 0);
  const height = even((THUMBNAIL_WIDTH * (video.displayHeight ?? 2)) / (video.displayWidth ?? 2));
  return {
    interval,
    width: THUMBNAIL_WIDTH,
    height,
    count: (rangeSeconds: number) => Math.max(1, Math.ceil(rangeSeconds / interval - 1e-6)),
  };
};

/**
 * Transcodes one time range of the original, decoded once, into its renditions' segments (each its own HLS output,
 * keyframes on the range's segment grid so the range ends on a segment boundary) and, for the `segments` unit, the
 * storyboard sprite of the range; uploads them under the video's derived prefix.
 */
async function transcodeRange(
  video: SourceVideo,
  unit: StoredUnit,
  dir: string,
  timeoutMs: number,
  afterTranscode?: () => Promise<void>,
): Promise<UnitResult> {
  const renditions = renditionsMadeBy(unit.kind, ladderOf(video));
  if (renditions.length === 0) throw new Error(`No ${unit.kind} renditions for video ${video.id}`);
  const prefix = String(unit.part).padStart(5, '0');
  const segmentSeconds = segmentSecondsOf(unit.durationSeconds);
  const outputs: string[] = [];
  for (const rendition of renditions) {
    await mkdir(join(dir, String(rendition.height)));
    outputs.push(
      ...renditionEncoding(rendition, video.hasAudio ?? false, segmentSeconds),
      // Every unit's timestamps continue where the previous unit's end, so the playlist needs no discontinuity.
      ...['-output_ts_offset', String(TIMELINE_START_SECONDS + unit.startSeconds)],
      ...['-f', 'hls', '-hls_time', String(segmentSeconds)],
      ...[
        '-hls_list_size',
        '0',
        '-hls_segment_filename',
        join(dir, String(rendition.height), `${prefix}-%03d.ts`),
      ],
      join(dir, String(rendition.height), 'unit.m3u8'),
    );
  }
  const storyboard = storyboardLayout(video);
  const sprite = join(dir, 'sprite.jpg');
  if (unit.kind === 'segments') {
    const rows = Math.ceil(storyboard.count(unit.durationSeconds) / STORYBOARD_COLUMNS);
    outputs.push(
      ...['-map', '0:v:0', '-vf'],
      // The first frame of each interval of the range: exactly `count` thumbnails, the k-th at k intervals in.
      `select='eq(n,0)+gt(floor(t/${storyboard.interval}),floor(prev_t/${storyboard.interval}))',` +
        `scale=${storyboard.width}:${storyboard.height},setsar=1,tile=${STORYBOARD_COLUMNS}x${rows}`,
      ...['-frames:v', '1', '-q:v', '5', '-f', 'image2', sprite],
    );
  }
  const { cpuSeconds } = await runMedia(
    'ffmpeg',
    [
      ...['-ss', unit.startSeconds.toFixed(3), '-t', unit.durationSeconds.toFixed(3)],
      ...['-i', mediaInput(await sourceUrl(video)), ...outputs],
    ],
    { timeoutMs, binaryPath: binaries().ffmpeg },
  );
  await afterTranscode?.();
  const keys = derivedKeys(video.id);
  const segments: UnitSegments = {};
  for (const { height } of renditions) {
    const folder = join(dir, String(height));
    const listed = parseMediaPlaylist(await readFile(join(folder, 'unit.m3u8'), 'utf8'));
    segments[height] = [];
    for (const segment of listed) {
      const path = join(folder, segment.name);
      await putDerivedObject(keys.segment(height, segment.name), { path }, 'video/mp2t');
      segments[height].push({ ...segment, bytes: (await stat(path)).size });
    }
  }
  if (unit.kind === 'segments' && segments[renditions[0]?.height ?? 0]?.length)
    await putDerivedObject(keys.storyboardSprite(unit.part), { path: await existing(sprite) }, 'image/jpeg');
  return { cpuSeconds, segments };
}

/** The segments a media playlist lists, with their durations. */
export function parseMediaPlaylist(text: string): SegmentEntry[] {
  const segments: SegmentEntry[] = [];
  let duration: number | undefined;
  for (const line of text.split('\n').map((raw) => raw.trim())) {
    const extinf = /^#EXTINF:([\d.]+)/.exec(line);
    if (extinf) duration = Number(extinf[1]);
    else if (line && !line.startsWith('#') && duration !== undefined) {
      segments.push({ name: line, duration });
      duration = undefined;
    }
  }
  return segments;
}

/**
 * Cuts the poster: the chosen moment, or else the most representative of the 50 frames a third in (past intros and
 * fades). The choice is made on thumbnail-sized frames and only the chosen frame is decoded again at poster size,
 * so comparing full-resolution frames costs nothing.
 */
async function cutPoster(
  video: SourceVideo,
  durationSeconds: number,
  dir: string,
  timeoutMs: number,
  afterTranscode?: () => Promise<void>,
): Promise<UnitResult> {
  const limits = { timeoutMs, binaryPath: binaries().ffmpeg };
  const input = mediaInput(await sourceUrl(video));
  let at = video.posterAtSeconds ?? durationSeconds / 3;
  let cpuSeconds = 0;
  if (video.posterAtSeconds === null) {
    const chosen = await runMedia(
      'ffmpeg',
      [
        ...['-ss', String(at), '-i', input, '-vf', `scale=${THUMBNAIL_WIDTH}:-2,thumbnail=50,showinfo`],
        ...['-frames:v', '1', '-f', 'null', '-'],
      ],
      limits,
    );
    cpuSeconds += chosen.cpuSeconds;
    // showinfo's time is from the seek point.
    at += Number(/pts_time:([\d.]+)/.exec(chosen.stderr)?.[1] ?? 0);
  }
  const size = displaySize(video, POSTER_MAX_HEIGHT);
  const path = join(dir, 'poster.jpg');
  const cut = await runMedia(
    'ffmpeg',
    [
      ...['-ss', at.toFixed(6), '-i', input, '-vf', `scale=${size.width}:${size.height},setsar=1`],
      ...['-frames:v', '1', '-q:v', '3', '-f', 'image2', path],
    ],
    limits,
  );
  await afterTranscode?.();
  await putDerivedObject(derivedKeys(video.id).poster, { path: await existing(path) }, 'image/jpeg');
  return { cpuSeconds: cpuSeconds + cut.cpuSeconds };
}

async function existing(path: string) {
  const size = (await readFile(path).catch(() => new Uint8Array(0))).byteLength;
  if (size === 0) throw new MediaCommandFailed('ffmpeg wrote no frame', '');
  return path;
}

/** WebVTT time: `HH:MM:SS.mmm`. */
const vttTime = (seconds: number) => new Date(Math.round(seconds * 1000)).toISOString().slice(11, 23);

/** The storyboard's WebVTT track: per range, its sprite's thumbnails, each a cue from its moment to the next. */
function storyboardTrack(video: SourceVideo, ranges: { startSeconds: number; durationSeconds: number }[]) {
  const { interval, width, height, count } = storyboardLayout(video);
  const cues = ranges.flatMap((range, part) =>
    Array.from({ length: count(range.durationSeconds) }, (_, index) => {
      const start = range.startSeconds + index * interval;
      const end = Math.min(range.startSeconds + range.durationSeconds, start + interval);
      const x = (index % STORYBOARD_COLUMNS) * width;
      const y = Math.floor(index / STORYBOARD_COLUMNS) * height;
      return `${vttTime(start)} --> ${vttTime(end)}\nsprite-${part}.jpg#xywh=${x},${y},${width},${height}`;
    }),
  );
  return `WEBVTT\n\n${cues.join('\n\n')}\n`;
}

/**
 * Writes a rendition's media playlist once every range of it is done, and records the rendition ready; for the
 * lowest rendition the storyboard's track too (its units drew the sprites). Writing it twice (two last units
 * finishing together) writes the same bytes.
 */
async function finishRendition(video: SourceVideo, kind: 'segments' | 'ladder', rendition: Rendition) {
  const completed = await completedRendition(video.id, kind, rendition.height);
  if (!completed) return;
  const { segments, ranges } = completed;
  if (segments.length === 0)
    throw new MediaCommandFailed(`rendition ${rendition.height} has no segments`, '');
  const target = Math.ceil(Math.max(...segments.map((segment) => segment.duration)));
  const playlist = [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    `#EXT-X-TARGETDURATION:${target}`,
    '#EXT-X-MEDIA-SEQUENCE:0',
    '#EXT-X-PLAYLIST-TYPE:VOD',
    ...segments.flatMap((segment) => [`#EXTINF:${segment.duration.toFixed(6)},`, segment.name]),
    '#EXT-X-ENDLIST',
    '',
  ].join('\n');
  const keys = derivedKeys(video.id);
  await putDerivedObject(keys.mediaPlaylist(rendition.height), playlist, 'application/vnd.apple.mpegurl');
  if (kind === 'segments')
    await putDerivedObject(keys.storyboardTrack, storyboardTrack(video, ranges), 'text/vtt');
  const { peak, average } = measuredBandwidth(segments) ?? {
    peak: (rendition.maxBitrateKbps + (video.hasAudio ? AUDIO_BITRATE_KBPS : 0)) * 1000,
    average: null,
  };
  await sql`
    insert into media_renditions (video_id, height, width, bandwidth, average_bandwidth)
    values (${video.id}, ${rendition.height}, ${rendition.width}, ${peak}, ${average})
    on conflict do nothing
  `;
}

/**
 * A rendition's bit rates in bit/s as RFC 8216 defines BANDWIDTH (the peak segment's: its size over its duration)
 * and AVERAGE-BANDWIDTH (every segment's size over their duration), rounded up; undefined when a segment's size was
 * not recorded.
 */
function measuredBandwidth(segments: SegmentEntry[]) {
  if (segments.some((segment) => segment.bytes === undefined || segment.duration <= 0)) return undefined;
  const bits = (segment: SegmentEntry) => (segment.bytes ?? 0) * 8;
  const seconds = segments.reduce((sum, segment) => sum + segment.duration, 0);
  return {
    peak: Math.ceil(Math.max(...segments.map((segment) => bits(segment) / segment.duration))),
    average: Math.ceil(segments.reduce((sum, segment) => sum + bits(segment), 0) / seconds),
  };
}

export type UnitOutcome = 'done' | 'already-done' | 'gone' | 'rejected' | 'failed';

/**
 * Runs one unit: transcodes its range of the original into its renditions' segments (and, for the lowest rendition,
 * the range's storyboard sprite), or cuts the poster; uploads what it made under the video's derived prefix; marks it
 * done (once, however often it runs); writes the playlists of the renditions it completed; and records the video's
 * progress. A video deleted while the unit ran keeps nothing the unit wrote (see `deleteVideo` for the order). Media
 * that does not decode rejects the video (`unreadable`) unless it is already playable, in which case only the unit
 * fails. Other errors (storage, database, running out of time) propagate, so Lambda retries the invocation and the
 * clean-up re-drives a unit that stays silent. `afterTranscode` runs between ffmpeg and the upload (tests use it to
 * delete the video at that moment).
 *
 * @example
 * await runMediaUnit({ videoId, kind: 'segments', height: 240, part: 0 }, 60_000); // → 'done'
 */
export async function runMediaUnit(
  key: UnitKey,
  timeoutMs: number,
  afterTranscode?: () => Promise<void>,
): Promise<UnitOutcome> {
  const unit = await findUnit(key);
  const video = await findSource(key.videoId);
  if (!unit || !video || video.status === 'rejected') return 'gone';
  if (unit.status === 'done') return 'already-done';
  const dir = await mkdtemp(join(tmpdir(), 'clipiq-unit-'));
  try {
    const result =
      unit.kind === 'poster'
        ? await cutPoster(video, unit.durationSeconds, dir, timeoutMs, afterTranscode)
        : await transcodeRange(video, unit, dir, timeoutMs, afterTranscode);
    const segmentCount = Object.values(result.segments ?? {}).reduce((sum, list) => sum + list.length, 0);
    if (unit.kind !== 'poster' && unit.part === 0 && segmentCount === 0)
      throw new MediaCommandFailed('the first range decoded to no frames', '');
    const completed = await completeUnit(key, result);
    if (completed && unit.kind !== 'poster') {
      for (const rendition of renditionsMadeBy(unit.kind, ladderOf(video)))
        await finishRendition(video, unit.kind, rendition);
    }
    if (completed) await recordVideoProgress(video.id);
    // Deleted while this unit ran: its DELETE may have cleared the folder before what this unit wrote got there.
    if (!(await findSource(video.id))) {
      await deleteDerivedObjects(video.id);
      return 'gone';
    }
    return completed ? 'done' : 'already-done';
  } catch (error) {
    if (!(error instanceof MediaCommandFailed) || error.timedOut) throw error;
    await failUnit(key, error.message);
    if (video.status === 'processing') {
      await rejectMedia(video, 'unreadable', error.message);
      return 'rejected';
    }
    await recordVideoProgress(video.id);
    return 'failed';
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
