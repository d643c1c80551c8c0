import type { Principal } from '../auth/principal.ts';
import { sql } from '../db.ts';
import { NotFound } from '../errors.ts';
import type { EditVideoRequest, Video } from './schemas.ts';
import { toVideo, type VideoRow, videoSelect } from './video.ts';

const EDITABLE = ['title', 'description', 'visibility', 'commentPolicy'] as const;

/**
 * Changes a video's title, description, visibility or comment policy, for its owner or an admin; anyone else gets the same 404
 * as for a missing video. Publish notifications go out once, when ingest makes a public video ready, so making
 * a video public later notifies nobody. `users.video_count` follows visibility through a trigger.
 *
 * @example
 * const video = await editVideo(caller, videoId, { visibility: 'unlisted' });
 */
export async function editVideo(
  caller: Principal,
  videoId: string,
  changes: EditVideoRequest,
): Promise<Video> {
  const columns = EDITABLE.filter((column) => changes[column] !== undefined);
  const mayEdit = caller.role === 'admin' ? sql`true` : sql`owner_id = ${caller.userId}`;
  const [edited] =
    columns.length > 0
      ? await sql`
          update videos set ${sql(changes, columns)}, updated_at = now()
          where id = ${videoId} and ${mayEdit}
          returning id
        `
      : await sql`select id from videos where id = ${videoId} and ${mayEdit}`;
  const [row] = edited ? await sql<VideoRow[]>`${videoSelect} where v.id = ${videoId}` : [];
  if (!row) throw new NotFound('No video with this id');
  return toVideo(row);
}
