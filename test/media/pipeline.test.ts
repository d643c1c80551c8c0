import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { handler as mediaProcess } from '#functions/media/process.ts';
import { handler as deleteVideo } from '#functions/videos/delete.ts';
import { runHourlyCleanUp } from '#lib/cleanup/hourly-clean-up.ts';
import { sql } from '#lib/db.ts';
import { probeMedia, runMedia } from '#lib/media/ffmpeg.ts';
import { parseMediaPlaylist, runMediaUnit } from '#lib/media/process-video.ts';
import { MAX_UNIT_ATTEMPTS } from '#lib/media/units.ts';
import { createUser, subscribe } from '../support/factories.ts';
import { callApi, lambdaContext } from '../support/lambda.ts';
import { MEDIA_FUNCTION, TEST_BUCKET, testStack } from '../support/stack.ts';
import { objectExists, storageClient } from '../support/storage-objects.ts';
import {
  fixtureDeclaration,
  type TranscodeFixture,
  transcodeFixture,
} from '../support/transcode-fixtures.ts';
import { uploadVideo } from '../support/upload-factories.ts';
import { notifiedRecipients, storedVideo } from '../support/video-rows.ts';

const work = await mkdtemp(join(tmpdir(), 'clipiq-pipeline-'));
const probe = (path: string) => probeMedia(path, { timeoutMs: 10_000 });

async function derivedFile(key: string) {
  const response = await storageClient().send(new GetObjectCommand({ Bucket: TEST_BUCKET, Key: key }));
  const path = join(work, key.replaceAll('/', '_'));
  await writeFile(path, await (response.Body?.transformToByteArray() ?? new Uint8Array()));
  return path;
}

/** The mean luma (0–255) of a picture, by ffmpeg's signalstats. */
async function meanLuma(path: string) {
  const { stderr } = await runMedia(
    'ffmpeg',
    ['-i', path, '-vf', 'signalstats,metadata=print:key=lavfi.signalstats.YAVG', '-f', 'null', '-'],
    { timeoutMs: 10_000 },
  );
  return Number(/lavfi\.signalstats\.YAVG=([\d.]+)/.exec(stderr)?.[1]);
}

const derivedText = async (key: string) =>
  (
    await storageClient().send(new GetObjectCommand({ Bucket: TEST_BUCKET, Key: key }))
  ).Body?.transformToString() ?? '';

const units = (videoId: string) => sql<
  { kind: string; height: number; part: number; status: string; finishedAt: Date; attempts: number }[]
>`
  select kind, height, part, status, finished_at, attempts from media_units where video_id = ${videoId}
  order by kind, height, part
`;

