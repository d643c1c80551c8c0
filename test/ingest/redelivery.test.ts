import { describe, expect, it } from 'vitest';
import { handler as ingest } from '#functions/ingest/on-object-created.ts';
import { sql } from '#lib/db.ts';
import { createUser, createVideo, subscribe } from '../support/factories.ts';
import { lambdaContext } from '../support/lambda.ts';
import { loadMediaFixture, loadSharedSample } from '../support/media-fixtures.ts';
import { testStack } from '../support/stack.ts';
import {
  objectCreatedEvent,
  objectExists,
  putObjectBeforeItsRow,
  putObjectDirectly,
} from '../support/storage-objects.ts';
import { requestUpload, uploadVideo } from '../support/upload-factories.ts';
import { insertPendingVideo, notifiedRecipients, storedVideo } from '../support/video-rows.ts';

describe('ingest under at-least-once delivery', () => {
  it('changes nothing when the same event arrives again, twice at once: one metadata update, one notification each', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const fans = [await createUser(), await createUser()];
    await subscribe(creator, fans);
    const videoId = await uploadVideo(creator, await loadSharedSample());
    const before = await storedVideo(videoId);
    const event = testStack().deliveredEvents.at(-1);
    if (!event) throw new Error('no event was delivered');

    // Act
    await Promise.all([ingest(event, lambdaContext()), ingest(event, lambdaContext())]);

    // Assess
    const after = await storedVideo(videoId);
    expect(after).toEqual(before);
    expect(await notifiedRecipients(videoId)).toHaveLength(2);
  });

  it('finishes the fan-out when the function died after marking the video ready', async () => {
    // Prepare: the row is ready (the metadata write committed) but nobody was notified yet.
    const creator = await createUser({ role: 'creator' });
    const fans = [await createUser(), await createUser(), await createUser()];
    await subscribe(creator, fans);
    const video = await createVideo(creator, { status: 'ready', visibility: 'public' });
    const event = objectCreatedEvent(video.storageKey);

    // Act
    await ingest(event, lambdaContext());
    await ingest(event, lambdaContext());

    // Assess
    expect(await notifiedRecipients(video.id)).toEqual(fans.map((fan) => fan.id).sort());
  });

  it('deletes the object again when a rejected upload is delivered again', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const png = await loadMediaFixture('image.png');
    const videoId = await uploadVideo(creator, png);
    const { storageKey } = (await storedVideo(videoId)) ?? { storageKey: '' };
    // As if the function had died between marking it rejected and deleting the object.
    await putObjectDirectly(storageKey, png);
    await testStack().storageEventsSettled();

    // Assess
    expect(await objectExists(storageKey)).toBe(false);
    expect(await storedVideo(videoId)).toMatchObject({ status: 'rejected', rejectionReason: 'not_a_video' });
  });

  it.each([
    's3:ObjectCreated:Put',
    's3:ObjectCreated:CompleteMultipartUpload',
    'ObjectCreated:Post',
    'ObjectCreated:Copy',
  ])('ingests an object announced as %s', async (eventName) => {
    // Prepare: the object lands before its row exists, and every delivery of the emulator's own event fails.
    const creator = await createUser({ role: 'creator' });
    const sample = await loadSharedSample();
    const key = `uploads/${creator.id}/${crypto.randomUUID()}/clip.mp4`;
    await putObjectBeforeItsRow(key, sample);
    const videoId = await insertPendingVideo(creator, key, { sizeBytes: sample.byteLength });

    // Act
    await ingest(objectCreatedEvent(key, eventName, sample.byteLength), lambdaContext());
    await testStack().storageEventsSettled();

    // Assess
    expect(await storedVideo(videoId)).toMatchObject({ status: 'ready', width: 320, height: 240 });
  });

  it.each([
    { case: 'outside uploads/', key: 'avatars/someone/face.mp4', kept: true },
    { case: 'under uploads/ with no video', key: `uploads/${crypto.randomUUID()}/clip.mp4`, kept: false },
  ])('changes no video for an object $case, and keeps it: $kept', async ({ key, kept }) => {
    // Prepare
    const before = await sql`select id, status, updated_at from videos order by id`;

    // Act
    await putObjectDirectly(key, await loadSharedSample());
    await testStack().storageEventsSettled();

    // Assess
    expect(await sql`select id, status, updated_at from videos order by id`).toEqual(before);
    expect(await objectExists(key)).toBe(kept);
  });

  it('skips a record with a malformed key and still ingests the other records of the event', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const sample = await loadSharedSample();
    const key = `uploads/${creator.id}/${crypto.randomUUID()}/clip.mp4`;
    await putObjectBeforeItsRow(key, sample);
    const videoId = await insertPendingVideo(creator, key, { sizeBytes: sample.byteLength });
    const malformed = objectCreatedEvent('uploads/x');
    for (const record of malformed.Records) record.s3.object.key = 'uploads/%E0%A4%A.mp4';
    const event = { Records: [...malformed.Records, ...objectCreatedEvent(key).Records] };

    // Act
    await ingest(event, lambdaContext());
    await testStack().storageEventsSettled();

    // Assess
    expect((await storedVideo(videoId))?.status).toBe('ready');
  });

  it('ignores records that are not object creations or name another bucket', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const sample = await loadSharedSample();
    const { video } = await requestUpload(creator, { sizeBytes: sample.byteLength });
    const { storageKey } = (await storedVideo(video.id)) ?? { storageKey: '' };
    const removed = objectCreatedEvent(storageKey, 'ObjectRemoved:Delete');
    const otherBucket = objectCreatedEvent(storageKey);
    for (const record of otherBucket.Records) record.s3.bucket.name = 'someone-elses-bucket';

    // Act
    await ingest(removed, lambdaContext());
    await ingest(otherBucket, lambdaContext());

    // Assess
    expect((await storedVideo(video.id))?.status).toBe('awaiting_upload');
  });
});

describe('ingest when storage is down', () => {
  it('throws so the event is retried, and ingests once storage is back', async () => {
    // Prepare: every read of the object fails during all three deliveries of its event.
    const creator = await createUser({ role: 'creator' });
    const sample = await loadSharedSample();
    const { video, upload } = await requestUpload(creator, { sizeBytes: sample.byteLength });
    const deliveredBefore = testStack().deliveredEvents.length;
    testStack().emulator.failNextRequests(6, ['HEAD', 'GET']);
    await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: sample });
    await testStack().storageEventsSettled();
    expect(testStack().deliveredEvents.length - deliveredBefore).toBe(3);
    expect((await storedVideo(video.id))?.status).toBe('awaiting_upload');
    const event = testStack().deliveredEvents.at(-1);
    if (!event) throw new Error('no event was delivered');

    // Act
    testStack().emulator.failNextRequests(2, ['HEAD']);
    const duringOutage = ingest(event, lambdaContext());
    await expect(duringOutage).rejects.toThrow(/could not be ingested/);
    await ingest(event, lambdaContext());
    await testStack().storageEventsSettled();

    // Assess
    expect((await storedVideo(video.id))?.status).toBe('ready');
  });

  it('recovers through the retry of the storage event when the outage is brief', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const sample = await loadSharedSample();
    const deliveredBefore = testStack().deliveredEvents.length;
    testStack().emulator.failNextRequests(2, ['HEAD']);

    // Act
    const videoId = await uploadVideo(creator, sample);

    // Assess
    expect(testStack().deliveredEvents.length - deliveredBefore).toBe(2);
    expect((await storedVideo(videoId))?.status).toBe('ready');
  });
});
