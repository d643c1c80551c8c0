import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface PipelineFigures {
  /** CPU-seconds of every unit of the upload over those of one ffmpeg command making the same ladder. */
  cpuRatio: number;
  /** From the storage event handing the upload to ingest until the video is `ready`. */
  firstPlayableMs: number;
  /** From the same moment until every rendition's playlist is written. */
  fullLadderMs: number;
  /** CPU-seconds per unit kind (all units of the kind) and of the one direct command, to see where CPU goes. */
  cpuSeconds: Record<string, number>;
  plan2h: {
    units: number;
    concurrency: number;
    /** The costliest unit's CPU-seconds scaled to the longest range of the plan: its wall time on 1769 MB (1 vCPU). */
    largestUnitS: number;
    /** Waves of `concurrency` invocations, each as long as the largest unit. */
    modelledWallS: number;
  };
}

/** Lambda invocations the two-hour plan assumes at once. */
const PLAN_CONCURRENCY = 100;
const TWO_HOURS_1080P = { durationSeconds: 2 * 3600, width: 1920, height: 1080 };
const POLL_MS = 100;
const GIVE_UP_MS = 20 * 60 * 1000;

/**
 * Uploads a clip of `seconds` at `size` (a moving test pattern with a tone, made by ffmpeg) as the bench creator,
 * ingests it and waits for the media pipeline (units invoked in-process through the stack's Lambda API) to make it
 * playable, then its whole ladder; then makes the same ladder with one ffmpeg command from the same file, and
 * models the two-hour 1080p plan from the costliest unit. The video and its objects are deleted afterwards.
 *
 * @example
 * const figures = await measurePipeline({ seconds: 60 }); // { cpuRatio: 1.1, firstPlayableMs, … }
 */
export async function measurePipeline(options: { seconds: number; size?: string }): Promise<PipelineFigures> {
  const { sql } = await import('#lib/db.ts');
  const { bucket, s3 } = await import('#lib/storage.ts');
  const { PutObjectCommand } = await import('@aws-sdk/client-s3');
  const { ingestObject } = await import('#lib/ingest/ingest-object.ts');
  const { deleteVideoObject } = await import('#lib/videos/video-storage.ts');
  const { deleteDerivedObjects } = await import('#lib/media/derived-objects.ts');
  const { runMedia } = await import('#lib/media/ffmpeg.ts');
  const { ladderFor, planUnits, SEGMENT_SECONDS } = await import('#lib/media/plan.ts');
  const { renditionEncoding } = await import('#lib/media/process-video.ts');
  const [creator] = await sql<{ id: string }[]>`select id from users where username = 'bench_creator'`;
  if (!creator) throw new Error('No bench creator: measure latency first');

  const size = options.size ?? '1920x1080';
  const [width, height] = size.split('x').map(Number) as [number, number];
  const dir = await mkdtemp(join(tmpdir(), 'clipiq-bench-pipeline-'));
  const clip = join(dir, 'clip.mp4');
  const limits = { timeoutMs: GIVE_UP_MS };
  const key = `uploads/${creator.id}/${randomUUID()}/clip.mp4`;
  let videoId: string | undefined;
  try {
    await runMedia(
      'ffmpeg',
      [
        ...['-f', 'lavfi', '-i', `testsrc2=s=${size}:r=25:d=${options.seconds}`],
        ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:d=${options.seconds}`],
        ...[
          '-c:v',
          'libx264',
          '-preset',
          'ultrafast',
          '-pix_fmt',
          'yuv420p',
          '-c:a',
          'aac',
          '-shortest',
          clip,
        ],
      ],
      limits,
    );
    const bytes = await readFile(clip);
    const [video] = await sql<{ id: string }[]>`
      insert into videos (owner_id, title, storage_key, file_name, declared_content_type, declared_size_bytes)
      values (${creator.id}, 'Pipeline benchmark', ${key}, 'clip.mp4', 'video/mp4', ${bytes.byteLength})
      returning id
    `;
    if (!video) throw new Error('No video row');
    const id = video.id;
    videoId = id;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentType: 'video/mp4' }));

    const started = performance.now();
    const outcome = await ingestObject(key);
    if (outcome.outcome !== 'accepted') throw new Error(`Ingest of the clip: ${JSON.stringify(outcome)}`);
    const rungs = ladderFor(width, height).length;
    let firstPlayableMs: number | undefined;
    let fullLadderMs: number | undefined;
    while (fullLadderMs === undefined) {
      if (performance.now() - started > GIVE_UP_MS) throw new Error('The pipeline did not finish in time');
      const [state] = await sql<{ status: string; renditions: number }[]>`
        select status, (select count(*)::int from media_renditions r where r.video_id = v.id) as renditions
        from videos v where id = ${id}
      `;
      if (state?.status !== 'processing' && state?.status !== 'ready')
        throw new Error(`The clip turned ${state?.status}`);
      const now = performance.now() - started;
      if (state.status === 'ready') firstPlayableMs ??= now;
      if (firstPlayableMs !== undefined && state.renditions === rungs) fullLadderMs = now;
      else await sleep(POLL_MS);
    }
    const units = await sql<{ kind: string; cpuSeconds: number; durationSeconds: number }[]>`
      select kind, cpu_seconds, duration_seconds::float8 as duration_seconds
      from media_units where video_id = ${id} and status = 'done'
    `;
    const pipelineCpu = units.reduce((sum, unit) => sum + unit.cpuSeconds, 0);

    const ladder = await mkdtemp(join(dir, 'ladder-'));
    const direct = await runMedia(
      'ffmpeg',
      [
        '-i',
        clip,
        ...ladderFor(width, height).flatMap((rendition) => [
          ...renditionEncoding(rendition, true),
          ...['-f', 'hls', '-hls_time', String(SEGMENT_SECONDS), '-hls_list_size', '0'],
          ...['-hls_segment_filename', join(ladder, `${rendition.height}-%03d.ts`)],
          join(ladder, `${rendition.height}.m3u8`),
        ]),
      ],
      limits,
    );

    const plan = planUnits(TWO_HOURS_1080P);
    const longestRange = Math.max(
      ...plan.filter((unit) => unit.kind !== 'poster').map((unit) => unit.durationSeconds),
    );
    // A range unit's cost per second of source, for the plan's longest range: the shorter last range or a short clip
    // would understate it. The poster is one unit of its own, as long as measured.
    const largestUnitS = Math.max(
      ...units.map((unit) =>
        unit.kind === 'poster' ? unit.cpuSeconds : (unit.cpuSeconds / unit.durationSeconds) * longestRange,
      ),
    );
    const plannedUnits = plan.length;
    const cpuSeconds: Record<string, number> = { direct: direct.cpuSeconds };
    for (const unit of units) cpuSeconds[unit.kind] = (cpuSeconds[unit.kind] ?? 0) + unit.cpuSeconds;
    return {
      cpuRatio: pipelineCpu / direct.cpuSeconds,
      cpuSeconds,
      firstPlayableMs: firstPlayableMs ?? fullLadderMs,
      fullLadderMs,
      plan2h: {
        units: plannedUnits,
        concurrency: PLAN_CONCURRENCY,
        largestUnitS,
        modelledWallS: Math.ceil(plannedUnits / PLAN_CONCURRENCY) * largestUnitS,
      },
    };
  } finally {
    await sql`delete from videos where storage_key = ${key}`;
    await deleteVideoObject(key);
    if (videoId) await deleteDerivedObjects(videoId);
    await rm(dir, { recursive: true, force: true });
  }
}
