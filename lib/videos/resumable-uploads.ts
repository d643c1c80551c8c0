import type { Principal } from '../auth/principal.ts';
import { sql } from '../db.ts';
import { config } from '../environment.ts';
import { NotFound } from '../errors.ts';
import {
  afterCursor,
  decodeCursor,
  type Page,
  type PageQuery,
  pageLimit,
  TimeCursor,
  timeKeyText,
  toPage,
} from '../pagination.ts';
import { PENDING_UPLOAD_LIFETIME_MS } from './create-video.ts';
import type { ResumableUpload } from './schemas.ts';
import { partPlan } from './upload-policy.ts';
import { toVideo, type VideoRow, videoSelect } from './video.ts';
import { listUploadedParts, type StoredPart } from './video-storage.ts';

interface PendingRow extends VideoRow {
  declaredSizeBytes: number;
  multipartUploadId: string | null;
  sortKey: TimeCursor;
}

/** The parts storage holds; none once the upload was aborted (a client's signed DELETE, say). */
async function storedParts(key: string, uploadId: string | null): Promise<StoredPart[]> {
  if (!uploadId) return [];
  return listUploadedParts(key, uploadId).catch((error: unknown) => {
    if (error instanceof NotFound) return [];
    throw error;
  });
}

/**
 * The caller's uploads still waiting for their bytes, newest first, each with its plan and the parts storage
 * already holds, so another tab or device resumes (Uppy: `listParts`, or the upload id and key as its
 * `s3Multipart` state) instead of starting over.
 *
 * @example
 * const { items, nextCursor } = await listResumableUploads(caller, { limit: 20 });
 */
export async function listResumableUploads(
  caller: Principal,
  query: PageQuery,
): Promise<Page<ResumableUpload>> {
  const after = decodeCursor(query.cursor, TimeCursor);
  const rows = await sql<PendingRow[]>`
    select page.*, v.declared_size_bytes, v.multipart_upload_id,
           json_build_array(${timeKeyText(sql`page.created_at`)}, page.id) as sort_key
    from (
      ${videoSelect}
      where v.owner_id = ${caller.userId} and v.status = 'awaiting_upload'
        ${afterCursor(sql`v.created_at, v.id`, after)}
      order by v.created_at desc, v.id desc
      ${pageLimit(query.limit)}
    ) page join videos v on v.id = page.id
    order by page.created_at desc, page.id desc
  `;
  const shown = rows.slice(0, query.limit);
  const parts = await Promise.all(shown.map((row) => storedParts(row.storageKey, row.multipartUploadId)));
  return toPage(
    rows,
    query.limit,
    (row) => row.sortKey,
    (row) => {
      const multipart = row.declaredSizeBytes > config.multipartThresholdBytes;
      return {
        video: toVideo(row),
        upload: {
          method: multipart ? 'MULTIPART' : 'PUT',
          key: row.storageKey,
          ...(row.multipartUploadId ? { uploadId: row.multipartUploadId } : {}),
          ...(multipart ? partPlan(row.declaredSizeBytes) : {}),
          parts: parts[shown.indexOf(row)] ?? [],
          expiresAt: new Date(row.createdAt.getTime() + PENDING_UPLOAD_LIFETIME_MS).toISOString(),
        },
      };
    },
  );
}
