import type { Principal } from '../auth/principal.ts';
import { Conflict } from '../errors.ts';
import { findVisibleVideo } from './find-video.ts';

/**
 * The video a caller is about to view or like: one they may see (a private one only as its owner or an admin,
 * 404 otherwise) and that is ready to be watched (409 for an owner's unfinished upload).
 *
 * @example
 * await findWatchableVideo(caller, videoId);
 */
export async function findWatchableVideo(caller: Principal | undefined, videoId: string) {
  const video = await findVisibleVideo(caller, videoId);
  if (video.status !== 'ready') throw new Conflict('This video is not ready to be watched yet');
  return video;
}
