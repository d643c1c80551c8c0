import * as z from 'zod/mini';
import type { Principal } from '../auth/principal.ts';
import { lazySchema } from '../lazy-schema.ts';
import { findVisibleVideo } from './find-video.ts';
import { toVideo, videoFields } from './video.ts';
import { presignVideoGet } from './video-storage.ts';

export const Playback = lazySchema(() => z.object({ url: z.url(), expiresAt: z.iso.datetime() }));

/** The contract's `video`, plus `playback` once it is ready and visible to the caller. */
export const VideoDetails = lazySchema(() => z.object({ ...videoFields(), playback: z.optional(Playback) }));
export type VideoDetails = z.infer<typeof VideoDetails>;

/**
 * A video as the caller may see it, with a short-lived presigned playback URL once it is ready. Private and
 * unfinished videos are 404 to anyone but their owner and admins.
 *
 * @example
 * const { title, playback } = await getVideo(caller, id);
 */
export async function getVideo(caller: Principal | undefined, id: string): Promise<VideoDetails> {
  const row = await findVisibleVideo(caller, id);
  const video = toVideo(row);
  if (row.status !== 'ready') return video;
  return { ...video, playback: await presignVideoGet(row.storageKey) };
}
