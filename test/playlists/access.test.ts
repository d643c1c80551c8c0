import { describe, expect, it } from 'vitest';
import { expectProblem } from '../support/expect-problem.ts';
import { createUser, createVideo } from '../support/factories.ts';
import { validBody } from '../support/fuzz-requests.ts';
import { callRoute, findRoute, routeName, serviceRoutes } from '../support/fuzz-routes.ts';
import { storedDataDigest } from '../support/fuzz-world.ts';
import { createPlaylist } from '../support/playlist-factories.ts';

const routes = await serviceRoutes();
// Every route on one playlist, so a new one is covered here without editing this file.
const playlistRoutes = routes.filter((candidate) => candidate.path.startsWith('/api/v1/playlists/{id}'));
const READS = new Set(['GET /api/v1/playlists/{id}', 'GET /api/v1/playlists/{id}/items']);
const isRead = (candidate: (typeof routes)[number]) => READS.has(routeName(candidate));

/** A creator's playlist holding one video, the path values that aim every playlist route at it, and a body each. */
async function playlistOf(visibility: 'public' | 'private') {
  const owner = await createUser({ role: 'creator' });
  const [inside, another] = [await createVideo(owner), await createVideo(owner)];
  const playlist = await createPlaylist(owner, { visibility, videos: [inside] });
  const fields = {
    title: 'Changed',
    description: 'Changed too',
    visibility,
    videoId: another.id,
    position: 1,
  };
  return {
    owner,
    values: { id: playlist.id, videoId: inside.id },
    body: (candidate: (typeof routes)[number]) => validBody(candidate, fields),
  };
}

const cases = playlistRoutes.flatMap((candidate) =>
  (['private', 'public'] as const).map(
    (visibility) => [routeName(candidate), visibility, candidate] as const,
  ),
);

describe('every playlist route, as anonymous, another user and admin (API1)', () => {
  it('covers the routes the contract names', () => {
    expect(playlistRoutes.map(routeName).sort()).toEqual([
      'DELETE /api/v1/playlists/{id}',
      'DELETE /api/v1/playlists/{id}/items/{videoId}',
      'GET /api/v1/playlists/{id}',
      'GET /api/v1/playlists/{id}/items',
      'PATCH /api/v1/playlists/{id}',
      'PATCH /api/v1/playlists/{id}/items/{videoId}',
      'POST /api/v1/playlists/{id}/items',
    ]);
  });

  it.each(cases)(
    'anonymous, %s on a %s playlist: reads follow visibility, writes are 401',
    async (_name, visibility, candidate) => {
      // Prepare
      const target = await playlistOf(visibility);
      const before = await storedDataDigest();

      // Act
      const response = await callRoute(candidate, target.values, { body: target.body(candidate) });

      // Assess
      if (!isRead(candidate)) expectProblem(response, 401);
      else if (visibility === 'private') expectProblem(response, 404, { detail: 'No playlist with this id' });
      else expect(response.status).toBe(200);
      expect(await storedDataDigest()).toBe(before);
    },
  );

  it.each(cases)(
    "another user, %s on someone else's %s playlist: reads follow visibility, writes are 404",
    async (_name, visibility, candidate) => {
      // Prepare
      const target = await playlistOf(visibility);
      const intruder = await createUser({ role: 'creator' });
      const before = await storedDataDigest();

      // Act
      const response = await callRoute(candidate, target.values, {
        token: intruder.accessToken,
        body: target.body(candidate),
      });

      // Assess
      if (isRead(candidate) && visibility === 'public') expect(response.status).toBe(200);
      else expectProblem(response, 404, { detail: 'No playlist with this id' });
      expect(await storedDataDigest()).toBe(before);
    },
  );

  it.each(playlistRoutes.map((candidate) => [routeName(candidate), candidate] as const))(
    "an admin, %s on someone else's private playlist: allowed",
    async (_name, candidate) => {
      // Prepare
      const target = await playlistOf('private');
      const admin = await createUser({ role: 'admin' });

      // Act
      const response = await callRoute(candidate, target.values, {
        token: admin.accessToken,
        body: target.body(candidate),
      });

      // Assess
      expect(response.status, JSON.stringify(response.body)).toBeGreaterThanOrEqual(200);
      expect(response.status).toBeLessThan(300);
    },
  );
});

describe('GET /users/{idOrUsername}/playlists, as anonymous, another user, the owner and admin (API1)', () => {
  const list = findRoute(routes, 'GET /api/v1/users/{idOrUsername}/playlists');

  it.each([
    ['anonymous', false],
    ['another user', false],
    ['the owner', true],
    ['an admin', true],
  ] as const)('as %s, lists the private playlist: %s', async (who, listed) => {
    // Prepare
    const target = await playlistOf('private');
    const caller =
      who === 'the owner'
        ? target.owner
        : who === 'anonymous'
          ? undefined
          : await createUser({ role: who === 'an admin' ? 'admin' : 'creator' });

    // Act
    const response = await callRoute(list, { idOrUsername: target.owner.id }, { token: caller?.accessToken });

    // Assess
    expect(response.status).toBe(200);
    const ids = (response.body.items as { id: string }[]).map((item) => item.id);
    expect(ids).toEqual(listed ? [target.values.id] : []);
  });
});
