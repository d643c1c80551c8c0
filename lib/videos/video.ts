import * as z from 'zod/mini';
import { sql } from '../db.ts';
import { lazySchema } from '../lazy-schema.ts';

export const VideoVisibility = lazySchema(() => z.enum(['public', 'unlisted', 'private']));
export type VideoVisibility = z.infer<typeof VideoVisibility>;
export const VideoStatus = lazySchema(() => z.enum(['awaiting_upload', 'processing', 'ready', 'rejected']));
export type VideoStatus = z.infer<typeof VideoStatus>;
export const RejectionReason = lazySchema(() =>
  z.enum(['too_large', 'size_mismatch', 'not_a_video', 'type_mismatch', 'unreadable', 'processing_failed']),
);
export type RejectionReason = z.infer<typeof RejectionReason>;

/** `{id}` in the path of every route about one video. */
export const VideoIdParams = lazySchema(() => z.object({ id: z.uuid() }));

/** A video's `owner`, and a notification's `actor`. */
export const VideoOwner = lazySchema(() =>
  z.object({ id: z.uuid(), username: z.string(), displayName: z.string() }),
);

/** The fields of the `video` object of the API contract. */
export const videoFields = () => ({
  id: z.uuid(),
  title: z.string(),
  description: z.string(),
  visibility: VideoVisibility,
  status: VideoStatus,
  rejectionReason: z.optional(RejectionReason),
  owner: VideoOwner,
  sizeBytes: z.optional(z.int()),
  contentType: z.optional(z.string()),
  durationSeconds: z.optional(z.number()),
  width: z.optional(z.int()),
  height: z.optional(z.int()),
  viewCount: z.int(),
  likeCount: z.int(),
  createdAt: z.iso.datetime(),
  publishedAt: z.optional(z.iso.datetime()),
});

/** The `video` object. */
export const Video = lazySchema(() => z.object(videoFields()));
export type Video = z.infer<typeof Video>;

/** One row of {@link videoSelect}; columns are camel-cased by the client. */
export interface VideoRow {
  id: string;
  ownerId: string;
  title: string;
  description: string;
  visibility: VideoVisibility;
  status: VideoStatus;
  rejectionReason: RejectionReason | null;
  storageKey: string;
  sizeBytes: number | null;
  contentType: string | null;
  durationSeconds: number | null;
  width: number | null;
  height: number | null;
  viewCount: number;
  likeCount: number;
  createdAt: Date;
  publishedAt: Date | null;
  ownerUsername: string;
  ownerDisplayName: string;
}

/**
 * The columns every video response needs, with the owner joined; compose it into a query:
 * sql`${videoSelect} where v.id = ${id}`.
 */
export const videoSelect = sql`
  select v.id, v.owner_id, v.title, v.description, v.visibility, v.status, v.rejection_reason, v.storage_key,
         v.size_bytes, v.content_type, v.duration_seconds::float8 as duration_seconds, v.width, v.height,
         v.view_count, v.like_count, v.created_at, v.published_at,
         u.username as owner_username, u.display_name as owner_display_name
  from videos v join users u on u.id = v.owner_id
`;

const present = <K extends string, V>(key: K, value: V | null) =>
  (value === null ? {} : { [key]: value }) as Partial<Record<K, V>>;

/** Shapes a row as the contract's `video`: measured fields appear once ingest has measured them. */
export function toVideo(row: VideoRow): Video {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    visibility: row.visibility,
    status: row.status,
    ...present('rejectionReason', row.rejectionReason),
    owner: { id: row.ownerId, username: row.ownerUsername, displayName: row.ownerDisplayName },
    ...present('sizeBytes', row.sizeBytes),
    ...present('contentType', row.contentType),
    ...present('durationSeconds', row.durationSeconds),
    ...present('width', row.width),
    ...present('height', row.height),
    viewCount: row.viewCount,
    likeCount: row.likeCount,
    createdAt: row.createdAt.toISOString(),
    ...present('publishedAt', row.publishedAt?.toISOString() ?? null),
  };
}
