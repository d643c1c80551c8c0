import type { Principal } from '../auth/principal.ts';
import { eachRow } from '../cleanup/guarded.ts';
import { sql } from '../db.ts';
import { BadRequest, Conflict, NotFound } from '../errors.ts';
import { canManage } from '../videos/find-video.ts';
import { deleteDerivedObjects } from './derived-objects.ts';
import { invokeMediaStep } from './invoke-step.ts';
import { dispatchPendingUnits, MAX_UNIT_ATTEMPTS, requeueUnit, silentUnits } from './units.ts';
import { recordVideoProgress } from './video-progress.ts';

/**
 * The clean-up's media duty as of `now`: every unit that went silent (its invocation died after Lambda's retries)
 * runs again, until {@link MAX_UNIT_ATTEMPTS} runs; then a video still processing is rejected as
 * `processing_failed` (its original kept), and a ready one keeps its other renditions. Then the freed slots are
 * filled. A unit that fails to be handled is counted and the others still run.
 *
 * @example
 * await redriveMediaUnits(new Date()); // → { mediaUnitsRedriven: 1, mediaGivenUp: 0, failed: 0, … }
 */
export async function redriveMediaUnits(now: Date) {
  const counts = await eachRow(
    'redrive media units',
    await silentUnits(now),
    (unit) => ({ ...unit }),
    ['mediaUnitsRedriven', 'mediaGivenUp'],
    async (unit) => {
      if (unit.attempts < MAX_UNIT_ATTEMPTS) {
        await requeueUnit(unit);
        return 'mediaUnitsRedriven';
      }
      await sql`
        update media_units set status = 'failed', finished_at = now(), error = 'gave up after its retries'
        where video_id = ${unit.videoId} and kind = ${unit.kind} and height = ${unit.height} and part = ${unit.part}
      `;
      const status = await recordVideoProgress(unit.videoId, { rejectedAs: 'processing_failed' });
      if (status !== 'rejected') await recordVideoProgress(unit.videoId);
      return 'mediaGivenUp';
    },
  );
  return { ...counts, mediaUnitsStarted: await dispatchPendingUnits() };
}

/**
 * `POST /videos/{id}/reprocess` (owner or admin; 404 for anyone else): starts the media of a video over from its
 * kept original — every unit, rendition and derived object goes, the video is `processing` again and its plan is
 * invoked. A video whose original is gone (rejected for its media, or still uploading) is 409.
 *
 * @example
 * await reprocessVideo(caller, id);
 */
export async function reprocessVideo(caller: Principal, videoId: string) {
  const [video] = await sql<{ ownerId: string; status: string; rejectionReason: string | null }[]>`
    select owner_id, status, rejection_reason from videos where id = ${videoId}
  `;
  if (!video || !canManage(caller, video)) throw new NotFound('No video with this id');
  const keptOriginal =
    video.status === 'ready' ||
    (video.status === 'rejected' && video.rejectionReason === 'processing_failed');
  if (!keptOriginal)
    throw new Conflict('Only a ready video, or one whose processing failed, can be processed again');
  await sql.begin(async (tx) => {
    await tx`delete from media_units where video_id = ${videoId}`;
    await tx`delete from media_renditions where video_id = ${videoId}`;
    await tx`
      update videos set status = 'processing', rejection_reason = null, media_planned_at = null, processing = null,
        updated_at = now()
      where id = ${videoId}
    `;
  });
  await deleteDerivedObjects(videoId);
  await recordVideoProgress(videoId);
  await invokeMediaStep({ step: 'plan', videoId });
}

/**
 * `PUT /videos/{id}/poster {atSeconds}` (owner or admin; 404 for anyone else): the poster is cut again from that
 * moment, by its unit run again (the old poster serves until then). A moment past the end is 400; a video that is
 * not ready is 409.
 *
 * @example
 * await recutPoster(caller, id, 12.5);
 */
export async function recutPoster(caller: Principal, videoId: string, atSeconds: number) {
  const [video] = await sql<{ ownerId: string; status: string; durationSeconds: number | null }[]>`
    select owner_id, status, duration_seconds::float8 as duration_seconds from videos where id = ${videoId}
  `;
  if (!video || !canManage(caller, video)) throw new NotFound('No video with this id');
  if (video.status !== 'ready') throw new Conflict('The poster can be chosen once the video is ready');
  if (atSeconds > (video.durationSeconds ?? 0))
    throw new BadRequest(`atSeconds is past the end of the video (${video.durationSeconds ?? 0} s)`);
  await sql`update videos set poster_at_seconds = ${atSeconds}, updated_at = now() where id = ${videoId}`;
  await sql`
    update media_units set status = 'pending', attempts = 0, claimed_at = null, finished_at = null
    where video_id = ${videoId} and kind = 'poster'
  `;
  await dispatchPendingUnits();
}
