import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from '../db.ts';
import { config } from '../environment.ts';
import { logger } from '../log.ts';
import type { RejectionReason } from '../videos/schemas.ts';
import { deleteVideoObject } from '../videos/video-storage.ts';
import { derivedKeys } from './derived-keys.ts';
import { deleteDerivedObjects, presignDerivedGet, putDerivedObject } from './derived-objects.ts';
import { MediaCommandFailed, measureDuration, mediaInput, probeMedia, runMedia } from './ffmpeg.ts';
import {
  AUDIO_BITRATE_KBPS,
  ladderFor,
  planUnits,
  type Rendition,
  SEGMENT_SECONDS,
  storyboardInterval,
} from './plan.ts';
import {
  completedRendition,
  completeUnit,
  failUnit,
  findUnit,
  recordPlannedUnits,
  type SegmentEntry,
  type UnitKey,
} from './units.ts';
import { recordVideoProgress } from './video-progress.ts';

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
  mediaPlannedAt: Date | null;
}

async function findSource(videoId: string) {
  const [video] = await sql<SourceVideo[]>`
    select id, status, storage_key, has_audio, display_width,
           display_height, poster_at_seconds::float8 as poster_at_seconds, media_planned_at
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
  await recordPlannedUnits(videoId, planUnits({ ...probed, durationSeconds }));
  // After the units: a video marked planned always has them (the clean-up ingests unplanned ones again).
  await sql`
    update videos set media_planned_at = now(), has_audio = ${probed.hasAudio}, display_width = ${probed.width},
      display_height = ${probed.height}, duration_seconds = coalesce(duration_seconds, ${durationSeconds})
    where id = ${videoId} and media_planned_at is null
  `;
  await recordVideoProgress(videoId);
  return 'planned' as const;
}

/** What one unit wrote, for {@link completeUnit}. */
interface UnitResult {
  cpuSeconds: number;
  segments?: SegmentEntry[];
}

/**
 * The ffmpeg output options that encode one rendition (H.264 with keyframes on the segment grid, AAC when the
 * source has audio): every unit of the rendition uses them, and the benchmark's single-command ladder too.
 *
 * @example
 * runMedia('ffmpeg', ['-i', input, ...renditionEncoding(rendition, true), '-f', 'hls', …], limits);
 */
export function renditionEncoding(rendition: Rendition, hasAudio: boolean): string[] {
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
    '-crf',
    '23',
    '-maxrate',
    `${rendition.maxBitrateKbps}k`,
    '-bufsize',
    `${2 * rendition.maxBitrateKbps}k`,
    '-force_key_frames',
    `expr:gte(t,n_forced*${SEGMENT_SECONDS})`,
    '-sc_threshold',
    '0',
    '-threads',
    '2',
  ];
}

async function transcodeSegments(
  video: SourceVideo,
  unit: UnitKey & { startSeconds: number; durationSeconds: number },
  dir: string,
  timeoutMs: number,
): Promise<UnitResult> {
  const rendition = ladderFor(video.displayWidth ?? 2, video.displayHeight ?? 2).find(
    (rung) => rung.height === unit.height,
  );
  if (!rendition) throw new Error(`No rendition ${unit.height} for video ${video.id}`);
  const prefix = String(unit.part).padStart(5, '0');
  const { cpuSeconds } = await runMedia(
    'ffmpeg',
    [
      '-ss',
      String(unit.startSeconds),
      '-t',
      String(unit.durationSeconds),
      '-i',
      mediaInput(await sourceUrl(video)),
      ...renditionEncoding(rendition, video.hasAudio ?? false),
      // Every unit's timestamps continue where the previous unit's end, so the playlist needs no discontinuity.
      '-output_ts_offset',
      String(unit.startSeconds),
      '-f',
      'hls',
      '-hls_time',
      String(SEGMENT_SECONDS),
      '-hls_list_size',
      '0',
      '-hls_segment_filename',
      join(dir, `${prefix}-%03d.ts`),
      join(dir, 'unit.m3u8'),
    ],
    { timeoutMs, binaryPath: binaries().ffmpeg },
  );
  const segments = parseMediaPlaylist(await readFile(join(dir, 'unit.m3u8'), 'utf8'));
  const keys = derivedKeys(video.id);
  for (const segment of segments) {
    await putDerivedObject(
      keys.segment(unit.height, segment.name),
      { path: join(dir, segment.name) },
      'video/mp2t',
    );
  }
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

const even = (value: number) => Math.max(2, 2 * Math.round(value / 2));

/** An even size of the video's display aspect, at most `maxHeight` high. */
const displaySize = (video: SourceVideo, maxHeight: number) => {
  const sourceHeight = video.displayHeight ?? 2;
  const height = Math.min(maxHeight, sourceHeight);
  return { width: even(((video.displayWidth ?? 2) * height) / sourceHeight), height: even(height) };
};

async function cutPoster(
  video: SourceVideo,
  durationSeconds: number,
  dir: string,
  timeoutMs: number,
): Promise<UnitResult> {
  const size = displaySize(video, POSTER_MAX_HEIGHT);
  const chosen = video.posterAtSeconds;
  // Without a chosen time: a third in (past intros and fades), the most representative of the next 50 frames.
  const at = chosen ?? durationSeconds / 3;
  const path = join(dir, 'poster.jpg');
  const { cpuSeconds } = await runMedia(
    'ffmpeg',
    [
      '-ss',
      String(at),
      '-i',
      mediaInput(await sourceUrl(video)),
      '-vf',
      `${chosen === null ? 'thumbnail=50,' : ''}scale=${size.width}:${size.height},setsar=1`,
      '-frames:v',
      '1',
      '-q:v',
      '3',
      '-f',
      'image2',
      path,
    ],
    { timeoutMs, binaryPath: binaries().ffmpeg },
  );
  await putDerivedObject(derivedKeys(video.id).poster, { path: await existing(path) }, 'image/jpeg');
  return { cpuSeconds };
}

async function existing(path: string) {
  const size = (await readFile(path).catch(() => new Uint8Array(0))).byteLength;
  if (size === 0) throw new MediaCommandFailed('ffmpeg wrote no frame', '');
  return path;
}

/** WebVTT time: `HH:MM:SS.mmm`. */
const vttTime = (seconds: number) => new Date(Math.round(seconds * 1000)).toISOString().slice(11, 23);

async function drawStoryboard(
  video: SourceVideo,
  duration: number,
  dir: string,
  timeoutMs: number,
): Promise<UnitResult> {
  const interval = storyboardInterval(duration);
  const count = Math.max(1, Math.ceil(duration / interval));
  const rows = Math.ceil(count / STORYBOARD_COLUMNS);
  const width = THUMBNAIL_WIDTH;
  const height = even((width * (video.displayHeight ?? 2)) / (video.displayWidth ?? 2));
  const path = join(dir, 'sprite-0.jpg');
  const { cpuSeconds } = await runMedia(
    'ffmpeg',
    [
      // Long sources: decode keyframes only, fast enough for one invocation.
      ...(duration > 600 ? ['-skip_frame', 'nokey'] : []),
      '-i',
      mediaInput(await sourceUrl(video)),
      '-vf',
      `fps=1/${interval},scale=${width}:${height},setsar=1,tile=${STORYBOARD_COLUMNS}x${rows}`,
      '-frames:v',
      '1',
      '-q:v',
      '5',
      '-f',
      'image2',
      path,
    ],
    { timeoutMs, binaryPath: binaries().ffmpeg },
  );
  const keys = derivedKeys(video.id);
  await putDerivedObject(keys.storyboardSprite(0), { path: await existing(path) }, 'image/jpeg');
  const cues = Array.from({ length: count }, (_, index) => {
    const x = (index % STORYBOARD_COLUMNS) * width;
    const y = Math.floor(index / STORYBOARD_COLUMNS) * height;
    const end = Math.min(duration, (index + 1) * interval);
    return `${vttTime(index * interval)} --> ${vttTime(end)}\nsprite-0.jpg#xywh=${x},${y},${width},${height}`;
  });
  await putDerivedObject(keys.storyboardTrack, `WEBVTT\n\n${cues.join('\n\n')}\n`, 'text/vtt');
  return { cpuSeconds };
}

