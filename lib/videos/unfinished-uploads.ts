import { eachRow } from '../cleanup/guarded.ts';
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

const videoOf = (video: PendingVideo) => ({ videoId: video.id });

/**
 * Expires videos `awaiting_upload` for over 24 h as of `now`: their multipart upload aborted, object and row deleted
 * — unless the object did arrive and only its storage event was lost, in which case it is ingested instead.
 *
 * @example
 * await expireStaleUploads(new Date()); // → { expired: 2, ingested: 1, failed: 0 }
 */
export async function expireStaleUploads(now: Date) {
  const stale = await sql<PendingVideo[]>`
    select id, storage_key, multipart_upload_id from videos
    where status = 'awaiting_upload' and created_at < ${new Date(now.getTime() - PENDING_UPLOAD_LIFETIME_MS)}
    order by created_at limit ${BATCH}
  `;
  return eachRow('expire stale uploads', stale, videoOf, ['expired', 'ingested'], async (video) => {
    if (video.multipartUploadId) await abortMultipartUpload(video.storageKey, video.multipartUploadId);
    if (await headVideoObject(video.storageKey)) {
      await ingestObject(video.storageKey);
      return 'ingested';
    }
    const deleted = await sql`
      delete from videos where id = ${video.id} and status = 'awaiting_upload' returning id
    `;
    // A stray object could only come from a URL issued before the row was deleted; those expired long ago.
    await deleteVideoObject(video.storageKey);
    return deleted.length > 0 ? 'expired' : undefined;
  });
}

/**
 * Aborts multipart uploads under `uploads/` started over 24 h before `now`, including orphans no row points to.
 *
 * @example
 * await abortStaleMultipartUploads(new Date()); // → { abortedUploads: 1, failed: 0 }
 */
export async function abortStaleMultipartUploads(now: Date) {
  const stale = await listStaleMultipartUploads(
    UPLOADS_PREFIX,
    new Date(now.getTime() - PENDING_UPLOAD_LIFETIME_MS),
  );
  return eachRow(
    'abort stale multipart uploads',
    stale,
    (upload) => ({ ...upload }),
    ['abortedUploads'],
    async (upload) => {
      await abortMultipartUpload(upload.key, upload.uploadId);
      return 'abortedUploads';
    },
  );
}

/**
 * Ingests again the videos stuck in `processing` (their ingest died after Lambda's retries); ingest itself gives up
 * on one after its bounded attempts (`gaveUp`), so a video that always fails is rejected rather than retried forever.
 *
 * @example
 * await ingestStuckVideos(new Date()); // → { ingested: 1, gaveUp: 0, failed: 0 }
 */
export async function ingestStuckVideos(now: Date) {
  const stuck = await sql<PendingVideo[]>`
    select id, storage_key, multipart_upload_id from videos
    where status = 'processing' and media_planned_at is null and updated_at < ${new Date(now.getTime() - STUCK_PROCESSING_MS)}
    order by updated_at limit ${BATCH}
  `;
  return eachRow('ingest stuck videos', stuck, videoOf, ['ingested', 'gaveUp'], async (video) => {
    logger.warn('Ingesting a video stuck in processing again', { videoId: video.id });
    const { outcome } = await ingestObject(video.storageKey);
    return outcome === 'gave-up' ? 'gaveUp' : 'ingested';
  });
}
