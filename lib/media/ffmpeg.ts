import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute } from 'node:path';

/** Where the Lambda layer (functions/media/serverless.yml) puts the binaries. */
const LAYER_BIN = '/opt/bin';
/** The largest single allocation ffmpeg may make: a forged header cannot make it ask for gigabytes at once. */
const MAX_ALLOC_BYTES = 256 * 1024 * 1024;
/** What an input may be read through: local temp files, and the presigned URL of the original. */
const PROTOCOL_WHITELIST = 'file,http,https,tcp,tls,crypto';
/** Bytes of stderr kept for the error message and the `-benchmark` line. */
const STDERR_KEPT = 16 * 1024;

export type MediaBinary = 'ffmpeg' | 'ffprobe';

/**
 * The path of ffmpeg or ffprobe: `override` (FFMPEG_PATH / FFPROBE_PATH), else the Lambda layer's `/opt/bin`, else
 * the static binary of this platform's `@ffmpeg-installer`/`@ffprobe-installer` package (npm install brings it).
 *
 * @example
 * mediaBinaryPath('ffprobe'); // → …/node_modules/@ffprobe-installer/linux-x64/ffprobe
 */
export function mediaBinaryPath(binary: MediaBinary, override?: string): string {
  if (override) return override;
  const layered = `${LAYER_BIN}/${binary}`;
  if (existsSync(layered)) return layered;
  const platform = `${process.platform}-${process.arch}`;
  return createRequire(import.meta.url).resolve(`@${binary}-installer/${platform}/${binary}`);
}

export class MediaCommandFailed extends Error {
  readonly stderr: string;
  readonly timedOut: boolean;
  constructor(message: string, stderr: string, timedOut = false) {
    super(message);
    this.name = 'MediaCommandFailed';
    this.stderr = stderr;
    this.timedOut = timedOut;
  }
}

export interface MediaRunLimits {
  /** Killed (SIGKILL) after this long. */
  timeoutMs: number;
  /** FFMPEG_PATH / FFPROBE_PATH, when set. */
  binaryPath?: string;
}

/**
 * An input ffmpeg may open: an http(s) URL we built (a presigned GET) or an absolute path of our own temp files.
 * A name from user data never gets here, so `concat:`, `file:`, `subfile:` and other protocol prefixes are refused.
 */
export function mediaInput(input: string): string {
  if (/^https?:\/\//.test(input) || (isAbsolute(input) && !input.includes(':'))) return input;
  throw new Error(`Refusing media input ${input.slice(0, 40)}`);
}

/**
 * Runs ffmpeg or ffprobe with a time limit, a bound on single allocations, a protocol whitelist and no gconv
 * modules (the static ffprobe crashes on MPEG-TS when it finds the system's). Resolves with stdout, the end of
 * stderr and the CPU
 * seconds the command used (from ffmpeg's `-benchmark`; 0 for ffprobe); rejects with {@link MediaCommandFailed}
 * when it exits non-zero or runs out of time.
 *
 * @example
 * const { cpuSeconds } = await runMedia('ffmpeg', ['-i', mediaInput(url), '-f', 'null', '-'], { timeoutMs: 60_000 });
 */
export function runMedia(
  binary: MediaBinary,
  args: readonly string[],
  limits: MediaRunLimits,
): Promise<{ stdout: string; stderr: string; cpuSeconds: number }> {
  const global = ['-hide_banner', '-nostdin', '-max_alloc', String(MAX_ALLOC_BYTES)];
  const full =
    binary === 'ffmpeg'
      ? [...global, '-benchmark', '-protocol_whitelist', PROTOCOL_WHITELIST, ...args]
      : [...global.filter((arg) => arg !== '-nostdin'), '-protocol_whitelist', PROTOCOL_WHITELIST, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(mediaBinaryPath(binary, limits.binaryPath), full, {
      env: { PATH: process.env.PATH ?? '', GCONV_PATH: '/nonexistent', HOME: '/tmp' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, limits.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEPT);
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) {
        const bench = /bench: utime=([\d.]+)s stime=([\d.]+)s/.exec(stderr);
        const cpuSeconds = bench ? Number(bench[1]) + Number(bench[2]) : 0;
        resolve({ stdout: Buffer.concat(stdout).toString('utf8'), stderr, cpuSeconds });
        return;
      }
      const why = timedOut ? `ran out of time (${limits.timeoutMs} ms)` : `exited ${code ?? signal}`;
      reject(new MediaCommandFailed(`${binary} ${why}: ${stderr.trim().slice(-500)}`, stderr, timedOut));
    });
  });
}