/**
 * Writes a rendition's media playlist once all its units are done and records the rendition ready. Writing it
 * twice (two last units finishing together) writes the same bytes.
 */
async function finishRendition(video: SourceVideo, height: number) {
  const segments = await completedRendition(video.id, height);
  if (!segments) return;
  if (segments.length === 0) throw new MediaCommandFailed(`rendition ${height} has no segments`, '');
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
  await putDerivedObject(
    derivedKeys(video.id).mediaPlaylist(height),
    playlist,
    'application/vnd.apple.mpegurl',
  );
  const rendition = ladderFor(video.displayWidth ?? 2, video.displayHeight ?? 2).find(
    (rung) => rung.height === height,
  );
  const bandwidth = ((rendition?.maxBitrateKbps ?? 0) + (video.hasAudio ? AUDIO_BITRATE_KBPS : 0)) * 1000;
  await sql`
    insert into media_renditions (video_id, height, width, bandwidth)
    values (${video.id}, ${height}, ${rendition?.width ?? 2}, ${bandwidth})
    on conflict do nothing
  `;
}

export type UnitOutcome = 'done' | 'already-done' | 'gone' | 'rejected' | 'failed';

/**
 * Runs one unit: transcodes its range of the original into its segments, or cuts the poster, or draws the
 * storyboard; uploads what it made under the video's derived prefix; marks it done (once, however often it runs);
 * writes the rendition's playlist when it was the last of it; and records the video's progress. Media that does not
 * decode rejects the video (`unreadable`) unless it is already playable, in which case only the unit fails. Other
 * errors (storage, database, running out of time) propagate, so Lambda retries the invocation and the clean-up
 * re-drives a unit that stays silent.
 *
 * @example
 * await runMediaUnit({ videoId, kind: 'segments', height: 240, part: 0 }, 60_000); // → 'done'
 */
export async function runMediaUnit(key: UnitKey, timeoutMs: number): Promise<UnitOutcome> {
  const unit = await findUnit(key);
  const video = await findSource(key.videoId);
  if (!unit || !video || video.status === 'rejected') return 'gone';
  if (unit.status === 'done') return 'already-done';
  const dir = await mkdtemp(join(tmpdir(), 'clipiq-unit-'));
  try {
    const result =
      unit.kind === 'segments'
        ? await transcodeSegments(video, unit, dir, timeoutMs)
        : unit.kind === 'poster'
          ? await cutPoster(video, unit.durationSeconds, dir, timeoutMs)
          : await drawStoryboard(video, unit.durationSeconds, dir, timeoutMs);
    if (unit.kind === 'segments' && unit.part === 0 && result.segments?.length === 0)
      throw new MediaCommandFailed('the first range decoded to no frames', '');
    if (!(await completeUnit(key, result))) return 'already-done';
    if (unit.kind === 'segments') await finishRendition(video, unit.height);
    await recordVideoProgress(video.id);
    return 'done';
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
