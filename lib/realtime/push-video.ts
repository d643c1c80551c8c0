import type { Role } from '../auth/principal.ts';
import { sql } from '../db.ts';
import { getVideo } from '../videos/get-video.ts';
import { deliver, guarded, type PushSummary } from './push.ts';

/**
 * Pushes a video, as `GET /videos/{id}` shows it to its owner, to the owner's open connections:
 * `{ type: "video.updated", video }`. Call it after every status change or processing step. Never throws.
 *
 * @example
 * await markReady(videoId, measured);
 * await pushVideoUpdated(videoId);
 */
export function pushVideoUpdated(videoId: string): Promise<PushSummary> {
  return guarded('video.updated', async () => {
    const open = await sql<{ connectionId: string; ownerId: string; role: Role }[]>`
      select c.connection_id, u.id as owner_id, u.role
      from videos v
      join users u on u.id = v.owner_id
      join realtime_connections c on c.user_id = u.id
      where v.id = ${videoId}
    `;
    const [owner] = open;
    if (!owner) return { sent: 0, gone: 0, failed: 0 };
    const video = await getVideo({ userId: owner.ownerId, role: owner.role }, videoId);
    return deliver(
      open.map(({ connectionId }) => ({ connectionId, message: { type: 'video.updated', video } })),
    );
  });
}
