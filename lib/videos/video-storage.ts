import type { S3ClientResolvedConfig, ServiceInputTypes, ServiceOutputTypes } from '@aws-sdk/client-s3';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Command } from '@smithy/core/client';
import { NotFound } from '../errors.ts';
import { bucket, s3 } from '../storage.ts';

/** SECURITY.md: presigned upload URLs live at most 15 minutes. */
export const UPLOAD_URL_TTL_SECONDS = 15 * 60;
/** Playback URLs outlive a long viewing session but not a day. */
export const PLAYBACK_URL_TTL_SECONDS = 60 * 60;

export interface SignedUrl {
  url: string;
  expiresAt: string;
}

export interface StoredPart {
  PartNumber: number;
  ETag: string;
  Size: number;
}

const expiresAt = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();
const isMissing = (error: unknown, ...names: string[]) =>
  error instanceof Error &&
  (names.includes(error.name) ||
    (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404);

/**
 * A presigned PUT that binds the exact `Content-Type` and `Content-Length` (a presigned PUT cannot bound a size
 * range, so it signs the one declared) and `If-None-Match: *`, so a second PUT cannot replace verified bytes.
 * `headers` are the ones the client must set; a browser may not set `Content-Length` and sends it from the body.
 *
 * @example
 * const { url, headers } = await presignVideoPut(key, 'video/mp4', 17_834);
 */
export async function presignVideoPut(key: string, contentType: string, sizeBytes: number) {
  const command = new PutObjectCommand({
    Bucket: bucket,
    Key: key,
    ContentType: contentType,
    ContentLength: sizeBytes,
    IfNoneMatch: '*',
  });
  const url = await getSignedUrl(s3, command, {
    expiresIn: UPLOAD_URL_TTL_SECONDS,
    // The presigner leaves Content-Type unsigned unless asked; these headers must be sent exactly as signed.
    signableHeaders: new Set(['content-type', 'content-length', 'if-none-match']),
  });
  const headers = { 'Content-Type': contentType, 'If-None-Match': '*' };
  return { url, headers, expiresAt: expiresAt(UPLOAD_URL_TTL_SECONDS) };
}

/** How long this environment hands out the same playback URL again: it then has at least 55 of its 60 minutes. */
const PLAYBACK_URL_REUSE_MS = 5 * 60 * 1000;
/** The most playback URLs kept for reuse (a few hundred bytes each); the least recently signed go first. */
const PLAYBACK_URLS_KEPT = 1000;
const playbackUrls = new Map<string, SignedUrl & { signedAt: number }>();

/**
 * A presigned GET for playback; S3 serves range requests on it. Callers in the same five minutes get the same URL:
 * a player that loads the video again, and a browser or CDN caching its bytes, see one address instead of a new
 * signature every time, and a popular video is not signed again for each viewer. Whoever asks has already been
 * allowed to see the video (get-video checks first), and the URL is no more valid than a freshly signed one.
 */
export async function presignVideoGet(key: string): Promise<SignedUrl> {
  const now = Date.now();
  const kept = playbackUrls.get(key);
  if (kept && now - kept.signedAt < PLAYBACK_URL_REUSE_MS)
    return { url: kept.url, expiresAt: kept.expiresAt };
  const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), {
    expiresIn: PLAYBACK_URL_TTL_SECONDS,
  });
  const signed = { url, expiresAt: expiresAt(PLAYBACK_URL_TTL_SECONDS) };
  playbackUrls.delete(key);
  playbackUrls.set(key, { ...signed, signedAt: now });
  const oldest = playbackUrls.keys().next().value;
  if (playbackUrls.size > PLAYBACK_URLS_KEPT && oldest !== undefined) playbackUrls.delete(oldest);
  return signed;
}

/** Starts a multipart upload whose object will carry the declared content type. */
export async function startMultipartUpload(key: string, contentType: string): Promise<string> {
  const { UploadId } = await s3.send(
    new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: contentType }),
  );
  if (!UploadId) throw new Error('CreateMultipartUpload returned no UploadId');
  return UploadId;
}

/** A presigned UploadPart that binds the part number and its exact `Content-Length`. */
export async function presignUploadPart(
  key: string,
  uploadId: string,
  partNumber: number,
  sizeBytes: number,
): Promise<SignedUrl> {
  const command = new UploadPartCommand({
    Bucket: bucket,
    Key: key,
    UploadId: uploadId,
    PartNumber: partNumber,
    ContentLength: sizeBytes,
  });
  const url = await getSignedUrl(s3, command, { expiresIn: UPLOAD_URL_TTL_SECONDS });
  return { url, expiresAt: expiresAt(UPLOAD_URL_TTL_SECONDS) };
}

/** What a presigned request of an Uppy 6 client needs: the URL, and the headers it must send as they were signed. */
export interface SignedRequest extends SignedUrl {
  headers: Record<string, string>;
}

const presign = async <I extends ServiceInputTypes, O extends ServiceOutputTypes>(
  command: Command<I, O, S3ClientResolvedConfig, ServiceInputTypes, ServiceOutputTypes>,
  headers: Record<string, string> = {},
): Promise<SignedRequest> => {
  const url = await getSignedUrl(s3, command, {
    expiresIn: UPLOAD_URL_TTL_SECONDS,
    signableHeaders: new Set(Object.keys(headers).map((name) => name.toLowerCase())),
  });
  return { url, headers, expiresAt: expiresAt(UPLOAD_URL_TTL_SECONDS) };
};

