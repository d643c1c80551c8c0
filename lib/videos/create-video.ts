import { randomUUID } from 'node:crypto';
import type { Principal } from '../auth/principal.ts';
import { sql } from '../db.ts';
import { config } from '../environment.ts';
import { NotFound } from '../errors.ts';
import { logger } from '../log.ts';
import { findVideoRow } from './find-video.ts';
import type { CreatedVideo, CreateVideoBody } from './schemas.ts';
import { acceptedVideoType, assertUploadSize, partPlan, uploadKey } from './upload-policy.ts';
import { type QuotaStanding, quotaColumns, quotaRefusal } from './upload-quota.ts';
import { toVideo } from './video.ts';
import { abortMultipartUpload, presignVideoPut, startMultipartUpload } from './video-storage.ts';

/** A pending upload is expired by the clean-up after this long. */
export const PENDING_UPLOAD_LIFETIME_MS = 24 * 60 * 60 * 1000;

/**
 * Registers a video `awaiting_upload` and tells the client how to send its bytes straight to storage: one
 * presigned PUT up to the multipart threshold, an S3 multipart upload above it. 415/413 before anything is
 * stored or signed; 403 when the declared size does not fit the caller's storage or daily quota, checked and
 * reserved by the insert itself under a lock on the caller's row, so parallel creates cannot both squeeze in.
 *
 * @example
 * const { video, upload } = await createVideo(caller, { title: 'Hi', fileName: 'hi.mp4', contentType: 'video/mp4',
 *   sizeBytes: 17_834, description: '', visibility: 'public' });
 */
export async function createVideo(caller: Principal, body: CreateVideoBody): Promise<CreatedVideo> {
  const contentType = acceptedVideoType(body.contentType);
  assertUploadSize(body.sizeBytes, config.maxUploadBytes);
  const id = randomUUID();
  const storageKey = uploadKey(caller.userId, id, body.fileName);
  const multipart = body.sizeBytes > config.multipartThresholdBytes;
  const uploadId = multipart ? await startMultipartUpload(storageKey, contentType) : null;

  try {
    const [owner] = await sql<(QuotaStanding & { created: boolean })[]>`
      with owner as (
        select id, ${quotaColumns} from users where id = ${caller.userId} for no key update
      ), created as (
        insert into videos (id, owner_id, title, description, visibility, storage_key, file_name,
                            declared_content_type, declared_size_bytes, multipart_upload_id)
        select ${id}, owner.id, ${body.title}, ${body.description}, ${body.visibility}, ${storageKey},
               ${body.fileName}, ${contentType}, ${body.sizeBytes}, ${uploadId}
        from owner
        where owner.storage_used_bytes + ${body.sizeBytes} <= owner.storage_limit_bytes
          and owner.daily_used_bytes + ${body.sizeBytes} <= owner.daily_limit_bytes
        returning id
      )
      select owner.*, exists (select from created) as created from owner
    `;
    if (!owner) throw new NotFound('This account no longer exists');
    if (!owner.created)
      throw quotaRefusal(owner, body.sizeBytes, new Date()) ?? new Error('Quota refused a fitting upload');
  } catch (error) {
    if (uploadId) {
      await abortMultipartUpload(storageKey, uploadId).catch((abortError: unknown) =>
        logger.warn('Could not abort the upload of a video that was not created', abortError as Error),
      );
    }
    throw error;
  }

  const row = await findVideoRow(id);
  if (!row) throw new Error(`Video ${id} vanished right after its insert`);
  const video = toVideo(row);
  if (!uploadId) {
    return {
      video,
      upload: { method: 'PUT', ...(await presignVideoPut(storageKey, contentType, body.sizeBytes)) },
    };
  }
  const expiresAt = new Date(row.createdAt.getTime() + PENDING_UPLOAD_LIFETIME_MS).toISOString();
  return {
    video,
    upload: { method: 'MULTIPART', uploadId, key: storageKey, ...partPlan(body.sizeBytes), expiresAt },
  };
}
