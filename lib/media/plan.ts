/** The standard heights of the ladder; a source gets every one at or below its own display height. */
export const LADDER_HEIGHTS = [240, 360, 480, 720, 1080, 1440, 2160] as const;
/** Target duration of an HLS segment: keyframes are forced on this grid, so every segment is this long but the last. */
export const SEGMENT_SECONDS = 4;
/** The source time of one range: its `segments` and `ladder` units transcode it, each from one decode. */
export const UNIT_SECONDS = 8 * SEGMENT_SECONDS;
/** A video whose first picture comes later than this starts its first range at 0 all the same (see `videoStart`). */
const MAX_VIDEO_START_SECONDS = 0.25;
/** The storyboard has about this many thumbnails, at least two seconds apart. */
const STORYBOARD_THUMBNAILS = 100;

/** Peak video bit rate per height (H.264), about what YouTube and Mux ask for; audio adds 128 kbit/s. */
const MAX_BITRATE_KBPS: Record<number, number> = {
  240: 400,
  360: 800,
  480: 1200,
  720: 2500,
  1080: 5000,
  1440: 9000,
  2160: 16000,
};
export const AUDIO_BITRATE_KBPS = 128;
/**
 * The H.264 level written per height (`level_idc`, tenths): enough for that size at up to 60 frames a second, so a
 * player can tell from the master playlist's CODECS whether it decodes the rendition.
 */
const H264_LEVEL: Record<number, number> = {
  240: 31,
  360: 31,
  480: 31,
  720: 40,
  1080: 42,
  1440: 51,
  2160: 52,
};

export interface Rendition {
  height: number;
  /** Even, from the display aspect. */
  width: number;
  maxBitrateKbps: number;
  /** H.264 `level_idc`: 31 is level 3.1. */
  level: number;
}

/**
 * `segments`: the lowest rendition of one time range, and the storyboard thumbnails of that range; `ladder`: every
 * rendition above the lowest of one time range, from one decode of it; `poster`: the poster.
 */
export type MediaUnitKind = 'segments' | 'ladder' | 'poster';

export interface PlannedUnit {
  kind: MediaUnitKind;
  /** The lowest rendition's height for `segments`, 0 otherwise. */
  height: number;
  part: number;
  startSeconds: number;
  durationSeconds: number;
}

/** The nearest even size of at least 2 (H.264 with 4:2:0 chroma needs even sides). */
export const even = (value: number) => Math.max(2, 2 * Math.round(value / 2));

/**
 * The renditions of a source of this display size: each standard height at or below its height, lowest first; a
 * source shorter than the lowest keeps its own (even) height.
 *
 * @example
 * ladderFor(1920, 1080).map((r) => r.height); // → [240, 360, 480, 720, 1080]
 */
export function ladderFor(width: number, height: number): Rendition[] {
  const fitting = LADDER_HEIGHTS.filter((standard) => standard <= height);
  const heights: number[] = fitting.length > 0 ? fitting : [even(height)];
  return heights.map((rungHeight) => ({
    height: rungHeight,
    width: even((width * rungHeight) / height),
    maxBitrateKbps: MAX_BITRATE_KBPS[rungHeight] ?? MAX_BITRATE_KBPS[240] ?? 400,
    level: H264_LEVEL[rungHeight] ?? H264_LEVEL[240] ?? 31,
  }));
}

/**
 * The RFC 6381 codecs of a rendition of this height, for the master playlist's CODECS: H.264 Main profile
 * (`4D`, constraint_set1 `40`, as libx264 writes it) at the height's level, and AAC-LC when there is audio.
 *
 * @example
 * renditionCodecs(720, true); // → 'avc1.4D4028,mp4a.40.2'
 */
export function renditionCodecs(height: number, hasAudio: boolean) {
  const level = H264_LEVEL[height] ?? H264_LEVEL[240] ?? 31;
  return `avc1.4D40${level.toString(16).toUpperCase().padStart(2, '0')}${hasAudio ? ',mp4a.40.2' : ''}`;
}

/** A time range of the source, to the millisecond. */
export interface SourceRange {
  startSeconds: number;
  durationSeconds: number;
}

/** Up to the next millisecond (float noise below a microsecond ignored). */
const upToMs = (seconds: number) => Math.ceil(seconds * 1000 - 1e-6) / 1000;

