import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { handler as deleteVideo } from '#functions/videos/delete.ts';
import { handler as getVideo } from '#functions/videos/get.ts';
import { handler as listVideos } from '#functions/videos/list.ts';
import { handler as media } from '#functions/videos/media.ts';
import { handler as reprocess } from '#functions/videos/reprocess.ts';
import { handler as setPoster } from '#functions/videos/set-poster.ts';
import { sql } from '#lib/db.ts';
import { runMedia } from '#lib/media/ffmpeg.ts';
import { parseMediaPlaylist } from '#lib/media/process-video.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { createUser } from '../support/factories.ts';
import { apiGatewayEvent, callApi, lambdaContext } from '../support/lambda.ts';
import { TEST_BUCKET, testStack } from '../support/stack.ts';
import { objectExists, storageClient } from '../support/storage-objects.ts';
import { transcodeFixture } from '../support/transcode-fixtures.ts';
import { uploadVideo } from '../support/upload-factories.ts';

interface Playback {
  url: string;
  hls: string;
  poster: string;
  storyboard: string;
  expiresAt: string;
}

/** Fetches a signed media URL of this API through its handler, as a player would over HTTP. */
async function fetchMedia(url: string) {
  const parsed = new URL(url);
  const [, id, file] = /\/videos\/([^/]+)\/media\/([^/]+)$/.exec(parsed.pathname) ?? [];
  const response = (await media(
    apiGatewayEvent({
      path: parsed.pathname,
      pathParameters: { id: id ?? '', file: file ?? '' },
      query: Object.fromEntries(parsed.searchParams),
    }) as never,
    lambdaContext(),
  )) as { statusCode: number; headers: Record<string, string>; body?: string };
  return response;
}

const work = await mkdtemp(join(tmpdir(), 'clipiq-playback-'));
const creator = await createUser({ role: 'creator' });
const admin = await createUser({ role: 'admin' });
const stranger = await createUser({ role: 'creator' });
const privateId = await uploadVideo(creator, await transcodeFixture('landscape.mp4'), {
  visibility: 'private',
});
const publicId = await uploadVideo(creator, await transcodeFixture('landscape.mp4'));

const playbackOf = async (id: string, token = creator.accessToken) => {
  const response = await callApi<{ playback: Playback; thumbnailUrl: string }>(getVideo, {
    path: `/api/v1/videos/${id}`,
    pathParameters: { id },
    token,
  });
  expect(response.status).toBe(200);
  return response.body;
};

const derivedKeys = async (id: string) =>
  (
    await storageClient().send(new ListObjectsV2Command({ Bucket: TEST_BUCKET, Prefix: `derived/${id}/` }))
  ).Contents?.map((object) => object.Key) ?? [];

