import { describe, expect, it } from 'vitest';
import { handler as list } from '#functions/videos/list.ts';
import { sql } from '#lib/db.ts';
import { encodeCursor } from '#lib/pagination.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { createUser, createVideo } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';
import { everyPage, instants } from '../support/pages.ts';

type VideoItem = { id: string; title: string; visibility: string; owner: { id: string } };
type ListBody = { items: VideoItem[]; nextCursor: string | null };

const listVideos = (query: Record<string, string> = {}) =>
  callApi<ListBody>(list, { path: '/api/v1/videos', query });
const ids = (items: { id: string }[]) => items.map((item) => item.id);

describe('GET /videos', () => {
  it('lists public ready videos newest first, and never unlisted, private or unfinished ones', async () => {
    // Prepare
    const owner = await createUser({ role: 'creator' });
    const [t1, t2, t3] = instants(3, 3600);
    const older = await createVideo(owner, { publishedAt: t3 });
    const newer = await createVideo(owner, { publishedAt: t1 });
    await createVideo(owner, { visibility: 'unlisted', publishedAt: t2 });
    await createVideo(owner, { visibility: 'private', publishedAt: t2 });
    await createVideo(owner, { status: 'processing' });

    // Act
    const response = await listVideos({ owner: owner.id });

    // Assess
    expect(response.status).toBe(200);
    expect(ids(response.body.items)).toEqual([newer.id, older.id]);
    expect(response.body.nextCursor).toBeNull();
    expect(response.body.items[0]).toMatchObject({
      title: newer.title,
      visibility: 'public',
      owner: { id: owner.id, username: owner.username },
    });
  });

  it('lists every channel together when no owner is given', async () => {
    // Prepare
    const [alice, bob] = [await createUser({ role: 'creator' }), await createUser({ role: 'creator' })];
    const [t1, t2] = instants(2, 10);
    const fromBob = await createVideo(bob, { publishedAt: t2 });
    const fromAlice = await createVideo(alice, { publishedAt: t1 });
    const hidden = await createVideo(alice, { visibility: 'private', publishedAt: t1 });

    // Act
    const response = await listVideos({ limit: '100' });

    // Assess
    expect(response.status).toBe(200);
    const listed = ids(response.body.items);
    expect(listed.slice(0, 2)).toEqual([fromAlice.id, fromBob.id]);
    expect(listed).not.toContain(hidden.id);
  });

  it('pages through a channel without duplicates or gaps while new videos are published between pages', async () => {
    // Prepare
    const owner = await createUser({ role: 'creator' });
    const times = instants(7, 600);
    const videos = [];
    for (const publishedAt of times) videos.push(await createVideo(owner, { publishedAt }));
    // Three more published in the same instant: the id breaks the tie.
    for (let index = 0; index < 3; index++) videos.push(await createVideo(owner, { publishedAt: times[6] }));
    const expected = [...videos.slice(0, 6), ...videos.slice(6).sort((a, b) => (a.id < b.id ? 1 : -1))];

    // Act
    const served = await everyPage(
      (cursor) => listVideos({ owner: owner.id, limit: '3', ...cursor }),
      () => createVideo(owner),
    );

    // Assess
    expect(ids(served)).toEqual(ids(expected));
  });

  it('keeps videos published within the same millisecond apart (cursors carry microseconds)', async () => {
    // Prepare
    const owner = await createUser({ role: 'creator' });
    const videos = [];
    for (let index = 0; index < 4; index++) videos.push(await createVideo(owner));
    await sql`
      update videos set published_at = timestamptz '2024-05-01 10:00:00.123' + (ordinal * interval '1 microsecond')
      from unnest(${videos.map((video) => video.id)}::uuid[]) with ordinality as picked(id, ordinal)
      where videos.id = picked.id
    `;

    // Act
    const served = await everyPage((cursor) => listVideos({ owner: owner.id, limit: '1', ...cursor }));

    // Assess
    expect(ids(served)).toEqual(ids(videos).reverse());
  });

  it('serves 20 videos by default and says where the next page starts', async () => {
    // Prepare
    const owner = await createUser({ role: 'creator' });
    for (const publishedAt of instants(21, 1200)) await createVideo(owner, { publishedAt });

    // Act
    const response = await listVideos({ owner: owner.id });

    // Assess
    expect(response.status).toBe(200);
    expect(response.body.items).toHaveLength(20);
    expect(response.body.nextCursor).toEqual(expect.any(String));
  });

  it.each([
    ['101', 'above the maximum'],
    ['0', 'zero'],
    ['ten', 'not a number'],
    ['2.5', 'not an integer'],
  ])('rejects limit=%s (%s) with 400', async (limit) => {
    // Act
    const response = await listVideos({ limit });

    // Assess
    expectProblem(response, 400, { slug: 'invalid-request', paths: ['query.limit'] });
  });

  it.each([
    ['garbage', 'not-a-cursor'],
    ['a JSON object', Buffer.from('{"a":1}').toString('base64url')],
    ['a bad timestamp', encodeCursor(['yesterday', '6f1c1a52-3c1e-4b7e-9d52-5a0c4f6f4b11'])],
    [
      'a search cursor',
      encodeCursor([0.5, '2024-05-01T10:00:00.000000Z', '6f1c1a52-3c1e-4b7e-9d52-5a0c4f6f4b11']),
    ],
    ['an SQL fragment', encodeCursor(["2024-05-01T10:00:00.000000Z') or true --", 'x'])],
  ])('rejects %s as cursor with 400', async (_, cursor) => {
    // Act
    const response = await listVideos({ cursor });

    // Assess
    expectProblem(response, 400, { slug: 'invalid-request', paths: ['query.cursor'] });
  });

  it('rejects an owner that is not a user id with 400', async () => {
    // Act
    const response = await listVideos({ owner: 'alice' });

    // Assess
    expectProblem(response, 400, { paths: ['query.owner'] });
  });
});
