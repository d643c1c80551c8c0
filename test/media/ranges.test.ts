import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { sql } from '#lib/db.ts';
import { runMedia } from '#lib/media/ffmpeg.ts';
import { parseMediaPlaylist } from '#lib/media/process-video.ts';
import { bufferReader } from '#lib/media/ranged-reader.ts';
import { webmKeyframes } from '#lib/media/webm.ts';
import { createUser } from '../support/factories.ts';
import { loadMediaFixture } from '../support/media-fixtures.ts';
import { TEST_BUCKET } from '../support/stack.ts';
import { storageClient } from '../support/storage-objects.ts';
import {
  fixtureDeclaration,
  type TranscodeFixture,
  transcodeFixture,
} from '../support/transcode-fixtures.ts';
import { uploadVideo } from '../support/upload-factories.ts';
import { storedVideo } from '../support/video-rows.ts';

const work = await mkdtemp(join(tmpdir(), 'clipiq-ranges-'));
const FRAME_SECONDS = 1 / 25;

const derivedBytes = async (key: string) =>
  (
    await storageClient().send(new GetObjectCommand({ Bucket: TEST_BUCKET, Key: key }))
  ).Body?.transformToByteArray() ?? new Uint8Array();

/** The video frames' presentation times of a rendition played end to end: its segments concatenated, by ffprobe. */
async function playedFrameTimes(videoId: string, names: string[]) {
  const parts = await Promise.all(names.map((name) => derivedBytes(`derived/${videoId}/120/${name}`)));
  const path = join(work, `${videoId}.ts`);
  await writeFile(path, Buffer.concat(parts));
  const { stdout } = await runMedia(
    'ffprobe',
    ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', path],
    { timeoutMs: 20_000 },
  );
  return stdout
    .split('\n')
    .map((line) => Number.parseFloat(line))
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
}

describe('time ranges on source keyframes', () => {
  it('reads a WebM’s keyframes from its Cues, at the times ffprobe gives them, and none from a recording without Cues', async () => {
    // Prepare
    const webm = await transcodeFixture('gop75.webm');
    const path = join(work, 'gop75.webm');
    await writeFile(path, webm);
    const { stdout } = await runMedia(
      'ffprobe',
      [
        '-v',
        'error',
        '-select_streams',
        'v:0',
        '-show_entries',
        'packet=pts_time,flags',
        '-of',
        'csv=p=0',
        path,
      ],
      { timeoutMs: 20_000 },
    );
    const probed = stdout
      .split('\n')
      .filter((line) => line.includes(',K'))
      .map((line) => Number.parseFloat(line));

    // Act
    const indexed = await webmKeyframes(bufferReader(webm));
    const recorded = await webmKeyframes(bufferReader(await loadMediaFixture('sample-live.webm')));

    // Assess
    expect(probed).toHaveLength(24);
    expect(indexed).toEqual(probed);
    expect(recorded).toBeUndefined();
  });

  it.each<{ fixture: TranscodeFixture; starts: number[] }>([
    { fixture: 'gop75.mp4', starts: [0, 33] },
    { fixture: 'irregular-keyframes.mp4', starts: [0, 29.92] },
    // Opus's codec delay starts the file at -7 ms and its video at +7 ms: the keyframe at 33.007 s is 33.014 s in.
    { fixture: 'gop75.webm', starts: [0.014, 33.014] },
  ])(
    'cuts $fixture at the keyframe nearest 32 s into segments of 2–6 s that play without gap or overlap',
    async ({ fixture, starts }) => {
      const creator = await createUser({ role: 'creator' });
      const id = await uploadVideo(creator, await transcodeFixture(fixture), fixtureDeclaration(fixture));
      expect((await storedVideo(id))?.status).toBe('ready');

      const ranges = await sql<{ startSeconds: number }[]>`
      select start_seconds::float8 as start_seconds from media_units where video_id = ${id} and kind = 'segments'
      order by part
    `;
      expect(ranges.map((range) => range.startSeconds)).toEqual(starts);
      const segments = parseMediaPlaylist(
        new TextDecoder().decode(await derivedBytes(`derived/${id}/120/index.m3u8`)),
      );
      expect(segments.length).toBeGreaterThan(0);
      for (const segment of segments) {
        expect(segment.duration).toBeGreaterThanOrEqual(2);
        expect(segment.duration).toBeLessThanOrEqual(6);
      }
      const listed = segments.reduce((sum, segment) => sum + segment.duration, 0);
      expect(Math.abs(listed - 70)).toBeLessThanOrEqual(FRAME_SECONDS);

      const times = await playedFrameTimes(
        id,
        segments.map((segment) => segment.name),
      );
      expect(times).toHaveLength(70 * 25);
      const steps = times.slice(1).map((time, index) => time - (times[index] ?? 0));
      // Every frame once, 40 ms after the one before: no frame lost or doubled where one unit's range meets the next.
      expect(Math.max(...steps)).toBeLessThan(FRAME_SECONDS + 0.002);
      expect(Math.min(...steps)).toBeGreaterThan(FRAME_SECONDS - 0.002);
    },
    120_000,
  );
});
