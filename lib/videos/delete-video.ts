import type { Principal } from '../auth/principal.ts';
import { sql } from '../db.ts';
import { NotFound } from '../errors.ts';
import { deleteDerivedObjects } from '../media/derived-objects.ts';
import { lockPlaylistsHolding } from '../playlists/playlist.ts';
import { canManage } from './find-video.ts';
import { abortMultipartUpload, deleteVideoObject } from './video-storage.ts';

/**
 * Deletes a video (owner or admin; 404 for anyone else): storage first — an unfinished multipart upload is
 * aborted, the object and everything made from it (renditions, poster, storyboard) deleted — then the row, so a
 * failure halfway leaves a row the client can delete again rather than bytes nobody can reach. The derived folder is
 * cleared once more after the row is gone: a media unit still running looks for the row after its last upload and
 * clears the folder itself when the row is gone, so whatever it wrote while the row was there lands before this
 * second pass.
 *
 * @example
 * await deleteVideo(caller, id);
 */
export async function deleteVideo(caller: Principal, id: string) {
  const [video] = await sql<{ ownerId: string; storageKey: string; multipartUploadId: string | null }[]>`
    select owner_id, storage_key, multipart_upload_id from videos where id = ${id}
  `;
  if (!video || !canManage(caller, video)) throw new NotFound('No video with this id');
  if (video.multipartUploadId) await abortMultipartUpload(video.storageKey, video.multipartUploadId);
  await deleteVideoObject(video.storageKey);
  await deleteDerivedObjects(id);
  // The row, its notifications and its playlist items (on delete cascade) go together.
  await sql.begin(async (tx) => {
    await lockPlaylistsHolding(tx, id);
    await tx`delete from videos where id = ${id}`;
  });
  await deleteDerivedObjects(id);
}
