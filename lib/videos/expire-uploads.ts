import { sql } from '../db.ts';
import { ingestObject } from '../ingest/ingest-object.ts';
import { logger } from '../log.ts';
import { PENDING_UPLOAD_LIFETIME_MS } from './create-video.ts';
import { UPLOADS_PREFIX } from './upload-policy.ts';
import {
  abortMultipartUpload,
  deleteVideoObject,
  headVideoObject,
  listStaleMultipartUploads,
} from './video-storage.ts';

/** An ingest runs for seconds; a video `processing` this long lost its invocation. */
const STUCK_PROCESSING_MS = 15 * 60 * 1000;
/** Rows handled per run, so one run fits in the function's timeout; the next run takes the rest. */
const BATCH = 200;

interface PendingVideo {
  id: string;
  storageKey: string;
  multipartUploadId: string | null;
}

/**
 * The hourly clean-up of pending uploads, as of `now`:
 * - videos `awaiting_upload` for over 24 h are expired: their multipart upload aborted, object and row deleted —
 *   unless the object did arrive and only its storage event was lost, in which case it is ingested instead;
 * - videos stuck in `processing` (their ingest died after Lambda's retries) are ingested again;
 * - multipart uploads under `uploads/` older than 24 h are aborted, including orphans no row points to.
 *
 * @example
 * const summary = await expireStaleUploads(new Date());
 */
export async function expireStaleUploads(now: Date) {
  const expiredBefore = new Date(now.getTime() - PENDING_UPLOAD_LIFETIME_MS);
  const summary = { expired: 0, ingested: 0, abortedUploads: 0 };

  const stale = await sql<PendingVideo[]>`
    select id, storage_key, multipart_upload_id from videos
    where status = 'awaiting_upload' and created_at < ${expiredBefore}
    order by created_at limit ${BATCH}
  `;
  for (const video of stale) {
    if (video.multipartUploadId) await abortMultipartUpload(video.storageKey, video.multipartUploadId);
    if (await headVideoObject(video.storageKey)) {
      await ingestObject(video.storageKey);
      summary.ingested += 1;
      continue;
    }
    const deleted = await sql`
      delete from videos where id = ${video.id} and status = 'awaiting_upload' returning id
    `;
    // A stray object could only come from a URL issued before the row was deleted; those expired long ago.
    await deleteVideoObject(video.storageKey);
    summary.expired += deleted.length;
  }

  const stuck = await sql<PendingVideo[]>`
    select id, storage_key, multipart_upload_id from videos
    where status = 'processing' and updated_at < ${new Date(now.getTime() - STUCK_PROCESSING_MS)}
    order by updated_at limit ${BATCH}
  `;
  for (const video of stuck) {
    logger.warn('Ingesting a video stuck in processing again', { videoId: video.id });
    await ingestObject(video.storageKey);
    summary.ingested += 1;
  }

  for (const upload of await listStaleMultipartUploads(UPLOADS_PREFIX, expiredBefore)) {
    await abortMultipartUpload(upload.key, upload.uploadId);
    summary.abortedUploads += 1;
  }
  return summary;
}
