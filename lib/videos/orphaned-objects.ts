import { randomUUID } from 'node:crypto';
import { eachRow } from '../cleanup/guarded.ts';
import { sql } from '../db.ts';
import { UPLOADS_PREFIX } from './upload-policy.ts';
import { deleteVideoObject, listVideoObjects, UPLOAD_URL_TTL_SECONDS } from './video-storage.ts';

const PAGE_KEYS = 1000;
/** Pages listed per run (10,000 keys): a run stays short whatever the bucket holds. */
const MAX_PAGES = 10;

/**
 * Deletes objects under `uploads/` that no video keeps (SECURITY.md: an object with no matching video is deleted):
 * written before `now` minus the upload URL lifetime, and whose key no video holds, except a video rejected for
 * anything but `processing_failed` (whose original the contract keeps). Lists at most 10 pages of 1,000 keys, from
 * a random owner id round to it again, so successive runs cover a bucket larger than one run's share.
 *
 * @example
 * await sweepOrphanedObjects(new Date()); // → { orphansDeleted: 1, failed: 0 }
 */
export async function sweepOrphanedObjects(now: Date) {
  const writtenBefore = new Date(now.getTime() - UPLOAD_URL_TTL_SECONDS * 1000);
  const start = `${UPLOADS_PREFIX}${randomUUID()}`;
  const counts = { orphansDeleted: 0, failed: 0 };
  let after: string | undefined = start;
  let wrapped = false;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { objects, more } = await listVideoObjects(UPLOADS_PREFIX, after, PAGE_KEYS);
    const listed = wrapped ? objects.filter((object) => object.key <= start) : objects;
    const old = listed.filter((object) => object.lastModified < writtenBefore).map((object) => object.key);
    const kept = new Set(await keysVideosKeep(old));
    const orphans = old.filter((key) => !kept.has(key));
    const done = await eachRow(
      'sweep orphaned objects',
      orphans,
      (key) => ({ key }),
      ['orphansDeleted'],
      async (key) => {
        await deleteVideoObject(key);
        return 'orphansDeleted';
      },
    );
    counts.orphansDeleted += done.orphansDeleted;
    counts.failed += done.failed;

    if (wrapped && listed.length < objects.length) break;
    if (more) after = objects.at(-1)?.key;
    else if (wrapped) break;
    else [after, wrapped] = [undefined, true];
  }
  return counts;
}

async function keysVideosKeep(keys: string[]) {
  if (keys.length === 0) return [];
  const rows = await sql<{ storageKey: string }[]>`
    select storage_key from videos
    where storage_key = any(${sql.array(keys)}) and (status <> 'rejected' or rejection_reason = 'processing_failed')
  `;
  return rows.map((row) => row.storageKey);
}
