import { sql } from '../db.ts';
import { config } from '../environment.ts';
import { invokeMediaStep } from '../media/invoke-step.ts';
import { recordVideoProgress } from '../media/video-progress.ts';
import { fanOutPublished } from '../notifications/fan-out.ts';
import type { RejectionReason, VideoStatus } from '../videos/schemas.ts';
import { UPLOADS_PREFIX } from '../videos/upload-policy.ts';
import { deleteVideoObject, headVideoObject } from '../videos/video-storage.ts';
import { type UploadToVerify, type Verdict, verifyUpload } from './verify-upload.ts';

/** Ingests of one video that may fail (each delivery, each retry, each clean-up run) before it is rejected. */
export const MAX_INGEST_ATTEMPTS = 5;

export type IngestOutcome =
  | {
      outcome: 'ignored';
      why: 'outside-uploads' | 'object-missing' | 'taken-by-another-delivery' | 'already-processing';
    }
  | { outcome: 'orphan-deleted' }
  | { outcome: 'gave-up'; videoId: string; attempts: number }
  | { outcome: 'accepted'; videoId: string; bytesRead: number; requests: number }
  | { outcome: 'rejected'; videoId: string; reason: RejectionReason; bytesRead: number; requests: number }
  | { outcome: 'already-ready'; videoId: string; notified: number }
  | { outcome: 'already-rejected'; videoId: string };

interface UploadedVideo extends UploadToVerify {
  id: string;
  status: VideoStatus;
  rejectionReason: RejectionReason | null;
  mediaPlannedAt: Date | null;
}

/**
 * Accepts an uploaded object for processing (the media function plans its units next; the video turns `ready` when
 * its lowest rendition and poster exist) or rejects it. Every step is safe to repeat, because storage
 * events arrive at least once and a failed invocation is retried: state changes are guarded in SQL, a rejected
 * video's object is deleted again, a video whose media plan exists is left to it, and a ready video is fanned out
 * again (the fan-out inserts each notification once). Storage and database errors propagate so the event is
 * retried; bad media never throws. A video claimed more than {@link MAX_INGEST_ATTEMPTS}
 * times is rejected as `processing_failed`, its object kept; an object no video points to is deleted.
 *
 * @example
 * const outcome = await ingestObject('uploads/<ownerId>/<videoId>/clip.mp4');
 */
export async function ingestObject(key: string): Promise<IngestOutcome> {
  if (!key.startsWith(UPLOADS_PREFIX)) return { outcome: 'ignored', why: 'outside-uploads' };
  const [video] = await sql<UploadedVideo[]>`
    select id, status, rejection_reason, storage_key, declared_size_bytes, declared_content_type, media_planned_at
    from videos
    where storage_key = ${key}
  `;
  if (!video) {
    // Its video was deleted (or never created) while a presigned URL still worked: nothing will ever point here.
    await deleteVideoObject(key);
    return { outcome: 'orphan-deleted' };
  }
  if (video.status === 'ready') {
    return { outcome: 'already-ready', videoId: video.id, notified: await fanOutPublished(video.id) };
  }
  if (video.status === 'rejected') {
    if (video.rejectionReason !== 'processing_failed') await deleteVideoObject(key);
    return { outcome: 'already-rejected', videoId: video.id };
  }

  if (video.mediaPlannedAt) return { outcome: 'ignored', why: 'already-processing' };

  const object = await headVideoObject(key);
  if (!object) return { outcome: 'ignored', why: 'object-missing' };
  const [claimed] = await sql<{ ingestAttempts: number }[]>`
    update videos set status = 'processing', ingest_attempts = ingest_attempts + 1, updated_at = now()
    where id = ${video.id} and status in ('awaiting_upload', 'processing')
    returning ingest_attempts
  `;
  // Another delivery settled the video in between; it (or its retry) finishes the job.
  if (!claimed) return { outcome: 'ignored', why: 'taken-by-another-delivery' };
  if (claimed.ingestAttempts > MAX_INGEST_ATTEMPTS) {
    // Every earlier attempt died (a bug, an outage): stop retrying; the contract keeps the original.
    await markRejected(video.id, 'processing_failed');
    return { outcome: 'gave-up', videoId: video.id, attempts: claimed.ingestAttempts - 1 };
  }

  const { verdict, bytesRead, requests } = await verifyUpload(video, object, config.maxUploadBytes);
  if (!verdict.ok) {
    await markRejected(video.id, verdict.reason);
    // After the state change, so a crash in between is finished by the redelivery (`already-rejected`).
    await deleteVideoObject(key);
    return { outcome: 'rejected', videoId: video.id, reason: verdict.reason, bytesRead, requests };
  }
  await recordMeasurements(video.id, verdict);
  await recordVideoProgress(video.id);
  await invokeMediaStep({ step: 'plan', videoId: video.id });
  return { outcome: 'accepted', videoId: video.id, bytesRead, requests };
}

async function recordMeasurements(videoId: string, measured: Extract<Verdict, { ok: true }>) {
  await sql`
    update videos set
      size_bytes = ${measured.sizeBytes}, content_type = ${measured.contentType},
      duration_seconds = ${measured.durationSeconds}, width = ${measured.width}, height = ${measured.height},
      video_codec = ${measured.videoCodec}
    where id = ${videoId} and status = 'processing'
  `;
}

const markRejected = (videoId: string, reason: RejectionReason) =>
  recordVideoProgress(videoId, { rejectedAs: reason });