export interface ProbedMedia {
  durationSeconds: number;
  /** Where the file's timeline starts (below 0 when an audio codec's delay comes first): `-ss` counts from here. */
  startSeconds: number;
  /** Display size: width and height swapped when the rotation is a quarter turn. */
  width: number;
  height: number;
  videoCodec: string;
  hasAudio: boolean;
  /** Frames per second of the video stream, when it says. */
  frameRate: number | undefined;
}

interface ProbeOutput {
  streams?: {
    codec_type?: string;
    codec_name?: string;
    width?: number;
    height?: number;
    avg_frame_rate?: string;
    tags?: { rotate?: string };
    side_data_list?: { rotation?: number }[];
  }[];
  format?: { duration?: string; start_time?: string };
}

/**
 * What ffprobe reads from the header of `input` (a presigned URL or a temp file): undefined when it finds no
 * decodable video stream. Rejects with {@link MediaCommandFailed} when ffprobe cannot read it at all.
 *
 * @example
 * const probed = await probeMedia(url, { timeoutMs: 30_000 });
 */
export async function probeMedia(input: string, limits: MediaRunLimits): Promise<ProbedMedia | undefined> {
  const { stdout } = await runMedia(
    'ffprobe',
    ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', mediaInput(input)],
    limits,
  );
  const probed = JSON.parse(stdout) as ProbeOutput;
  const video = probed.streams?.find((stream) => stream.codec_type === 'video');
  if (!video?.width || !video.height || !video.codec_name) return undefined;
  const rotation = Number(video.tags?.rotate ?? video.side_data_list?.find((d) => d.rotation)?.rotation ?? 0);
  const quarterTurn = Math.abs(rotation) % 180 === 90;
  const [numerator, denominator] = (video.avg_frame_rate ?? '').split('/').map(Number);
  return {
    durationSeconds: Number(probed.format?.duration ?? 0),
    startSeconds: Number(probed.format?.start_time ?? 0) || 0,
    width: quarterTurn ? video.height : video.width,
    height: quarterTurn ? video.width : video.height,
    videoCodec: video.codec_name,
    hasAudio: probed.streams?.some((stream) => stream.codec_type === 'audio') ?? false,
    frameRate: numerator && denominator ? numerator / denominator : undefined,
  };
}

/**
 * The duration of a source whose header does not say (a live recording's WebM): the timestamp of its last packet,
 * found by copying its video stream to nowhere (demuxing only, no decoding). Undefined when there is none.
 *
 * @example
 * await measureDuration(url, { timeoutMs: 60_000 }); // → 2.002
 */
export async function measureDuration(input: string, limits: MediaRunLimits): Promise<number | undefined> {
  const { stderr } = await runMedia(
    'ffmpeg',
    ['-i', mediaInput(input), '-map', '0:v:0', '-c', 'copy', '-f', 'null', '-'],
    limits,
  );
  const times = [...stderr.matchAll(/time=(\d+):(\d+):([\d.]+)/g)];
  const last = times.at(-1);
  if (!last) return undefined;
  const seconds = Number(last[1]) * 3600 + Number(last[2]) * 60 + Number(last[3]);
  return seconds > 0 ? seconds : undefined;
}