describe('the media pipeline on real ffmpeg', () => {
  it('turns a rotated portrait upload into an upright rendition and a portrait poster, notifying once', async () => {
    const creator = await createUser({ role: 'creator' });
    const fan = await createUser();
    await subscribe(creator, [fan]);
    const id = await uploadVideo(creator, await transcodeFixture('rotated-portrait.mp4'));

    expect((await storedVideo(id))?.status).toBe('ready');
    expect(await notifiedRecipients(id)).toEqual([fan.id]);
    expect((await units(id)).every((unit) => unit.status === 'done')).toBe(true);
    const segment = await probe(await derivedFile(`derived/${id}/240/00000-000.ts`));
    expect(segment).toMatchObject({ videoCodec: 'h264', width: 132, height: 240, hasAudio: true });
    const posterFile = await derivedFile(`derived/${id}/poster.jpg`);
    expect(await probe(posterFile)).toMatchObject({ videoCodec: 'mjpeg', width: 176, height: 320 });
    // The source's first second is black: the poster is a frame of the pattern after it.
    expect(await meanLuma(posterFile)).toBeGreaterThan(40);
    const track = await derivedText(`derived/${id}/storyboard/thumbnails.vtt`);
    expect(track).toMatch(/^WEBVTT\n\n00:00:00\.000 --> 00:00:02\.000\nsprite-0\.jpg#xywh=0,0,160,290/);
    const [row] = await sql`select processing from videos where id = ${id}`;
    expect(row?.processing).toBeNull();
  });

  it('makes every rendition up to 1080 from a 1080p source, H.264 of that height in segments of at most 6 s', async () => {
    const creator = await createUser({ role: 'creator' });
    const id = await uploadVideo(creator, await transcodeFixture('1080p.mp4'));

    const renditions = await sql<{ height: number }[]>`
      select height from media_renditions where video_id = ${id} order by height
    `;
    expect(renditions.map((rendition) => rendition.height)).toEqual([240, 360, 480, 720, 1080]);
    for (const { height } of renditions) {
      const segments = parseMediaPlaylist(await derivedText(`derived/${id}/${height}/index.m3u8`));
      expect(segments.length).toBeGreaterThan(0);
      for (const segment of segments) expect(segment.duration).toBeLessThanOrEqual(6);
      const first = await probe(await derivedFile(`derived/${id}/${height}/${segments[0]?.name}`));
      expect(first).toMatchObject({
        videoCodec: 'h264',
        height,
        width: Math.round((16 * height) / 9 / 2) * 2,
      });
    }
  }, 120_000);

  it.each<{ fixture: TranscodeFixture; audio: boolean }>([
    { fixture: 'vp9.webm', audio: true },
    { fixture: 'clip.mov', audio: true },
    { fixture: 'audio-less.mp4', audio: false },
  ])('transcodes $fixture to H.264 (audio: $audio)', async ({ fixture, audio }) => {
    const creator = await createUser({ role: 'creator' });
    const id = await uploadVideo(creator, await transcodeFixture(fixture), fixtureDeclaration(fixture));

    expect((await storedVideo(id))?.status).toBe('ready');
    const segment = await probe(await derivedFile(`derived/${id}/240/00000-000.ts`));
    expect(segment).toMatchObject({ videoCodec: 'h264', height: 240, hasAudio: audio });
  });

  it('rejects media whose frames do not decode as unreadable, deleting its original, never leaving it processing', async () => {
    const creator = await createUser({ role: 'creator' });
    const id = await uploadVideo(creator, await transcodeFixture('corrupted.mp4'));

    const video = await storedVideo(id);
    expect(video).toMatchObject({ status: 'rejected', rejectionReason: 'unreadable' });
    expect(await objectExists(video?.storageKey ?? '')).toBe(false);
    expect(await objectExists(`derived/${id}/poster.jpg`)).toBe(false);
  });

  it('changes nothing when a unit is invoked again after it finished', async () => {
    const creator = await createUser({ role: 'creator' });
    const fan = await createUser();
    await subscribe(creator, [fan]);
    const id = await uploadVideo(creator, await transcodeFixture('landscape.mp4'));
    const before = await units(id);

    const again = await mediaProcess(
      { step: 'unit', videoId: id, kind: 'segments', height: 240, part: 0 },
      lambdaContext(MEDIA_FUNCTION),
    );
    await testStack().storageEventsSettled();

    expect(again).toMatchObject({ outcome: 'already-done' });
    expect(await units(id)).toEqual(before);
    expect(await notifiedRecipients(id)).toEqual([fan.id]);
  });

  it('leaves no derived object behind when the video is deleted while a unit transcodes', async () => {
    const creator = await createUser({ role: 'creator' });
    const id = await uploadVideo(creator, await transcodeFixture('landscape.mp4'));
    const derived = async () =>
      (
        await storageClient().send(
          new ListObjectsV2Command({ Bucket: TEST_BUCKET, Prefix: `derived/${id}/` }),
        )
      ).Contents ?? [];
    expect((await derived()).length).toBeGreaterThan(0);
    // Its lowest range in flight again (a re-driven run); the owner deletes the video after ffmpeg, before the upload.
    await sql`update media_units set status = 'running' where video_id = ${id} and kind = 'segments'`;
    let deleted = 0;
    const outcome = await runMediaUnit(
      { videoId: id, kind: 'segments', height: 240, part: 0 },
      30_000,
      async () => {
        const response = await callApi(deleteVideo, {
          method: 'DELETE',
          path: `/api/v1/videos/${id}`,
          pathParameters: { id },
          token: creator.accessToken,
        });
        deleted = response.status;
      },
    );

    expect(deleted).toBe(204);
    expect(outcome).toBe('gone');
    expect(await derived()).toEqual([]);
  });

  it('runs a unit that went silent again from the hourly clean-up, and gives up after its retries keeping the original', async () => {
    const creator = await createUser({ role: 'creator' });
    const silent = await uploadVideo(creator, await transcodeFixture('landscape.mp4'));
    const doomed = await uploadVideo(creator, await transcodeFixture('landscape.mp4'));
    // An invocation that died twenty minutes ago, and one that died on its last allowed run.
    await sql`
      update media_units set status = 'running', claimed_at = now() - interval '20 minutes', finished_at = null
      where video_id = ${silent} and kind = 'segments'
    `;
    await sql`update videos set status = 'processing' where id = ${doomed}`;
    await sql`
      update media_units set status = 'running', claimed_at = now() - interval '20 minutes',
        attempts = ${MAX_UNIT_ATTEMPTS}
      where video_id = ${doomed} and kind = 'poster'
    `;

    const summary = await runHourlyCleanUp(new Date());
    await testStack().storageEventsSettled();

    expect(summary).toMatchObject({ mediaUnitsRedriven: 1, mediaGivenUp: 1 });
    const segments = (await units(silent)).find((unit) => unit.kind === 'segments');
    expect(segments).toMatchObject({ status: 'done', attempts: 2 });
    const given = await storedVideo(doomed);
    expect(given).toMatchObject({ status: 'rejected', rejectionReason: 'processing_failed' });
    expect(await objectExists(given?.storageKey ?? '')).toBe(true);
  });
});
