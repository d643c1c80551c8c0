import type { Principal } from '../auth/principal.ts';
import { mediaUrls } from '../media/playback-token.ts';
import { findVisibleVideo } from './find-video.ts';
import type { VideoDetails } from './schemas.ts';
import { toVideo } from './video.ts';
import { presignVideoGet } from './video-storage.ts';

/**
 * A video as the caller may see it, once it is ready with a short-lived presigned URL of the original and the
 * signed URLs of its HLS master playlist, poster and storyboard track. Private and
 * unfinished videos are 404 to anyone but their owner and admins.
 *
 * @example
 * const { title, playback } = await getVideo(caller, id);
 */
export async function getVideo(caller: Principal | undefined, id: string): Promise<VideoDetails> {
  const row = await findVisibleVideo(caller, id);
  const video = toVideo(row);
  if (row.status !== 'ready') return video;
  const original = await presignVideoGet(row.storageKey);
  const media = mediaUrls(row.id);
  return {
    ...video,
    playback: {
      url: original.url,
      hls: `${media.base}master.m3u8${media.query}`,
      poster: `${media.base}poster.jpg${media.query}`,
      storyboard: `${media.base}storyboard.vtt${media.query}`,
      // The earlier of the two: every URL here works until then.
      expiresAt: new Date(
        Math.min(Date.parse(original.expiresAt), Date.parse(media.expiresAt)),
      ).toISOString(),
    },
  };
}
