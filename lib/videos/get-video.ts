import type { Principal } from '../auth/principal.ts';
import { findVisibleVideo } from './find-video.ts';
import type { VideoDetails } from './schemas.ts';
import { toVideo } from './video.ts';
import { presignVideoGet } from './video-storage.ts';

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