describe('HLS playback through signed URLs', () => {
  it('hands a private video owner a master playlist whose renditions and segments play, each by a signed URL only', async () => {
    const { playback } = await playbackOf(privateId);

    const master = await fetchMedia(playback.hls);
    expect(master.statusCode).toBe(200);
    expect(master.headers['content-type']).toBe('application/vnd.apple.mpegurl');
    expect(master.body).toMatch(
      /^#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-STREAM-INF:BANDWIDTH=\d+,AVERAGE-BANDWIDTH=\d+,RESOLUTION=320x240,CODECS="avc1\.4D401F,mp4a\.40\.2",FRAME-RATE=25\.000\n240\.m3u8\?expires=\d+&signature=/,
    );
    const child = master.body?.split('\n').find((line) => line.startsWith('240.m3u8')) ?? '';
    const rendition = await fetchMedia(new URL(child, playback.hls).toString());
    expect(rendition.body).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(rendition.body).toContain('#EXT-X-ENDLIST');
    const [segment] = parseMediaPlaylist(rendition.body ?? '');
    expect(segment?.name).toMatch(/X-Amz-Signature=/);
    const signed = await fetch(segment?.name ?? '');
    expect(signed.status).toBe(200);
    expect(new Uint8Array(await signed.arrayBuffer())[0]).toBe(0x47); // MPEG-TS sync byte

    const unsigned = await fetch((segment?.name ?? '').split('?')[0] ?? '');
    expect(unsigned.status).toBe(403);
    const forged = await fetchMedia(playback.hls.replace(/signature=[^&]+/, 'signature=AAAA'));
    expect(forged.statusCode).toBe(404);
    const otherVideo = await fetchMedia(playback.hls.replace(privateId, crypto.randomUUID()));
    expect(otherVideo.statusCode).toBe(404);
    const expired = await fetchMedia(playback.hls.replace(/expires=\d+/, 'expires=1000'));
    expect(expired.statusCode).toBe(404);
  });

  it('declares in the master playlist what each rendition is: the CODECS, RESOLUTION and FRAME-RATE its first segment has, and the bit rates its segments have', async () => {
    const id = await uploadVideo(creator, await transcodeFixture('1080p.mp4'));
    const { playback } = await playbackOf(id);
    const master = (await fetchMedia(playback.hls)).body ?? '';

    // As hls.js reads it: each EXT-X-STREAM-INF's attribute list, then the URI on the next line.
    const lines = master.split('\n');
    const variants = lines.flatMap((line, index) =>
      line.startsWith('#EXT-X-STREAM-INF:')
        ? [
            {
              attributes: Object.fromEntries(
                [...line.slice(18).matchAll(/\s*(.+?)\s*=((?:".*?")|.*?)(?:,|$)/g)].map(([, name, value]) => [
                  name,
                  value?.replace(/^"|"$/g, ''),
                ]),
              ),
              uri: lines[index + 1] ?? '',
            },
          ]
        : [],
    );
    expect(variants.map((variant) => variant.attributes.RESOLUTION)).toEqual([
      '426x240',
      '640x360',
      '854x480',
      '1280x720',
      '1920x1080',
    ]);
    for (const { attributes, uri } of variants) {
      const [avc, audio, ...rest] = attributes.CODECS?.split(',') ?? [];
      expect(audio).toBe('mp4a.40.2');
      expect(rest).toEqual([]);
      const rendition = await fetchMedia(new URL(uri, playback.hls).toString());
      const listed = parseMediaPlaylist(rendition.body ?? '');
      const sized = await Promise.all(
        listed.map(async ({ name, duration }) => ({
          bits: 8 * (await (await fetch(name)).arrayBuffer()).byteLength,
          duration,
        })),
      );
      // RFC 8216: the peak segment's bit rate, and the average over the whole rendition.
      expect(Number(attributes.BANDWIDTH)).toBe(
        Math.ceil(Math.max(...sized.map((s) => s.bits / s.duration))),
      );
      expect(Number(attributes['AVERAGE-BANDWIDTH'])).toBe(
        Math.ceil(sized.reduce((sum, s) => sum + s.bits, 0) / sized.reduce((sum, s) => sum + s.duration, 0)),
      );
      const [first] = listed;
      const segment = join(work, `${attributes.RESOLUTION}.ts`);
      await writeFile(segment, new Uint8Array(await (await fetch(first?.name ?? '')).arrayBuffer()));
      const { stdout } = await runMedia(
        'ffprobe',
        [
          '-v',
          'error',
          '-show_entries',
          'stream=codec_name,profile,level,width,height,r_frame_rate',
          '-of',
          'json',
          segment,
        ],
        { timeoutMs: 10_000 },
      );
      const streams = (JSON.parse(stdout) as { streams: Record<string, string | number>[] }).streams;
      const video = streams.find((stream) => stream.codec_name === 'h264');
      expect(`${video?.width}x${video?.height}`).toBe(attributes.RESOLUTION);
      expect(video?.profile).toBe('Main');
      const [frames, seconds] = String(video?.r_frame_rate).split('/').map(Number);
      expect(attributes['FRAME-RATE']).toBe(((frames ?? 0) / (seconds ?? 1)).toFixed(3));
      expect(avc).toBe(`avc1.4D40${Number(video?.level).toString(16).toUpperCase()}`);
      expect(streams.find((stream) => stream.codec_name === 'aac')).toMatchObject({
        codec_name: 'aac',
        profile: 'LC',
      });
      // The SPS bytes themselves: profile_idc, constraint flags, level_idc, as a decoder reads them.
      const annexB = join(work, `${attributes.RESOLUTION}.h264`);
      await runMedia('ffmpeg', ['-i', segment, '-map', '0:v:0', '-c', 'copy', '-f', 'h264', '-y', annexB], {
        timeoutMs: 10_000,
      });
      const bytes = Buffer.from(await readFile(annexB));
      const sps = bytes.indexOf(Buffer.from([0, 0, 1, 0x67]));
      expect(
        `avc1.${bytes
          .subarray(sps + 4, sps + 7)
          .toString('hex')
          .toUpperCase()}`,
      ).toBe(avc);
    }
  }, 120_000);

  it('redirects the poster to a JPEG, serves the storyboard track with its sprite, and keeps thumbnailUrl for five minutes', async () => {
    const { playback, thumbnailUrl } = await playbackOf(privateId);

    const poster = await fetchMedia(playback.poster);
    expect(poster.statusCode).toBe(302);
    const jpeg = new Uint8Array(await (await fetch(poster.headers.location ?? '')).arrayBuffer());
    expect([...jpeg.slice(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    const track = await fetchMedia(playback.storyboard);
    expect(track.headers['content-type']).toBe('text/vtt; charset=utf-8');
    const sprite = /^(http\S+)#xywh=0,0,160,120$/m.exec(track.body ?? '')?.[1];
    expect((await fetch(sprite ?? '')).status).toBe(200);
    expect(thumbnailUrl).toBe(playback.poster);
    const shown = (await playbackOf(publicId, stranger.accessToken)).thumbnailUrl;
    const listed = await callApi<{ items: { id: string; thumbnailUrl?: string }[] }>(listVideos, {
      path: '/api/v1/videos',
      query: { owner: creator.id },
      token: creator.accessToken,
    });
    expect(listed.body.items.find((item) => item.id === publicId)?.thumbnailUrl).toBe(shown);
  });

  it('answers 404 to a media URL without its signature, as to a wrong one', async () => {
    const response = await callApi(media, {
      path: `/api/v1/videos/${privateId}/media/master.m3u8`,
      pathParameters: { id: privateId, file: 'master.m3u8' },
    });
    expectProblem(response, 404);
  });
});

describe('choosing the poster and processing again', () => {
  const put = (id: string, atSeconds: unknown, token?: string) =>
    callApi(setPoster, {
      method: 'PUT',
      path: `/api/v1/videos/${id}/poster`,
      pathParameters: { id },
      body: { atSeconds },
      token,
    });
  const post = (id: string, token?: string) =>
    callApi(reprocess, {
      method: 'POST',
      path: `/api/v1/videos/${id}/reprocess`,
      pathParameters: { id },
      token,
    });

  it('lets the owner and an admin choose the poster frame (202), 400 past the end, 404 to another user, 401 anonymous', async () => {
    expectProblem(await put(privateId, 99, creator.accessToken), 400, { detail: /past the end/ });
    expectProblem(await put(privateId, 1, stranger.accessToken), 404);
    expectProblem(await put(privateId, 1), 401);
    expect((await put(privateId, 2.5, admin.accessToken)).status).toBe(202);
    expect((await put(privateId, 2, creator.accessToken)).status).toBe(202);
    await testStack().storageEventsSettled();

    const [row] = await sql`select poster_at_seconds::float8 as at from videos where id = ${privateId}`;
    expect(row?.at).toBe(2);
    const [poster] =
      await sql`select status, attempts from media_units where video_id = ${privateId} and kind = 'poster'`;
    expect(poster).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('starts over from the original for the owner or an admin (202), 404 to another user, 401 anonymous', async () => {
    expectProblem(await post(privateId, stranger.accessToken), 404);
    expectProblem(await post(privateId), 401);
    const before =
      await sql`select finished_at from media_units where video_id = ${privateId} and kind = 'segments'`;
    expect((await post(privateId, admin.accessToken)).status).toBe(202);
    await testStack().storageEventsSettled();
    expect((await post(privateId, creator.accessToken)).status).toBe(202);
    await testStack().storageEventsSettled();

    const after =
      await sql`select finished_at from media_units where video_id = ${privateId} and kind = 'segments'`;
    expect(after[0]?.finishedAt.getTime()).toBeGreaterThan(before[0]?.finishedAt.getTime());
    const { playback } = await playbackOf(privateId);
    expect((await fetchMedia(playback.hls)).statusCode).toBe(200);
  });

  it('deletes every derived object with the video', async () => {
    const id = publicId;
    const { playback } = await playbackOf(id);
    expect(await derivedKeys(id)).toContain(`derived/${id}/240/index.m3u8`);

    const deleted = await callApi(deleteVideo, {
      method: 'DELETE',
      path: `/api/v1/videos/${id}`,
      pathParameters: { id },
      token: creator.accessToken,
    });

    expect(deleted.status).toBe(204);
    expect(await derivedKeys(id)).toEqual([]);
    expect(await objectExists(`derived/${id}/poster.jpg`)).toBe(false);
    expect((await fetchMedia(playback.hls)).statusCode).toBe(404);
  });
});
