import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { sql } from '#lib/db.ts';
import { probeMedia } from '#lib/media/ffmpeg.ts';
import { createUser, subscribe } from '../support/factories.ts';
import { TEST_BUCKET } from '../support/stack.ts';
import { storageClient } from '../support/storage-objects.ts';
import { transcodeFixture } from '../support/transcode-fixtures.ts';
import { uploadVideo } from '../support/upload-factories.ts';
import { notifiedRecipients, storedVideo } from '../support/video-rows.ts';

const work = await mkdtemp(join(tmpdir(), 'clipiq-pipeline-'));

async function derivedFile(key: string, name: string) {
  const response = await storageClient().send(new GetObjectCommand({ Bucket: TEST_BUCKET, Key: key }));
  const path = join(work, name);
  await writeFile(path, await (response.Body?.transformToByteArray() ?? new Uint8Array()));
  return path;
}

describe('the media pipeline', () => {
  it('turns a rotated portrait upload into an upright HLS rendition and a portrait poster, notifying once', async () => {
    const creator = await createUser({ role: 'creator' });
    const fan = await createUser();
    await subscribe(creator, [fan]);
    const id = await uploadVideo(creator, await transcodeFixture('rotated-portrait.mp4'));
    const video = await storedVideo(id);
    expect(video?.status).toBe('ready');
    expect(await notifiedRecipients(id)).toEqual([fan.id]);
    const units =
      await sql`select kind, height, status from media_units where video_id = ${id} order by kind, height`;
    expect(units.every((unit) => unit.status === 'done')).toBe(true);
    const segment = await derivedFile(`derived/${id}/240/00000-000.ts`, 'portrait.ts');
    expect(await probeMedia(segment, { timeoutMs: 10_000 })).toMatchObject({
      videoCodec: 'h264',
      height: 240,
      width: 132,
      hasAudio: true,
    });
    const poster = await derivedFile(`derived/${id}/poster.jpg`, 'portrait.jpg');
    expect(await probeMedia(poster, { timeoutMs: 10_000 })).toMatchObject({
      videoCodec: 'mjpeg',
      width: 176,
      height: 320,
    });
    const [row] = await sql`select processing from videos where id = ${id}`;
    expect(row?.processing).toBeNull();
  });
});
