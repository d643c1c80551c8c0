import { describe, expect, it } from 'vitest';
import { handler as addItem } from '#functions/playlists/add-item.ts';
import { handler as get } from '#functions/playlists/get.ts';
import { handler as listItems } from '#functions/playlists/list-items.ts';
import { handler as moveItem } from '#functions/playlists/move-item.ts';
import { handler as removeItem } from '#functions/playlists/remove-item.ts';
import { handler as deleteVideo } from '#functions/videos/delete.ts';
import { sql } from '#lib/db.ts';
import { MAX_PLAYLIST_ITEMS } from '#lib/playlists/schemas.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { createUser, createVideo } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';
import { everyPage } from '../support/pages.ts';
import { createPlaylist, storedItems } from '../support/playlist-factories.ts';

type Item = { position: number; video: { id: string; title: string } };
const itemsPath = (id: string) => `/api/v1/playlists/${id}/items`;
const listAs = (token: string | undefined, id: string, query: Record<string, string> = {}) =>
  callApi<{ items: Item[]; nextCursor: string | null }>(listItems, {
    path: itemsPath(id),
    pathParameters: { id },
    query,
    token,
  });
const addAs = (token: string | undefined, id: string, body: unknown) =>
  callApi<Item>(addItem, { method: 'POST', path: itemsPath(id), pathParameters: { id }, body, token });
const moveAs = (token: string | undefined, id: string, videoId: string, position: unknown) =>
  callApi(moveItem, {
    method: 'PATCH',
    path: `${itemsPath(id)}/${videoId}`,
    pathParameters: { id, videoId },
    body: { position },
    token,
  });
const removeAs = (token: string | undefined, id: string, videoId: string) =>
  callApi(removeItem, {
    method: 'DELETE',
    path: `${itemsPath(id)}/${videoId}`,
    pathParameters: { id, videoId },
    token,
  });

/** `count` public ready videos of `owner`, titled 0..count-1. */
async function videosOf(owner: { id: string }, count: number) {
  const videos = [];
  for (let index = 0; index < count; index++) videos.push(await createVideo(owner, { title: `${index}` }));
  return videos;
}

const order = async (playlistId: string, videos: readonly { id: string }[]) =>
  (await storedItems(playlistId)).map((item) => [
    videos.findIndex((video) => video.id === item.videoId),
    item.position,
  ]);

describe('GET /playlists/{id}/items', () => {
  it('pages through the videos in position order, each as the video list shows it', async () => {
    // Prepare
    const owner = await createUser({ role: 'creator' });
    const videos = await videosOf(owner, 5);
    const playlist = await createPlaylist(owner, {
      videos: [3, 0, 4, 1, 2].map((index) => videos[index] as { id: string }),
    });

    // Act
    const items = await everyPage((cursor) => listAs(undefined, playlist.id, { limit: '2', ...cursor }));

    // Assess
    expect(items.map((item) => [item.position, item.video.title])).toEqual([
      [1, '3'],
      [2, '0'],
      [3, '4'],
      [4, '1'],
      [5, '2'],
    ]);
    expect(items[0]?.video).toMatchObject({ id: videos[3]?.id, status: 'ready', owner: { id: owner.id } });
    expect(items[0]?.video).not.toHaveProperty('playback');
  });

  it("skips videos the caller may not see: others' private and unfinished ones, shown to their owner and admins", async () => {
    // Prepare
    const [curator, creator, admin] = [
      await createUser(),
      await createUser({ role: 'creator' }),
      await createUser({ role: 'admin' }),
    ];
    const shown = await createVideo(creator, { title: 'shown' });
    const unlisted = await createVideo(creator, { title: 'unlisted', visibility: 'unlisted' });
    const hidden = await createVideo(creator, { title: 'private', visibility: 'private' });
    const pending = await createVideo(creator, { title: 'pending', status: 'processing' });
    const playlist = await createPlaylist(curator, { videos: [hidden, shown, pending, unlisted] });

    // Act
    const [anonymous, byCurator, byCreator, byAdmin] = await Promise.all([
      listAs(undefined, playlist.id),
      listAs(curator.accessToken, playlist.id),
      listAs(creator.accessToken, playlist.id),
      listAs(admin.accessToken, playlist.id),
    ]);

    // Assess
    const seen = (page: typeof anonymous) =>
      page.body.items.map((item) => `${item.position}:${item.video.title}`);
    expect(seen(anonymous)).toEqual(['2:shown', '4:unlisted']);
    expect(seen(byCurator)).toEqual(['2:shown', '4:unlisted']);
    expect(seen(byCreator)).toEqual(['1:private', '2:shown', '3:pending', '4:unlisted']);
    expect(seen(byAdmin)).toEqual(['1:private', '2:shown', '3:pending', '4:unlisted']);
  });

  it("answers 404 for a private playlist's items to anyone but its owner and admins", async () => {
    // Prepare
    const [owner, other] = [await createUser(), await createUser()];
    const playlist = await createPlaylist(owner, { visibility: 'private', videos: await videosOf(owner, 1) });

    // Act
    const [anonymous, another, own] = await Promise.all([
      listAs(undefined, playlist.id),
      listAs(other.accessToken, playlist.id),
      listAs(owner.accessToken, playlist.id),
    ]);

    // Assess
    expectProblem(anonymous, 404, { detail: 'No playlist with this id' });
    expectProblem(another, 404, { detail: 'No playlist with this id' });
    expect(own.body.items).toHaveLength(1);
  });

  it('refuses a forged cursor with 400', async () => {
    // Prepare
    const owner = await createUser();
    const playlist = await createPlaylist(owner);

    // Act
    const responses = await Promise.all(
      [[0], [MAX_PLAYLIST_ITEMS + 1], ['1'], [1, 2]].map((key) =>
        listAs(undefined, playlist.id, { cursor: Buffer.from(JSON.stringify(key)).toString('base64url') }),
      ),
    );

    // Assess
    for (const response of responses) expectProblem(response, 400, { paths: ['query.cursor'] });
  });
});

