import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import type { Principal } from '../auth/principal.ts';
import { config } from '../config.ts';
import { sql } from '../db.ts';
import { lazySchema } from '../lazy-schema.ts';
import { logger } from '../log.ts';
import { findVideoRow } from './find-video.ts';
import { acceptedVideoType, assertUploadSize, partPlan, uploadKey } from './upload-policy.ts';
import { toVideo, Video, VideoVisibility } from './video.ts';
import { abortMultipartUpload, presignVideoPut, startMultipartUpload } from './video-storage.ts';

/** A pending upload is expired by the clean-up after this long. */
export const PENDING_UPLOAD_LIFETIME_MS = 24 * 60 * 60 * 1000;

export const CreateVideoBody = lazySchema(() =>
  z.strictObject({
    title: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
    description: z._default(z.string().check(z.maxLength(5000)), ''),
    visibility: z._default(VideoVisibility, 'public'),
    fileName: z.string().check(z.trim(), z.minLength(1), z.maxLength(255)),
    // Any text here; an unaccepted type is a 415, not a 400.
    contentType: z.string().check(z.minLength(1), z.maxLength(255)),
    sizeBytes: z.int().check(z.positive(), z.maximum(Number.MAX_SAFE_INTEGER)),
  }),
);
export type CreateVideoBody = z.output<typeof CreateVideoBody>;

const putUpload = () =>
  z.object({
    method: z.literal('PUT'),
    url: z.url(),
    headers: z.record(z.string(), z.string()),
    expiresAt: z.iso.datetime(),
  });

const multipartUpload = () =>
  z.object({
    method: z.literal('MULTIPART'),
    uploadId: z.string(),
    key: z.string(),
    partSize: z.int(),
    partCount: z.int(),
    /** When the clean-up may abort the unfinished upload. */
    expiresAt: z.iso.datetime(),
  });

export const CreatedVideo = lazySchema(() =>
  z.object({ video: Video, upload: z.discriminatedUnion('method', [putUpload(), multipartUpload()]) }),
);
export type CreatedVideo = z.infer<typeof CreatedVideo>;

/**
 * Registers a video `awaiting_upload` and tells the client how to send its bytes straight to storage: one
 * presigned PUT up to the multipart threshold, an S3 multipart upload above it. 415/413 before anything is
 * stored or signed.
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
    await sql`
      insert into videos ${sql({
        id,
        ownerId: caller.userId,
        title: body.title,
        description: body.description,
        visibility: body.visibility,
        storageKey,
        fileName: body.fileName,
        declaredContentType: contentType,
        declaredSizeBytes: body.sizeBytes,
        multipartUploadId: uploadId,
      })}
    `;
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
