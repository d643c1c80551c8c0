import type postgres from 'postgres';
import { sql } from '../db.ts';
import { config } from '../environment.ts';
import { logger } from '../log.ts';
import { invokeMediaStep } from './invoke-step.ts';
import type { MediaUnitKind, PlannedUnit } from './plan.ts';

/** A unit `running` longer than this lost its invocation (Lambda stops one after 15 minutes). */
export const UNIT_SILENT_MS = 16 * 60 * 1000;
/** Runs of one unit (first run, Lambda's retries and re-drives included) before its video is given up. */
export const MAX_UNIT_ATTEMPTS = 4;

export interface UnitKey {
  videoId: string;
  kind: MediaUnitKind;
  height: number;
  part: number;
}

export interface SegmentEntry {
  name: string;
  duration: number;
  /** Its size; absent in units recorded before sizes were. */
  bytes?: number;
}

/** The segments a unit wrote, per rendition height. */
export type UnitSegments = Record<number, SegmentEntry[]>;

/**
 * Records a video's planned units once: a repeated plan (a redelivered step) inserts nothing.
 *
 * @example
 * await recordPlannedUnits(videoId, planUnits(source));
 */
export async function recordPlannedUnits(videoId: string, units: readonly PlannedUnit[]) {
  const rows = units.map((unit) => ({ videoId, ...unit }));
  await sql`
    insert into media_units ${sql(rows, 'videoId', 'kind', 'height', 'part', 'startSeconds', 'durationSeconds')}
    on conflict do nothing
  `;
}

/**
 * Claims pending units up to the free slots of {@link config.media.concurrency} (units running and not silent count)
 * and invokes each asynchronously; the oldest plan first, and within a video the poster, then the lowest rendition's
 * ranges, then the higher renditions' ranges, so a video becomes playable as early as it can. Claims are serialised by an
 * advisory lock, so two finishing units never overfill the slots. An invocation that fails puts its unit back.
 * Returns how many were started.
 *
 * @example
 * await dispatchPendingUnits(); // → 2
 */
export async function dispatchPendingUnits(): Promise<number> {
  const silentSince = new Date(Date.now() - UNIT_SILENT_MS);
  const claimed: UnitKey[] = await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('media_units dispatch'))`;
    const [{ running } = { running: 0 }] = await tx<{ running: number }[]>`
      select count(*)::int as running from media_units where status = 'running' and claimed_at > ${silentSince}
    `;
    const free = config.media.concurrency - running;
    if (free <= 0) return [] as UnitKey[];
    return [
      ...(await tx<UnitKey[]>`
      with next as (
        select u.video_id, u.kind, u.height, u.part
        from media_units u join videos v on v.id = u.video_id
        where u.status = 'pending'
        order by v.media_planned_at, u.kind <> 'poster', u.kind <> 'segments', u.part
        limit ${free}
        for update of u skip locked
      )
      update media_units u set status = 'running', attempts = u.attempts + 1, claimed_at = now()
      from next
      where (u.video_id, u.kind, u.height, u.part) = (next.video_id, next.kind, next.height, next.part)
      returning u.video_id, u.kind, u.height, u.part
    `),
    ];
  });
  for (const unit of claimed) {
    try {
      await invokeMediaStep({ step: 'unit', ...unit });
    } catch (error) {
      logger.error('Could not invoke a media unit; it goes back to pending', {
        ...unit,
        error: error as Error,
      });
      await sql`
        update media_units set status = 'pending', attempts = attempts - 1, claimed_at = null
        where ${unitWhere(unit)} and status = 'running'
      `;
    }
  }
  return claimed.length;
}

const unitWhere = (unit: UnitKey) =>
  sql`video_id = ${unit.videoId} and kind = ${unit.kind} and height = ${unit.height} and part = ${unit.part}`;

export interface StoredUnit extends UnitKey {
  startSeconds: number;
  durationSeconds: number;
  status: 'pending' | 'running' | 'done' | 'failed';
  attempts: number;
}

/** One unit, or undefined when its video (and so the unit) is gone. */
export async function findUnit(unit: UnitKey): Promise<StoredUnit | undefined> {
  const [row] = await sql<StoredUnit[]>`
    select video_id, kind, height, part, start_seconds::float8 as start_seconds,
           duration_seconds::float8 as duration_seconds, status, attempts
    from media_units where ${unitWhere(unit)}
  `;
  return row;
}

/**
 * Marks a unit done with what it wrote. Only the first completion counts: a duplicated or retried run that wrote
 * the same keys finds it done and returns false.
 */
export async function completeUnit(unit: UnitKey, result: { segments?: UnitSegments; cpuSeconds: number }) {
  const rows = await sql`
    update media_units set status = 'done', finished_at = now(), cpu_seconds = ${result.cpuSeconds},
      segments = ${result.segments ? sql.json(result.segments as unknown as postgres.JSONValue) : null}, error = null
    where ${unitWhere(unit)} and status <> 'done'
    returning 1
  `;
  return rows.length > 0;
}

/** Marks a unit failed for good (its media cannot be decoded). */
export async function failUnit(unit: UnitKey, error: string) {
  await sql`
    update media_units set status = 'failed', finished_at = now(), error = ${error.slice(0, 1000)}
    where ${unitWhere(unit)} and status <> 'done'
  `;
}

/**
 * The segments of a rendition in play order, once every range of it is done (the `segments` units for the lowest
 * rendition, the `ladder` units for the others); undefined before. Also the ranges, for the storyboard's track.
 */
export async function completedRendition(videoId: string, kind: 'segments' | 'ladder', height: number) {
  const parts = await sql<
    { status: string; startSeconds: number; durationSeconds: number; segments: SegmentEntry[] | null }[]
  >`
    select status, start_seconds::float8 as start_seconds, duration_seconds::float8 as duration_seconds,
           segments -> ${String(height)} as segments
    from media_units
    where video_id = ${videoId} and kind = ${kind}
    order by part
  `;
  if (parts.length === 0 || parts.some((part) => part.status !== 'done')) return undefined;
  return {
    segments: parts.flatMap((part) => part.segments ?? []),
    ranges: parts.map(({ startSeconds, durationSeconds }) => ({ startSeconds, durationSeconds })),
  };
}

/**
 * Units that failed of our own doing or went silent, as of `now`: running past {@link UNIT_SILENT_MS}. Each is put
 * back to pending (its video given up after {@link MAX_UNIT_ATTEMPTS} runs, by the caller).
 */
export async function silentUnits(now: Date) {
  return sql<(UnitKey & { attempts: number })[]>`
    select video_id, kind, height, part, attempts from media_units
    where status = 'running' and claimed_at < ${new Date(now.getTime() - UNIT_SILENT_MS)}
    order by claimed_at
    limit 1000
  `;
}

/** Puts a silent unit back to pending, for the dispatcher to run again. */
export async function requeueUnit(unit: UnitKey) {
  await sql`update media_units set status = 'pending', claimed_at = null where ${unitWhere(unit)} and status = 'running'`;
}
