import type { Principal } from '../auth/principal.ts';
import { sql } from '../db.ts';
import { config } from '../environment.ts';
import { BadRequest, Conflict, NotFound } from '../errors.ts';
import { logger } from '../log.ts';
import type { SignUploadRequestBody } from './schemas.ts';
import { plannedPartBytes } from './upload-policy.ts';
import {
  abortMultipartUpload,
  isMultipartUploadOf,
  presignAbortMultipartUpload,
  presignCompleteMultipartUpload,
  presignListParts,
  presignStartMultipartUpload,
  presignUploadPart,
  presignVideoPut,
  type SignedRequest,
} from './video-storage.ts';

interface PendingUpload {
  id: string;
  status: string;
  storageKey: string;
  declaredContentType: string;
  declaredSizeBytes: number;
  multipartUploadId: string | null;
}

const refuse = (message: string, path = 'body.method') =>
  new BadRequest(message, { errors: [{ path, message }] });

/**
 * Presigns one S3 request of a stock Uppy 6 client (`@uppy/aws-s3`'s `signRequest`) for the caller's own video
 * while it waits for its bytes. Whatever the client proposes, the URL is for the video's own key, its declared
 * content type, and the plan made at create time: one PUT of exactly the declared size up to the multipart
 * threshold, parts of exactly their planned length (never beyond the planned count) above it. An upload id the
 * server did not start is accepted once storage confirms it is an upload of this video's key, and becomes the
 * video's upload.
 *
 * @example
 * const { url, key, headers } = await signUploadRequest(caller, videoId, { method: 'POST', key: 'clip.mp4' });
 */
export async function signUploadRequest(
  caller: Principal,
  videoId: string,
  request: SignUploadRequestBody,
): Promise<SignedRequest & { key: string }> {
  const [video] = await sql<PendingUpload[]>`
    select id, status, storage_key, declared_content_type, declared_size_bytes, multipart_upload_id from videos
    where id = ${videoId} and owner_id = ${caller.userId}
  `;
  if (!video) throw new NotFound('No video with this id');
  if (video.status !== 'awaiting_upload') throw new Conflict('This video is not waiting for its bytes');
  if (request.partNumber !== undefined && (request.method !== 'PUT' || request.uploadId === undefined))
    throw refuse('only the upload of a part has a part number', 'body.partNumber');
  const signed = await signFor(video, request);
  return { ...signed, key: video.storageKey };
}

async function signFor(video: PendingUpload, request: SignUploadRequestBody) {
  const key = video.storageKey;
  const multipart = video.declaredSizeBytes > config.multipartThresholdBytes;
  if (request.uploadId === undefined) {
    if (request.method === 'PUT' && !multipart)
      return presignVideoPut(key, video.declaredContentType, video.declaredSizeBytes);
    if (request.method === 'POST' && multipart)
      return presignStartMultipartUpload(key, video.declaredContentType);
    throw refuse(
      multipart
        ? 'this video uploads in parts: start a multipart upload (POST) and sign each part'
        : 'this video uploads with one PUT',
    );
  }
  if (!multipart) throw refuse('this video uploads with one PUT, not in parts', 'body.uploadId');
  const uploadId = await adoptUpload(video, request.uploadId);
  if (request.method === 'PUT') {
    if (request.partNumber === undefined)
      throw refuse('the upload of a part needs its partNumber', 'body.partNumber');
    const partBytes = plannedPartBytes(video.declaredSizeBytes, request.partNumber, 'body.partNumber');
    return { ...(await presignUploadPart(key, uploadId, request.partNumber, partBytes)), headers: {} };
  }
  if (request.method === 'GET') return presignListParts(key, uploadId);
  if (request.method === 'POST') return presignCompleteMultipartUpload(key, uploadId);
  return presignAbortMultipartUpload(key, uploadId);
}

/**
 * The video's upload id: the one it holds, or one an Uppy 6 client started itself, once storage confirms it belongs
 * to the video's key. The upload it replaces can no longer complete (one object per video), so it is aborted.
 */
async function adoptUpload(video: PendingUpload, uploadId: string) {
  if (uploadId === video.multipartUploadId) return uploadId;
  if (!(await isMultipartUploadOf(video.storageKey, uploadId))) throw new NotFound('No such upload');
  const [adopted] = await sql`
    update videos set multipart_upload_id = ${uploadId}, updated_at = now()
    where id = ${video.id} and status = 'awaiting_upload' returning id
  `;
  if (!adopted) throw new Conflict('This video is not waiting for its bytes');
  if (video.multipartUploadId) {
    await abortMultipartUpload(video.storageKey, video.multipartUploadId).catch((error: unknown) =>
      logger.warn('Could not abort the upload a client replaced', error as Error),
    );
  }
  return uploadId;
}