describe('POST /playlists/{id}/items', () => {
  it('appends by default, inserts at a position (the others move down), and appends a position beyond the end', async () => {
    // Prepare
    const owner = await createUser({ role: 'creator' });
    const videos = await videosOf(owner, 4);
    const playlist = await createPlaylist(owner);

    // Act
    const first = await addAs(owner.accessToken, playlist.id, { videoId: videos[0]?.id });
    const second = await addAs(owner.accessToken, playlist.id, { videoId: videos[1]?.id });
    const top = await addAs(owner.accessToken, playlist.id, { videoId: videos[2]?.id, position: 1 });
    const beyond = await addAs(owner.accessToken, playlist.id, { videoId: videos[3]?.id, position: 99 });

    // Assess
    expect([first, second, top, beyond].map((response) => [response.status, response.body.position])).toEqual(
      [
        [201, 1],
        [201, 2],
        [201, 1],
        [201, 4],
      ],
    );
    expect(first.body.video).toMatchObject({ id: videos[0]?.id, title: '0' });
    expect(await order(playlist.id, videos)).toEqual([
      [2, 1],
      [0, 2],
      [1, 3],
      [3, 4],
    ]);
    const playlistNow = await callApi(get, { pathParameters: { id: playlist.id } });
    expect(playlistNow.body).toMatchObject({ videoCount: 4 });
  });

  it('adds a video once: a second time is a 409 and changes nothing', async () => {
    // Prepare
    const owner = await createUser();
    const [video] = await videosOf(owner, 1);
    const playlist = await createPlaylist(owner, { videos: [video as { id: string }] });

    // Act
    const response = await addAs(owner.accessToken, playlist.id, { videoId: video?.id, position: 1 });

    // Assess
    expectProblem(response, 409, { detail: 'This video is already in the playlist' });
    expect(await storedItems(playlist.id)).toEqual([{ videoId: video?.id, position: 1 }]);
  });

  it(`holds at most ${MAX_PLAYLIST_ITEMS} videos: one more is a 409 playlist-full`, async () => {
    // Prepare
    const owner = await createUser({ role: 'creator' });
    const videoIds = await sql<{ id: string }[]>`
      insert into videos (owner_id, title, status, visibility, storage_key, file_name, declared_content_type,
                          declared_size_bytes, published_at)
      select ${owner.id}, 'v' || n, 'ready', 'public', 'uploads/' || ${owner.id} || '/' || n, 'v.mp4', 'video/mp4', 1, now()
      from generate_series(1, ${MAX_PLAYLIST_ITEMS}) n
      returning id
    `;
    const playlist = await createPlaylist(owner, { videos: videoIds });
    const [extra] = await videosOf(owner, 1);

    // Act
    const response = await addAs(owner.accessToken, playlist.id, { videoId: extra?.id });

    // Assess
    expectProblem(response, 409, { slug: 'playlist-full' });
    const [counts] = await sql`
      select (select video_count from playlists where id = ${playlist.id}) as video_count,
             (select count(*)::int from playlist_items where playlist_id = ${playlist.id}) as items
    `;
    expect(counts).toEqual({ videoCount: MAX_PLAYLIST_ITEMS, items: MAX_PLAYLIST_ITEMS });
  });

  it("adds only videos the caller may see: someone else's private or unfinished video is a 404", async () => {
    // Prepare
    const [curator, creator] = [await createUser(), await createUser({ role: 'creator' })];
    const hidden = await createVideo(creator, { visibility: 'private' });
    const pending = await createVideo(creator, { status: 'awaiting_upload' });
    const unlisted = await createVideo(creator, { visibility: 'unlisted' });
    const playlist = await createPlaylist(curator);

    // Act
    const refused = await Promise.all(
      [hidden, pending].map((video) => addAs(curator.accessToken, playlist.id, { videoId: video.id })),
    );
    const accepted = await addAs(curator.accessToken, playlist.id, { videoId: unlisted.id });

    // Assess
    for (const response of refused) expectProblem(response, 404, { detail: 'No video with this id' });
    expect(accepted.status).toBe(201);
    expect(await storedItems(playlist.id)).toEqual([{ videoId: unlisted.id, position: 1 }]);
  });

  it.each([
    ['position 0', { position: 0 }],
    ['a fractional position', { position: 1.5 }],
    ['a malformed video id', { videoId: 'nope' }],
    ['an unknown field', { extra: true }],
  ])('refuses %s with 400', async (_case, change) => {
    // Prepare
    const owner = await createUser();
    const [video] = await videosOf(owner, 1);
    const playlist = await createPlaylist(owner);

    // Act
    const response = await addAs(owner.accessToken, playlist.id, { videoId: video?.id, ...change });

    // Assess
    expectProblem(response, 400);
    expect(await storedItems(playlist.id)).toEqual([]);
  });
});

