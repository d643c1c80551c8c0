import type postgres from 'postgres';
import { sql } from '../db.ts';
import { fanOutPublished } from '../notifications/fan-out.ts';
import { pushVideoUpdated } from '../realtime/push-video.ts';
import type { RejectionReason } from '../videos/schemas.ts';
import { ladderFor, type MediaUnitKind } from './plan.ts';

export interface VideoProcessing {
  stage: 'verifying' | 'transcoding' | 'packaging';
  percent: number;
  etaSeconds?: number;
  renditions: { height: number; status: 'pending' | 'ready' | 'failed' }[];
}

interface UnitProgress {
  kind: MediaUnitKind;
  height: number;
  status: 'pending' | 'running' | 'done' | 'failed';
  durationSeconds: number;
}

/** The work of a rendition per source second: its pixels over the lowest rung's. */
const pixels = (height: number) => (Math.max(height, 240) / 240) ** 2;

/**
 * The contract's `processing`, derived from a video's units and its ladder (rendition heights, lowest first):
 * stage, percent of the work (a unit weighs its source seconds times the pixels it encodes), an ETA from the pace so
 * far, and each rendition's status (the lowest made by the `segments` units, the others by the `ladder` units);
 * undefined once no unit is left to run and every rendition is recorded (or failed).
 */
export function deriveProcessing(
  units: readonly UnitProgress[],
  ladder: readonly number[],
  readyHeights: ReadonlySet<number>,
  elapsedSeconds: number,
): VideoProcessing | undefined {
  if (units.length === 0) return { stage: 'verifying', percent: 0, renditions: [] };
  const [lowest = 0, ...higher] = ladder;
  const makers = (height: number) =>
    units.filter((unit) => unit.kind === (height === lowest ? 'segments' : 'ladder'));
  const weight = (unit: UnitProgress) =>
    Math.max(unit.durationSeconds, 1) *
    (unit.kind === 'segments'
      ? pixels(lowest)
      : unit.kind === 'ladder'
        ? higher.reduce((sum, height) => sum + pixels(height), 0)
        : 0.2);
  const unfinished = (unit: UnitProgress) => unit.status === 'pending' || unit.status === 'running';
  // A rendition whose last unit is done but whose playlist is not recorded yet is still being packaged.
  const packaged = ladder.every(
    (height) => readyHeights.has(height) || makers(height).some((unit) => unit.status === 'failed'),
  );
  if (packaged && !units.some(unfinished)) return undefined;
  const total = units.reduce((sum, unit) => sum + weight(unit), 0);
  const done = units.filter((unit) => unit.status === 'done').reduce((sum, unit) => sum + weight(unit), 0);
  const percent = Math.min(99, Math.floor((100 * done) / total));
  const transcoding = units.some((unit) => unit.kind !== 'poster' && unfinished(unit));
  return {
    stage: transcoding ? 'transcoding' : 'packaging',
    percent,
    ...(done > 0 ? { etaSeconds: Math.ceil((elapsedSeconds * (total - done)) / done) } : {}),
    renditions: ladder.map((height) => ({
      height,
      status: readyHeights.has(height)
        ? 'ready'
        : makers(height).some((unit) => unit.status === 'failed')
          ? 'failed'
          : 'pending',
    })),
  };
}

/**
 * Every change of a video's status or processing goes through here: it applies a rejection when given one,
 * otherwise derives `processing` from the units, and turns a `processing` video `ready` (published now) once its
 * lowest rendition and its poster exist; the owner's connections are sent the video as it now is
 * ({@link pushVideoUpdated}), and once it is ready subscribers are notified through {@link fanOutPublished}, which
 * notifies each of them once however often this runs. Returns the video's status after the change.
 *
 * @example
 * await recordVideoProgress(videoId);                              // a unit finished
 * await recordVideoProgress(videoId, { rejectedAs: 'unreadable' }); // its media cannot be decoded
 */
export async function recordVideoProgress(
  videoId: string,
  change: { rejectedAs?: RejectionReason } = {},
): Promise<string | undefined> {
  if (change.rejectedAs) {
    const [rejected] = await sql<{ status: string }[]>`
      update videos set status = 'rejected', rejection_reason = ${change.rejectedAs}, processing = null,
        multipart_upload_id = null, updated_at = now()
      where id = ${videoId} and status in ('awaiting_upload', 'processing')
      returning status
    `;
    // Its units stop counting against the concurrency: none of them will run.
    await sql`
      update media_units set status = 'failed', finished_at = now(), error = ${change.rejectedAs}
      where video_id = ${videoId} and status in ('pending', 'running')
    `;
    await pushVideoUpdated(videoId);
    return rejected?.status;
  }
  const units = await sql<UnitProgress[]>`
    select kind, height, status, duration_seconds::float8 as duration_seconds from media_units
    where video_id = ${videoId}
  `;
  const ready = await sql<{ height: number }[]>`
    select height from media_renditions where video_id = ${videoId} order by height
  `;
  const [planned] = await sql<
    { elapsedSeconds: number | null; displayWidth: number | null; displayHeight: number | null }[]
  >`
    select extract(epoch from now() - media_planned_at)::float8 as elapsed_seconds, display_width, display_height
    from videos where id = ${videoId}
  `;
  const readyHeights = new Set(ready.map((row) => row.height));
  const ladder = ladderFor(planned?.displayWidth ?? 2, planned?.displayHeight ?? 2).map(
    (rung) => rung.height,
  );
  const processing = deriveProcessing(units, ladder, readyHeights, planned?.elapsedSeconds ?? 0);
  const [lowest] = ladder;
  const playable =
    lowest !== undefined &&
    readyHeights.has(lowest) &&
    units.some((unit) => unit.kind === 'poster' && unit.status === 'done');
  const [video] = await sql<{ status: string }[]>`
    update videos set
      processing = ${processing ? sql.json(processing as unknown as postgres.JSONValue) : null},
      status = case when ${playable} then 'ready'::video_status else status end,
      published_at = case when ${playable} and status = 'processing' then now() else published_at end,
      multipart_upload_id = case when ${playable} then null else multipart_upload_id end,
      updated_at = now()
    where id = ${videoId} and status in ('processing', 'ready')
    returning status
  `;
  await pushVideoUpdated(videoId);
  if (video?.status === 'ready') await fanOutPublished(videoId);
  return video?.status;
}
