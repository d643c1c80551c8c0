import { describe, expect, it } from 'vitest';
import { sql } from '#lib/db.ts';
import { createUser, createVideo, subscribe } from '../support/factories.ts';

async function counts(user: { id: string }) {
  const [row] = await sql<{ videoCount: number; subscriberCount: number }[]>`
    select video_count, subscriber_count from users where id = ${user.id}
  `;
  return row;
}

describe('users.video_count and subscriber_count', () => {
  it('count public ready videos only, following ingest and deletion', async () => {
    // Prepare
    const owner = await createUser({ role: 'creator' });
    const uploading = await createVideo(owner, { status: 'processing' });
    const published = await createVideo(owner);
    await createVideo(owner, { visibility: 'unlisted' });
    await createVideo(owner, { visibility: 'private' });
    const before = await counts(owner);

    // Act: ingest marks the upload ready, the owner deletes the other public video.
    await sql`update videos set status = 'ready', published_at = now() where id = ${uploading.id}`;
    const afterIngest = await counts(owner);
    await sql`delete from videos where id = ${published.id}`;

    // Assess
    expect([before?.videoCount, afterIngest?.videoCount, (await counts(owner))?.videoCount]).toEqual([
      1, 2, 1,
    ]);
  });

  it('drop the subscriptions of a deleted account', async () => {
    // Prepare
    const channel = await createUser({ role: 'creator' });
    const [stays, leaves] = [await createUser(), await createUser()];
    await subscribe(channel, [stays]);
    await subscribe(channel, [leaves]);

    // Act
    await sql`delete from users where id = ${leaves.id}`;

    // Assess
    expect(await counts(channel)).toEqual({ videoCount: 0, subscriberCount: 1 });
  });

  it('are updated set-based for a bulk insert', async () => {
    // Prepare
    const [alice, bob] = [await createUser({ role: 'creator' }), await createUser({ role: 'creator' })];

    // Act
    await sql`
      insert into videos (owner_id, title, status, visibility, storage_key, file_name, declared_content_type,
                          declared_size_bytes, published_at)
      select case when n % 3 = 0 then ${alice.id}::uuid else ${bob.id}::uuid end, 'Bulk ' || n, 'ready',
             case when n % 2 = 0 then 'public' else 'unlisted' end::video_visibility,
             'bulk/' || gen_random_uuid(), 'bulk.mp4', 'video/mp4', 1, now()
      from generate_series(1, 12) n
    `;

    // Assess: alice owns 3, 6, 9, 12 (public: 6, 12); bob the rest (public: 2, 4, 8, 10).
    expect([(await counts(alice))?.videoCount, (await counts(bob))?.videoCount]).toEqual([2, 4]);
  });
});
