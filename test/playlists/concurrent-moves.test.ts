import { describe, expect, it, vi } from 'vitest';
import { handler as addItem } from '#functions/playlists/add-item.ts';
import { handler as moveItem } from '#functions/playlists/move-item.ts';
import { handler as removeItem } from '#functions/playlists/remove-item.ts';
import { handler as deleteVideo } from '#functions/videos/delete.ts';
import { createUser, createVideo } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';
import { createPlaylist, storedItems } from '../support/playlist-factories.ts';

await vi.hoisted(async () => (await import('../support/parallel-connections.ts')).useParallelConnections());

describe('concurrent changes to one playlist', () => {
  it('keeps positions 1..n, dense and unique, through parallel moves, adds, removals and video deletions', async () => {
    // Prepare
    const owner = await createUser({ role: 'creator' });
    const videos = [];
    for (let index = 0; index < 24; index++) videos.push(await createVideo(owner));
    const [kept, added, removed, deleted] = [
      videos.slice(0, 16),
      videos.slice(16, 20),
      videos[20],
      videos.slice(21),
    ];
    const playlist = await createPlaylist(owner, {
      videos: [...kept, removed, ...deleted] as { id: string }[],
    });
    const id = playlist.id;
    const token = owner.accessToken;
    const calls = [
      ...kept.map((video, index) =>
        callApi(moveItem, {
          method: 'PATCH',
          pathParameters: { id, videoId: video.id },
          body: { position: ((index * 7) % 19) + 1 },
          token,
        }),
      ),
      ...added.map((video, index) =>
        callApi(addItem, {
          method: 'POST',
          pathParameters: { id },
          body: { videoId: video.id, position: index * 5 + 1 },
          token,
        }),
      ),
      callApi(removeItem, {
        method: 'DELETE',
        pathParameters: { id, videoId: removed?.id as string },
        token,
      }),
      ...deleted.map((video) =>
        callApi(deleteVideo, { method: 'DELETE', pathParameters: { id: video.id }, token }),
      ),
    ];

    // Act
    const responses = await Promise.all(calls);

    // Assess
    expect(responses.map((response) => response.status).sort()).toEqual(
      [...Array(kept.length + 1 + deleted.length).fill(204), ...Array(added.length).fill(201)].sort(),
    );
    const items = await storedItems(id);
    expect(items.map((item) => item.position)).toEqual(items.map((_, index) => index + 1));
    expect(new Set(items.map((item) => item.videoId))).toEqual(
      new Set([...kept, ...added].map((video) => video.id)),
    );
  });
});
