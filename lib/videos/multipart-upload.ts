import type { Principal } from '../auth/principal.ts';
import { sql } from '../db.ts';
import { BadRequest, type FieldProblem, NotFound } from '../errors.ts';
import type { CompleteUploadBody } from './schemas.ts';
import { MIN_PART_BYTES, plannedPartBytes } from './upload-policy.ts';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  listUploadedParts,
  presignUploadPart,
  type StoredPart,
} from './video-storage.ts';

interface OwnUpload {
  id: string;
  storageKey: string;
  declaredSizeBytes: number;
  uploadId: string;
}

/** The caller's own unfinished multipart upload of this video; 404 for anyone else's or an unknown one. */
async function findOwnUpload(caller: Principal, videoId: string, uploadId: string): Promise<OwnUpload> {
  const [upload] = await sql<Omit<OwnUpload, 'uploadId'>[]>`
    select id, storage_key, declared_size_bytes from videos
    where id = ${videoId} and owner_id = ${caller.userId} and multipart_upload_id = ${uploadId}
      and status = 'awaiting_upload'
  `;
  if (!upload) throw new NotFound('No such upload');
  return { ...upload, uploadId };
}

/**
 * A presigned URL for one part of the plan (Uppy's `signPart`), bound to that part's planned length: an upload can
 * only ever stage its declared bytes. 400 for a part number beyond the planned count.
 *
 * @example
 * const { url } = await signUploadPart(caller, videoId, uploadId, 1);
 */
export async function signUploadPart(
  caller: Principal,
  videoId: string,
  uploadId: string,
  partNumber: number,
) {
  const upload = await findOwnUpload(caller, videoId, uploadId);
  const partBytes = plannedPartBytes(upload.declaredSizeBytes, partNumber);
  return presignUploadPart(upload.storageKey, upload.uploadId, partNumber, partBytes);
}

/** The parts uploaded so far (Uppy's `listParts`, used to resume). */
export async function listUploadParts(caller: Principal, videoId: string, uploadId: string) {
  const upload = await findOwnUpload(caller, videoId, uploadId);
  return listUploadedParts(upload.storageKey, upload.uploadId);
}

/**
 * Assembles the parts into the video's object (Uppy's `completeMultipartUpload`) after checking them against
 * what storage holds: known part numbers with matching ETags, at least 5 MiB each except the last, adding up to
 * the declared size. The storage event then ingests the object.
 *
 * @example
 * const { location } = await completeUpload(caller, videoId, uploadId, [{ PartNumber: 1, ETag: '"…"' }]);
 */
export async function completeUpload(
  caller: Principal,
  videoId: string,
  uploadId: string,
  parts: CompleteUploadBody['parts'],
) {
  const upload = await findOwnUpload(caller, videoId, uploadId);
  const stored = new Map(
    (await listUploadedParts(upload.storageKey, uploadId)).map((part) => [part.PartNumber, part]),
  );
  const problems = partProblems(parts, stored, upload.declaredSizeBytes);
  if (problems.length > 0)
    throw new BadRequest('The parts do not make up the declared upload', { errors: problems });
  await completeMultipartUpload(upload.storageKey, uploadId, parts);
  await sql`
    update videos set multipart_upload_id = null, updated_at = now()
    where id = ${upload.id} and multipart_upload_id = ${uploadId}
  `;
  return { location: `/api/v1/videos/${upload.id}` };
}

const unquoted = (etag: string) => etag.replaceAll('"', '');

function partProblems(
  parts: CompleteUploadBody['parts'],
  stored: Map<number, StoredPart>,
  declaredSizeBytes: number,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  let total = 0;
  parts.forEach((part, index) => {
    const path = `body.parts.${index}`;
    const found = stored.get(part.PartNumber);
    if (!found || unquoted(found.ETag) !== unquoted(part.ETag)) {
      problems.push({ path: `${path}.ETag`, message: 'no uploaded part has this number and ETag' });
      return;
    }
    total += found.Size;
    if (index < parts.length - 1 && found.Size < MIN_PART_BYTES) {
      problems.push({ path, message: `every part but the last must be at least ${MIN_PART_BYTES} bytes` });
    }
  });
  if (problems.length === 0 && total !== declaredSizeBytes) {
    problems.push({
      path: 'body.parts',
      message: `the parts hold ${total} bytes, ${declaredSizeBytes} were declared`,
    });
  }
  return problems;
}

/**
 * Aborts the upload and frees its parts (Uppy's `abortMultipartUpload`). The video stays `awaiting_upload`
 * without an upload until its owner deletes it or the clean-up expires it.
 *
 * @example
 * await abortUpload(caller, videoId, uploadId);
 */
export async function abortUpload(caller: Principal, videoId: string, uploadId: string) {
  const upload = await findOwnUpload(caller, videoId, uploadId);
  await abortMultipartUpload(upload.storageKey, uploadId);
  await sql`
    update videos set multipart_upload_id = null, updated_at = now()
    where id = ${upload.id} and multipart_upload_id = ${uploadId}
  `;
}
