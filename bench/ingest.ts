import { randomUUID } from 'node:crypto';
import { loadMediaFixture, padBeforeMoov } from '../test/support/media-fixtures.ts';
import { timed } from './measure.ts';

export interface IngestFigures {
  objectBytes: number;
  bytesRead: number;
  ms: number;
}

const MiB = 1024 * 1024;

/** The committed fixtures, and a 60 MiB MP4 whose `moov` sits at the end, behind its media data. */
const FIXTURES: Record<string, { load: () => Promise<Uint8Array>; contentType: string }> = {
  'sample-moov-at-end.mp4': {
    load: () => loadMediaFixture('sample-moov-at-end.mp4'),
    contentType: 'video/mp4',
  },
  'fragmented.mp4': { load: () => loadMediaFixture('fragmented.mp4'), contentType: 'video/mp4' },
  'sample.mov': { load: () => loadMediaFixture('sample.mov'), contentType: 'video/quicktime' },
  'sample.webm': { load: () => loadMediaFixture('sample.webm'), contentType: 'video/webm' },
  'sample-live.webm': { load: () => loadMediaFixture('sample-live.webm'), contentType: 'video/webm' },
  'moov-at-end-60MiB.mp4': {
    load: async () => padBeforeMoov(await loadMediaFixture('sample-moov-at-end.mp4'), 60 * MiB),
    contentType: 'video/mp4',
  },
};

/**
 * Stores each fixture in the bucket as an upload of the bench creator and ingests it through `ingestObject`, the
 * function the storage event runs; reports the bytes ingest read with ranged GETs and how long it took. The
 * videos and objects are deleted afterwards.
 *
 * @example
 * const figures = await measureIngest(); // { 'sample.webm': { objectBytes, bytesRead, ms }, … }
 */
export async function measureIngest(): Promise<Record<string, IngestFigures>> {
  const { sql } = await import('#lib/db.ts');
  const { bucket, s3 } = await import('#lib/storage.ts');
  const { PutObjectCommand } = await import('@aws-sdk/client-s3');
  const { ingestObject } = await import('#lib/ingest/ingest-object.ts');
  const { deleteVideoObject } = await import('#lib/videos/video-storage.ts');
  const [creator] = await sql<{ id: string }[]>`select id from users where username = 'bench_creator'`;
  if (!creator) throw new Error('No bench creator: measure latency first');

  const figures: Record<string, IngestFigures> = {};
  for (const [name, fixture] of Object.entries(FIXTURES)) {
    const bytes = await fixture.load();
    const key = `uploads/${creator.id}/${randomUUID()}/${name}`;
    // The row first, as `POST /videos` does: ingest deletes an object no video points to.
    await sql`
      insert into videos (owner_id, title, storage_key, file_name, declared_content_type, declared_size_bytes)
      values (${creator.id}, ${name}, ${key}, ${name}, ${fixture.contentType}, ${bytes.byteLength})
    `;
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentType: fixture.contentType }),
    );
    try {
      const [outcome, ms] = await timed(() => ingestObject(key));
      if (outcome.outcome !== 'accepted') throw new Error(`Ingest of ${name}: ${JSON.stringify(outcome)}`);
      figures[name] = { objectBytes: bytes.byteLength, bytesRead: outcome.bytesRead, ms };
    } finally {
      await sql`delete from videos where storage_key = ${key}`;
      await deleteVideoObject(key);
    }
  }
  return figures;
}
