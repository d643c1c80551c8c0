import { randomUUID } from 'node:crypto';
import { sql } from '#lib/db.ts';

/** Who was notified of a video, by recipient id. */
export async function notifiedRecipients(videoId: string) {
  const rows = await sql<{ recipientId: string }[]>`
    select recipient_id from notifications where video_id = ${videoId} order by recipient_id
  `;
  return rows.map((row) => row.recipientId);
}

/** Inserts a video `awaiting_upload` for an exact storage key, as if `POST /videos` had issued it. */
export async function insertPendingVideo(
  owner: { id: string },
  storageKey: string,
  declared: { sizeBytes: number; contentType?: string },
) {
  const id = randomUUID();
  await sql`
    insert into videos ${sql({
      id,
      ownerId: owner.id,
      title: 'Pending',
      storageKey,
      fileName: storageKey.split('/').pop() ?? 'clip.mp4',
      declaredContentType: declared.contentType ?? 'video/mp4',
      declaredSizeBytes: declared.sizeBytes,
    })}
  `;
  return id;
}

/** The status row ingest writes, for assertions. */
export async function storedVideo(id: string) {
  const [row] = await sql<
    {
      status: string;
      rejectionReason: string | null;
      sizeBytes: number | null;
      contentType: string | null;
      durationSeconds: number | null;
      width: number | null;
      height: number | null;
      videoCodec: string | null;
      publishedAt: Date | null;
      updatedAt: Date;
      storageKey: string;
      multipartUploadId: string | null;
    }[]
  >`
    select status, rejection_reason, size_bytes, content_type, duration_seconds::float8 as duration_seconds, width,
           height, video_codec, published_at, updated_at, storage_key, multipart_upload_id
    from videos where id = ${id}
  `;
  return row;
}
