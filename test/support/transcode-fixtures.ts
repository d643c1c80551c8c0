import { mkdir, readFile, rename, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMedia } from '#lib/media/ffmpeg.ts';

/** Bumped when a recipe changes, so a cached file made by an older recipe is not reused. */
const RECIPES_VERSION = 3;
const cacheDir = join(tmpdir(), `clipiq-transcode-fixtures-v${RECIPES_VERSION}`);

/** One second of black, then a moving test pattern: a first frame a poster must not take. */
const pattern = (size: string, seconds: number) => [
  '-f',
  'lavfi',
  '-i',
  `color=black:s=${size}:r=25:d=1,format=yuv420p[b];testsrc2=s=${size}:r=25:d=${seconds - 1},format=yuv420p[t];[b][t]concat`,
];
const tone = (seconds: number) => ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:d=${seconds}`];
const h264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];

type Recipe = () => string[] | Promise<string[]>;

/**
 * Media made with the real ffmpeg from lavfi sources, small (a few seconds, low resolution, except the one 1080p
 * clip), each with its recipe. Made once per machine into the temp folder and reused by every test file.
 */
const RECIPES: Record<FixtureName, Recipe> = {
  /** H.264/AAC 320x240, 3 s (black first second). */
  'landscape.mp4': () => [...pattern('320x240', 3), ...tone(3), ...h264, '-c:a', 'aac', '-shortest'],
  /** Stored 320x176, the frames of the rotated portrait video. */
  'wide.mp4': () => [...pattern('320x176', 3), ...tone(3), ...h264, '-c:a', 'aac', '-shortest'],
  /** A phone's portrait video: `wide.mp4` with a 90° rotation tag (set by a copy: ffmpeg drops it on encode). */
  'rotated-portrait.mp4': async (): Promise<string[]> => [
    '-i',
    await make('wide.mp4'),
    '-c',
    'copy',
    '-metadata:s:v:0',
    'rotate=90',
  ],
  /** No audio stream at all. */
  'audio-less.mp4': () => [...pattern('320x240', 3), ...h264, '-an'],
  /** H.264/AAC 640x360, 3 s: a ladder of two renditions (240, 360). */
  '360p.mp4': () => [...pattern('640x360', 3), ...tone(3), ...h264, '-c:a', 'aac', '-shortest'],
  /** Full HD, 2 s. */
  '1080p.mp4': () => [...pattern('1920x1080', 2), ...tone(2), ...h264, '-c:a', 'aac', '-shortest'],
  /** VP9/Opus WebM. */
  'vp9.webm': () => [
    ...pattern('320x240', 3),
    ...tone(3),
    '-c:v',
    'libvpx-vp9',
    '-deadline',
    'realtime',
    '-cpu-used',
    '8',
    '-c:a',
    'libopus',
    '-shortest',
  ],
  /** 70 s (more than one range) with a keyframe every 3 s (`-g 75` at 25 fps). */
  'gop75.mp4': () => [
    ...pattern('160x120', 70),
    ...tone(70),
    ...h264,
    '-g',
    '75',
    '-c:a',
    'aac',
    '-shortest',
  ],
  /** 70 s VP9/Opus WebM with a keyframe every 3 s, indexed by the Cues ffmpeg writes. */
  'gop75.webm': () => [
    ...pattern('160x120', 70),
    ...tone(70),
    ...['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-g', '75', '-keyint_min', '75'],
    ...['-c:a', 'libopus', '-shortest'],
  ],
  /** 70 s, keyframes only at irregular moments, and B-frames (so an edit list shifts presentation times). */
  'irregular-keyframes.mp4': () => [
    ...pattern('160x120', 70),
    ...tone(70),
    ...[
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-pix_fmt',
      'yuv420p',
      '-x264-params',
      'keyint=1000:scenecut=0',
    ],
    ...['-force_key_frames', '0,1.3,7.7,15.1,29.9,34.7,41,55.5', '-c:a', 'aac', '-shortest'],
  ],
  /** QuickTime with H.264/AAC. */
  'clip.mov': () => [...pattern('320x240', 3), ...tone(3), ...h264, '-c:a', 'aac', '-shortest', '-f', 'mov'],
};

type FixtureName =
  | 'landscape.mp4'
  | 'wide.mp4'
  | 'rotated-portrait.mp4'
  | 'audio-less.mp4'
  | '360p.mp4'
  | '1080p.mp4'
  | 'gop75.mp4'
  | 'irregular-keyframes.mp4'
  | 'gop75.webm'
  | 'vp9.webm'
  | 'clip.mov';
export type TranscodeFixture = FixtureName | 'corrupted.mp4';

async function exists(path: string) {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function make(name: FixtureName): Promise<string> {
  const path = join(cacheDir, name);
  if (await exists(path)) return path;
  await mkdir(cacheDir, { recursive: true });
  // Written under a name of this process, then renamed: another test file making the same fixture never reads half.
  const partial = join(cacheDir, `${process.pid}-${name}`);
  const recipe: Recipe = RECIPES[name];
  await runMedia('ffmpeg', ['-y', ...(await recipe()), partial], { timeoutMs: 60_000 });
  await rename(partial, path);
  return path;
}

/**
 * The bytes of a generated media fixture. `corrupted.mp4` is `landscape.mp4` with its media data (`mdat`, before
 * the `moov` at the end) overwritten by noise after its first 2 KiB: the header says H.264, the frames do not
 * decode.
 *
 * @example
 * const bytes = await transcodeFixture('rotated-portrait.mp4');
 */
export async function transcodeFixture(name: TranscodeFixture): Promise<Uint8Array> {
  if (name !== 'corrupted.mp4') return new Uint8Array(await readFile(await make(name)));
  const bytes = new Uint8Array(await readFile(await make('landscape.mp4')));
  const mdat = Buffer.from(bytes).indexOf('mdat');
  const moov = Buffer.from(bytes).indexOf('moov', mdat);
  let seed = 7;
  for (let index = mdat + 2048; index < moov - 8; index++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    bytes[index] = seed & 0xff;
  }
  return bytes;
}

/** How an upload of fixture `name` declares itself: its name and the content type its extension says. */
export function fixtureDeclaration(name: TranscodeFixture) {
  const contentType = name.endsWith('.webm')
    ? 'video/webm'
    : name.endsWith('.mov')
      ? 'video/quicktime'
      : 'video/mp4';
  return { contentType, fileName: name };
}
