import type { S3Event } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler as ingest } from '#functions/ingest/on-object-created.ts';
import { createUser } from '../support/factories.ts';
import { storedDataDigest } from '../support/fuzz-world.ts';
import { lambdaContext } from '../support/lambda.ts';
import { loadSharedSample } from '../support/media-fixtures.ts';
import { testStack } from '../support/stack.ts';
import { objectCreatedEvent, putObjectBeforeItsRow } from '../support/storage-objects.ts';
import { insertPendingVideo, storedVideo } from '../support/video-rows.ts';

/** A MinIO webhook record for `key` carrying the given `sequencer`. */
function minioRecord(key: string, sequencer: string, size: number) {
  const [record] = objectCreatedEvent(key, 's3:ObjectCreated:Put', size).Records;
  if (!record) throw new Error('no record');
  record.s3.object.sequencer = sequencer;
  return record;
}

/** Objects that landed before their rows (so the emulator's own events found nothing), now pending videos. */
async function landedUploads(count: number) {
  const creator = await createUser({ role: 'creator' });
  const sample = await loadSharedSample();
  const uploads: { key: string; size: number }[] = [];
  for (let index = 0; index < count; index++) {
    const key = `uploads/${creator.id}/${crypto.randomUUID()}/clip ${index}.mp4`;
    await putObjectBeforeItsRow(key, sample);
    uploads.push({ key, size: sample.byteLength });
  }
  const ids: string[] = [];
  for (const upload of uploads)
    ids.push(await insertPendingVideo(creator, upload.key, { sizeBytes: upload.size }));
  return uploads.map((upload, index) => ({ ...upload, id: ids[index] as string }));
}

describe('storage events (at-least-once delivery)', () => {
  it("does not treat MinIO's sequencer as an order: a lower one after a higher one still ingests", async () => {
    // Prepare
    const [later, earlier] = await landedUploads(2);
    if (!later || !earlier) throw new Error('no uploads');

    // Act
    await ingest(
      { Records: [minioRecord(later.key, '17F0000000000009', later.size)] } as S3Event,
      lambdaContext(),
    );
    await ingest(
      { Records: [minioRecord(earlier.key, '0000000000000001', earlier.size)] } as S3Event,
      lambdaContext(),
    );
    await testStack().storageEventsSettled();

    // Assess
    expect((await storedVideo(later.id))?.status).toBe('ready');
    expect((await storedVideo(earlier.id))?.status).toBe('ready');
  });

  it('changes nothing when a ready video’s event comes back with a lower sequencer', async () => {
    // Prepare
    const [upload] = await landedUploads(1);
    if (!upload) throw new Error('no upload');
    await ingest({ Records: [minioRecord(upload.key, 'FFFF', upload.size)] } as S3Event, lambdaContext());
    await testStack().storageEventsSettled();
    const before = await storedDataDigest();

    // Act
    await ingest({ Records: [minioRecord(upload.key, '0001', upload.size)] } as S3Event, lambdaContext());

    // Assess
    expect(await storedDataDigest()).toBe(before);
  });

  it.each([
    ['a key outside uploads/', 'avatars/x/clip.mp4'],
    ['a key under uploads/ with no video', `uploads/${crypto.randomUUID()}/${crypto.randomUUID()}/clip.mp4`],
    ['a key that climbs out of uploads/', 'uploads/../avatars/clip.mp4'],
    ['an undecodable key', 'uploads/%E0%A4%A.mp4'],
  ])('ignores %s without failing the invocation, changing nothing', async (_case, key) => {
    // Prepare
    const event = objectCreatedEvent('uploads/placeholder');
    for (const record of event.Records) record.s3.object.key = key;
    const before = await storedDataDigest();

    // Act
    const invocation = ingest(event, lambdaContext());

    // Assess
    await expect(invocation).resolves.toBeUndefined();
    expect(await storedDataDigest()).toBe(before);
  });
});
