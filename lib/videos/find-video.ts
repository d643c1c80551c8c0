import type { Principal } from '../auth/principal.ts';
import { sql } from '../db.ts';
import { NotFound } from '../errors.ts';
import { type VideoRow, videoSelect } from './video.ts';

/**
 * One video with its owner, or undefined.
 *
 * @example
 * const row = await findVideoRow(id);
 */
export async function findVideoRow(id: string): Promise<VideoRow | undefined> {
  const [row] = await sql<VideoRow[]>`${videoSelect} where v.id = ${id}`;
  return row;
}

/** The owner and admins manage a video: they see it in every state and may delete it. */
export function canManage(caller: Principal | undefined, video: { ownerId: string }) {
  return caller !== undefined && (caller.role === 'admin' || caller.userId === video.ownerId);
}

/** Anyone else sees a video once it is ready, unless it is private (unlisted is reachable by id). */
export function isVisibleTo(
  caller: Principal | undefined,
  video: Pick<VideoRow, 'ownerId' | 'status' | 'visibility'>,
) {
  return canManage(caller, video) || (video.status === 'ready' && video.visibility !== 'private');
}

/**
 * {@link isVisibleTo} as a condition on the videos `v` of a query, for lists that hold videos of many owners.
 *
 * @example
 * sql`select v.id from videos v where v.id = any(${ids}) and ${visibleVideoCondition(caller)}`;
 */
export function visibleVideoCondition(caller: Principal | undefined) {
  if (caller?.role === 'admin') return sql`true`;
  const open = sql`(v.status = 'ready' and v.visibility <> 'private')`;
  return caller ? sql`(${open} or v.owner_id = ${caller.userId})` : open;
}

/**
 * The video if the caller may see it; 404 otherwise, so a hidden video looks like a missing one.
 *
 * @example
 * const row = await findVisibleVideo(caller, params.id);
 */
export async function findVisibleVideo(caller: Principal | undefined, id: string): Promise<VideoRow> {
  const row = await findVideoRow(id);
  if (!row || !isVisibleTo(caller, row)) throw new NotFound('No video with this id');
  return row;
}