/**
 * The source cut into ranges of about {@link UNIT_SECONDS}: each ends on the source keyframe nearest its nominal
 * end (at least half a range on, and half a range before the end), so a unit's seek lands on a keyframe and no GOP
 * is decoded twice; on the fixed grid where no keyframe is near or none are known (a WebM, a fragmented MP4). A
 * tail shorter than half a range joins the last range, so no range but a short source's only one is under 16 s.
 *
 * @example
 * planRanges(70, [0, 10, 20, 30, 40, 50, 60]); // → [{ startSeconds: 0, durationSeconds: 30 }, { 30, 40 }]
 */
export function planRanges(durationSeconds: number, keyframes: readonly number[] = []): SourceRange[] {
  const origin = videoStart(keyframes);
  const starts = [origin];
  for (let start = origin; durationSeconds - start > 1.5 * UNIT_SECONDS; starts.push(start)) {
    const nominal = start + UNIT_SECONDS;
    let end: number | undefined;
    for (const keyframe of keyframes) {
      const fits =
        keyframe >= start + UNIT_SECONDS / 2 &&
        keyframe <= start + 1.5 * UNIT_SECONDS &&
        durationSeconds - keyframe >= UNIT_SECONDS / 2;
      if (fits && (end === undefined || Math.abs(keyframe - nominal) < Math.abs(end - nominal)))
        end = keyframe;
    }
    start = upToMs(end ?? nominal);
  }
  return starts.map((start, index) => ({
    startSeconds: start,
    durationSeconds: upToMs((starts[index + 1] ?? durationSeconds) - start),
  }));
}

/**
 * Where the first range starts: the video's first keyframe when it comes within {@link MAX_VIDEO_START_SECONDS}
 * (a WebM whose Opus delay comes first starts its video 14 ms in), so the first unit's frames sit on the same grid
 * as the next unit's; 0 otherwise, never leaving out the audio before a late first picture.
 */
function videoStart(keyframes: readonly number[]) {
  const first = Math.min(...keyframes);
  return first > 0 && first <= MAX_VIDEO_START_SECONDS ? first : 0;
}

/**
 * The renditions one range unit makes: a `segments` unit the lowest rung of the ladder, a `ladder` unit every higher
 * one, the poster none.
 *
 * @example
 * renditionsMadeBy('ladder', ladderFor(1280, 720)).map((r) => r.height); // → [360, 480, 720]
 */
export function renditionsMadeBy(kind: MediaUnitKind, ladder: readonly Rendition[]) {
  return kind === 'segments' ? ladder.slice(0, 1) : kind === 'ladder' ? ladder.slice(1) : [];
}

/**
 * Every unit of a source: the poster, then per range of {@link planRanges} a `segments` unit (the lowest rendition
 * and its storyboard thumbnails, cheap: it makes the video playable early) and, when the ladder has more than one
 * rung, a `ladder` unit making every higher rendition of that range.
 *
 * @example
 * planUnits({ durationSeconds: 70, width: 1280, height: 720 }).length; // → 1 poster + 2 ranges × 2 = 5
 */
export function planUnits(
  source: { durationSeconds: number; width: number; height: number },
  keyframes?: readonly number[],
): PlannedUnit[] {
  const ladder = ladderFor(source.width, source.height);
  const lowest = ladder[0]?.height ?? 0;
  const kinds = ladder.length > 1 ? (['segments', 'ladder'] as const) : (['segments'] as const);
  const ranges = planRanges(source.durationSeconds, keyframes);
  const rangeUnits = kinds.flatMap((kind) =>
    ranges.map((range, part) => ({ kind, height: kind === 'segments' ? lowest : 0, part, ...range })),
  );
  const whole = { height: 0, part: 0, startSeconds: 0, durationSeconds: source.durationSeconds };
  return [{ kind: 'poster', ...whole }, ...rangeUnits];
}

/**
 * The segment length of a range: as near {@link SEGMENT_SECONDS} as whole divisions of the range allow, so every
 * segment of the range is 2–6 s long whatever the range's length (its start and end are keyframes of the source).
 *
 * @example
 * segmentSecondsOf(30); // → 3.75 (8 segments)
 */
export function segmentSecondsOf(rangeSeconds: number) {
  return rangeSeconds / Math.max(1, Math.round(rangeSeconds / SEGMENT_SECONDS));
}

/** Seconds between storyboard thumbnails: about {@link STORYBOARD_THUMBNAILS} of them, at least 2 s apart. */
export function storyboardInterval(durationSeconds: number) {
  return Math.max(2, Math.ceil(durationSeconds / STORYBOARD_THUMBNAILS));
}