describe('PATCH /playlists/{id}/items/{videoId}', () => {
  it.each([
    ['down', 1, 4, [1, 2, 3, 0, 4]],
    ['up', 4, 2, [0, 3, 1, 2, 4]],
    ['beyond the end, to the end', 2, 50, [0, 2, 3, 4, 1]],
    ['to its own place', 3, 3, [0, 1, 2, 3, 4]],
  ])('moves a video %s and shifts the ones between', async (_case, from, to, expected) => {
    // Prepare
    const owner = await createUser({ role: 'creator' });
    const videos = await videosOf(owner, 5);
    const playlist = await createPlaylist(owner, { videos });

    // Act
    const response = await moveAs(owner.accessToken, playlist.id, videos[from - 1]?.id as string, to);

    // Assess
    expect(response.status).toBe(204);
    expect(await order(playlist.id, videos)).toEqual(
      expected.map((index, position) => [index, position + 1]),
    );
  });

  it('answers 404 for a video that is not in the playlist', async () => {
    // Prepare
    const owner = await createUser();
    const [inside, outside] = await videosOf(owner, 2);
    const playlist = await createPlaylist(owner, { videos: [inside as { id: string }] });

    // Act
    const response = await moveAs(owner.accessToken, playlist.id, outside?.id as string, 1);

    // Assess
    expectProblem(response, 404, { detail: 'This video is not in the playlist' });
  });
});

describe('DELETE /playlists/{id}/items/{videoId}', () => {
  it('removes a video and moves the later ones up', async () => {
    // Prepare
    const owner = await createUser();
    const videos = await videosOf(owner, 4);
    const playlist = await createPlaylist(owner, { videos });

    // Act
    const response = await removeAs(owner.accessToken, playlist.id, videos[1]?.id as string);
    const again = await removeAs(owner.accessToken, playlist.id, videos[1]?.id as string);

    // Assess
    expect(response.status).toBe(204);
    expectProblem(again, 404, { detail: 'This video is not in the playlist' });
    expect(await order(playlist.id, videos)).toEqual([
      [0, 1],
      [2, 2],
      [3, 3],
    ]);
    expect(await sql`select video_count from playlists where id = ${playlist.id}`).toEqual([
      { videoCount: 3 },
    ]);
  });

  it('takes a deleted video out of every playlist, positions staying 1..n', async () => {
    // Prepare
    const [creator, curator] = [await createUser({ role: 'creator' }), await createUser()];
    const videos = await videosOf(creator, 3);
    const doomed = videos[0] as { id: string };
    const first = await createPlaylist(curator, { videos });
    const second = await createPlaylist(creator, {
      videos: [videos[2], doomed, videos[1]] as { id: string }[],
    });

    // Act
    const response = await callApi(deleteVideo, {
      method: 'DELETE',
      pathParameters: { id: doomed.id },
      token: creator.accessToken,
    });

    // Assess
    expect(response.status).toBe(204);
    expect(await order(first.id, videos)).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(await order(second.id, videos)).toEqual([
      [2, 1],
      [1, 2],
    ]);
    const counts = await sql`select video_count from playlists where id in (${first.id}, ${second.id})`;
    expect(counts).toEqual([{ videoCount: 2 }, { videoCount: 2 }]);
  });
});
