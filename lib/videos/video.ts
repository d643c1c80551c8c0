import { sql } from '../db.ts';
import { mediaUrls } from '../media/playback-token.ts';
import type { VideoProcessing } from '../media/video-progress.ts';
import type { CommentPolicy, RejectionReason, Video, VideoStatus, VideoVisibility } from './schemas.ts';

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
  commentCount: number;
  commentPolicy: CommentPolicy;
  createdAt: Date;
  publishedAt: Date | null;
  processing: VideoProcessing | null;
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
         v.view_count, v.like_count, v.comment_count, v.comment_policy, v.created_at, v.published_at, v.processing,
         u.username as owner_username, u.display_name as owner_display_name
  from videos v join users u on u.id = v.owner_id
`;

const present = <K extends string, V>(key: K, value: V | null) =>
  (value === null ? {} : { [key]: value }) as Partial<Record<K, V>>;

const thumbnailUrl = (videoId: string) => {
  const { base, query } = mediaUrls(videoId);
  return `${base}poster.jpg${query}`;
};

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
    commentCount: row.commentCount,
    commentPolicy: row.commentPolicy,
    createdAt: row.createdAt.toISOString(),
    ...present('publishedAt', row.publishedAt?.toISOString() ?? null),
    ...present('thumbnailUrl', row.status === 'ready' ? thumbnailUrl(row.id) : null),
    ...present('processing', row.processing),
  };
}
