import { sql } from '../db.ts';
import { NotFound } from '../errors.ts';
import type { ApiResponse } from '../http/response.ts';
import { derivedKeys } from './derived-keys.ts';
import { presignDerivedGet, readDerivedText } from './derived-objects.ts';
import { renditionCodecs } from './plan.ts';
import { isSignedMediaUrl, type mediaUrls } from './playback-token.ts';

/** Segment, sprite and poster URLs in a playlist or track work this long (a viewing session), then it is fetched again. */
const OBJECT_URL_TTL_SECONDS = 60 * 60;
const MPEGURL = 'application/vnd.apple.mpegurl';

const text = (body: string, contentType: string, maxAgeSeconds: number): ApiResponse => ({
  statusCode: 200,
  headers: { 'content-type': contentType, 'cache-control': `private, max-age=${maxAgeSeconds}` },
  body,
});

/**
 * Serves one file of a video's media through its signed URL (see {@link mediaUrls}): the master playlist of its
 * ready renditions, a rendition's media playlist with each segment as a presigned storage URL, the storyboard's
 * WebVTT track with presigned sprite URLs (one sprite per time range), or a redirect to a presigned poster. A missing, wrong or expired
 * signature is 404, like a video that is not ready or a file it does not have: nothing tells which.
 *
 * @example
 * await serveMediaFile(id, 'master.m3u8', { expires, signature });
 */
export async function serveMediaFile(
  videoId: string,
  file: string,
  signed: { expires?: number; signature?: string },
): Promise<ApiResponse> {
  if (!signed.expires || !signed.signature || !isSignedMediaUrl(videoId, signed.expires, signed.signature))
    throw new NotFound('No such media, or its URL expired');
  const renditions = await sql<
    {
      height: number;
      width: number;
      bandwidth: number;
      averageBandwidth: number | null;
      hasAudio: boolean;
      frameRate: number | null;
    }[]
  >`
    select r.height, r.width, r.bandwidth, r.average_bandwidth, coalesce(v.has_audio, false) as has_audio,
           v.frame_rate
    from media_renditions r join videos v on v.id = r.video_id
    where r.video_id = ${videoId} and v.status = 'ready'
    order by r.height
  `;
  if (renditions.length === 0) throw new NotFound('No such media');
  const maxAge = Math.max(0, Math.min(300, Math.floor(signed.expires - Date.now() / 1000)));
  const query = `?expires=${signed.expires}&signature=${signed.signature}`;
  const keys = derivedKeys(videoId);
  if (file === 'master.m3u8') {
    const master = [
      '#EXTM3U',
      '#EXT-X-VERSION:3',
      ...renditions.flatMap((rendition) => [
        `#EXT-X-STREAM-INF:BANDWIDTH=${rendition.bandwidth},` +
          (rendition.averageBandwidth ? `AVERAGE-BANDWIDTH=${rendition.averageBandwidth},` : '') +
          `RESOLUTION=${rendition.width}x${rendition.height},` +
          `CODECS="${renditionCodecs(rendition.height, rendition.hasAudio)}"` +
          (rendition.frameRate ? `,FRAME-RATE=${rendition.frameRate.toFixed(3)}` : ''),
        `${rendition.height}.m3u8${query}`,
      ]),
      '',
    ].join('\n');
    return text(master, MPEGURL, maxAge);
  }
  const height = /^(\d{1,4})\.m3u8$/.exec(file)?.[1];
  if (height && renditions.some((rendition) => rendition.height === Number(height))) {
    const playlist = await readDerivedText(keys.mediaPlaylist(Number(height)));
    const lines = await Promise.all(
      playlist
        .split('\n')
        .map((line) =>
          line && !line.startsWith('#')
            ? presignDerivedGet(keys.segment(Number(height), line), OBJECT_URL_TTL_SECONDS)
            : line,
        ),
    );
    return text(lines.join('\n'), MPEGURL, maxAge);
  }
  if (file === 'poster.jpg') {
    return {
      statusCode: 302,
      headers: {
        location: await presignDerivedGet(keys.poster, OBJECT_URL_TTL_SECONDS),
        'cache-control': `private, max-age=${maxAge}`,
      },
    };
  }
  if (file === 'storyboard.vtt') {
    const track = await readDerivedText(keys.storyboardTrack).catch(() => undefined);
    if (track === undefined) throw new NotFound('No storyboard yet');
    const parts = [...new Set([...track.matchAll(/^sprite-(\d+)\.jpg#/gm)].map((match) => Number(match[1])))];
    const sprites = new Map(
      await Promise.all(
        parts.map(
          async (part) =>
            [part, await presignDerivedGet(keys.storyboardSprite(part), OBJECT_URL_TTL_SECONDS)] as const,
        ),
      ),
    );
    return text(
      track.replaceAll(/^sprite-(\d+)\.jpg#/gm, (_, part: string) => `${sprites.get(Number(part))}#`),
      'text/vtt; charset=utf-8',
      maxAge,
    );
  }
  throw new NotFound('No such media');
}