/** A presigned CreateMultipartUpload (Uppy 6 starts its own upload) binding the object's content type. */
export const presignStartMultipartUpload = (key: string, contentType: string) =>
  presign(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: contentType }), {
    'Content-Type': contentType,
  });

/** A presigned ListParts of one upload (Uppy 6 resuming). */
export const presignListParts = (key: string, uploadId: string) =>
  presign(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));

/** A presigned CompleteMultipartUpload that, like the server's own, never replaces an existing object. */
export const presignCompleteMultipartUpload = (key: string, uploadId: string) =>
  presign(
    new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, IfNoneMatch: '*' }),
    {
      'If-None-Match': '*',
    },
  );

/** A presigned AbortMultipartUpload. */
export const presignAbortMultipartUpload = (key: string, uploadId: string) =>
  presign(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));

/**
 * Whether storage holds an unfinished multipart upload with this id for this very key: S3 answers ListParts of an
 * upload id started for another key with NoSuchUpload.
 */
export async function isMultipartUploadOf(key: string, uploadId: string) {
  try {
    await s3.send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MaxParts: 1 }));
    return true;
  } catch (error) {
    if (isMissing(error, 'NoSuchUpload')) return false;
    throw error;
  }
}

/** Every part uploaded so far, in part-number order (ListParts pages through 1,000 at a time). */
export async function listUploadedParts(key: string, uploadId: string): Promise<StoredPart[]> {
  const parts: StoredPart[] = [];
  let marker: string | undefined;
  try {
    do {
      const page = await s3.send(
        new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumberMarker: marker }),
      );
      for (const part of page.Parts ?? []) {
        parts.push({ PartNumber: part.PartNumber ?? 0, ETag: part.ETag ?? '', Size: part.Size ?? 0 });
      }
      marker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
    } while (marker);
  } catch (error) {
    if (isMissing(error, 'NoSuchUpload')) throw new NotFound('No such upload', { cause: error });
    throw error;
  }
  return parts;
}

/** Assembles the parts; `If-None-Match: *` refuses to replace an object that already exists. */
export async function completeMultipartUpload(
  key: string,
  uploadId: string,
  parts: readonly { PartNumber: number; ETag: string }[],
) {
  try {
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        IfNoneMatch: '*',
        MultipartUpload: { Parts: parts.map(({ PartNumber, ETag }) => ({ PartNumber, ETag })) },
      }),
    );
  } catch (error) {
    if (isMissing(error, 'NoSuchUpload')) throw new NotFound('No such upload', { cause: error });
    throw error;
  }
}

/** Aborts a multipart upload and frees its parts; an upload that is already gone counts as aborted. */
export async function abortMultipartUpload(key: string, uploadId: string) {
  try {
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
  } catch (error) {
    if (!isMissing(error, 'NoSuchUpload')) throw error;
  }
}

/** Multipart uploads under `prefix` started before `initiatedBefore`. */
export async function listStaleMultipartUploads(prefix: string, initiatedBefore: Date) {
  const stale: { key: string; uploadId: string }[] = [];
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  do {
    const page = await s3.send(
      new ListMultipartUploadsCommand({
        Bucket: bucket,
        Prefix: prefix,
        KeyMarker: keyMarker,
        UploadIdMarker: uploadIdMarker,
      }),
    );
    for (const upload of page.Uploads ?? []) {
      if (upload.Key && upload.UploadId && upload.Initiated && upload.Initiated < initiatedBefore) {
        stale.push({ key: upload.Key, uploadId: upload.UploadId });
      }
    }
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    uploadIdMarker = page.IsTruncated ? page.NextUploadIdMarker : undefined;
  } while (keyMarker);
  return stale;
}

/**
 * One page of the objects under `prefix` whose keys sort after `startAfter` (from the first when undefined), in key
 * order, with when each was last written; `more` tells whether keys remain after the page.
 *
 * @example
 * const { objects, more } = await listVideoObjects('uploads/', undefined, 1000);
 */
export async function listVideoObjects(prefix: string, startAfter: string | undefined, maxKeys: number) {
  const page = await s3.send(
    new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, StartAfter: startAfter, MaxKeys: maxKeys }),
  );
  const objects = (page.Contents ?? []).flatMap(({ Key, LastModified }) =>
    Key && LastModified ? [{ key: Key, lastModified: LastModified }] : [],
  );
  return { objects, more: page.IsTruncated === true };
}

/** Size and ETag of a stored object, or undefined when there is none. */
export async function headVideoObject(key: string) {
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return { size: head.ContentLength ?? 0, etag: head.ETag ?? '' };
  } catch (error) {
    if (isMissing(error, 'NotFound', 'NoSuchKey')) return undefined;
    throw error;
  }
}

/** Deletes an object; deleting a missing object succeeds, as in S3. */
export async function deleteVideoObject(key: string) {
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
}

/** Reads `bytes=start-end` (inclusive) of an object. */
export async function readVideoObjectRange(key: string, start: number, end: number): Promise<Uint8Array> {
  const response = await s3.send(
    new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${start}-${end}` }),
  );
  if (!response.Body) return new Uint8Array(0);
  return response.Body.transformToByteArray();
}
