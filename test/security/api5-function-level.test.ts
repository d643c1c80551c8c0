import { describe, expect, it } from 'vitest';
import { ROLES } from '#lib/auth/principal.ts';
import { sql } from '#lib/db.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { createUser, createVideo } from '../support/factories.ts';
import { callRoute, findRoute, isPublic, routeName, serviceRoutes } from '../support/fuzz-routes.ts';
import { storedDataDigest } from '../support/fuzz-world.ts';

const routes = await serviceRoutes();
const named = (routeList: typeof routes) => routeList.map((route) => [routeName(route), route] as const);
const guarded = routes.filter((route) => !isPublic(route));
const writes = guarded.filter((route) => route.method !== 'GET');
/** Each role a role-guarded route allows, demoted to each role it does not. */
// Reads trust the token's role for its 15 minutes (README, "Sign-in attempts"); writes re-read it.
const demotions = routes
  .filter((route) => route.method !== 'GET')
  .flatMap((route) =>
    (route.options.roles ?? []).flatMap((allowed) =>
      ROLES.filter((role) => !route.options.roles?.includes(role)).map(
        (demoted) => [allowed, demoted, routeName(route), route] as const,
      ),
    ),
  );
const roleGuarded = routes.flatMap((route) =>
  ROLES.filter((role) => route.options.roles && !route.options.roles.includes(role)).map(
    (role) => [role, routeName(route), route] as const,
  ),
);

/** Who may call without signing in: reviewed here, so a new public route is a decision, not a default. */
const PUBLIC_ROUTES = [
  'GET /api/v1/health',
  'GET /api/v1/openapi.json',
  'POST /api/v1/auth/register',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/refresh',
  'POST /api/v1/auth/logout',
  'GET /api/v1/users/{idOrUsername}',
  'GET /api/v1/videos',
  'GET /api/v1/videos/{id}',
  // Its signed URL is the authorisation: a stock HLS player sends no token.
  'GET /api/v1/videos/{id}/media/{file}',
  'POST /api/v1/videos/{id}/views',
  'GET /api/v1/playlists/{id}',
  'GET /api/v1/playlists/{id}/items',
  'GET /api/v1/users/{idOrUsername}/playlists',
  'GET /api/v1/videos/{id}/comments',
  'GET /api/v1/comments/{id}',
  'GET /api/v1/comments/{id}/replies',
].sort();
/** Who may call a role-guarded route. */
const ROLE_GUARDS = {
  'POST /api/v1/videos': ['creator', 'admin'],
  'PATCH /api/v1/admin/users/{id}': ['admin'],
  'GET /api/v1/admin/reports': ['admin'],
  'POST /api/v1/admin/reports/{id}/resolve': ['admin'],
};

describe('routes deny by default (API5)', () => {
  it('answers anonymous callers only on the reviewed public routes', () => {
    // Act
    const open = routes.filter(isPublic).map(routeName).sort();

    // Assess
    expect(open).toEqual(PUBLIC_ROUTES);
  });

  it('guards by role exactly the reviewed routes', () => {
    // Act
    const guards = Object.fromEntries(
      routes.filter((route) => route.options.roles).map((route) => [routeName(route), route.options.roles]),
    );

    // Assess
    expect(guards).toEqual(ROLE_GUARDS);
  });

  it.each(named(guarded))(
    '%s answers 401 with a Bearer challenge to a caller without a token',
    async (_name, route) => {
      // Prepare
      const video = await createVideo(await createUser({ role: 'creator' }));
      const before = await storedDataDigest();

      // Act
      const response = await callRoute(route, {
        id: video.id,
        idOrUsername: video.ownerId,
        uploadId: 'u',
        partNumber: '1',
      });

      // Assess
      expectProblem(response, 401, { slug: 'unauthorized' });
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(await storedDataDigest()).toBe(before);
    },
  );

  it.each(roleGuarded)(
    'a %s gets 403 on %s, before its input is even validated',
    async (role, _name, route) => {
      // Prepare
      const caller = await createUser({ role });
      const before = await storedDataDigest();

      // Act: no path values and no body, which would be a 400 for a caller who passed the guard.
      const response = await callRoute(route, {}, { token: caller.accessToken });

      // Assess
      expectProblem(response, 403, { slug: 'forbidden' });
      expect(await storedDataDigest()).toBe(before);
    },
  );
});

describe('writes act on the caller’s current role, not the one in their token (API5)', () => {
  it.each(demotions)(
    'a %s demoted to %s gets 403 on %s with the token issued before',
    async (allowed, demoted, _name, route) => {
      // Prepare
      const caller = await createUser({ role: allowed });
      await sql`update users set role = ${demoted} where id = ${caller.id}`;
      const before = await storedDataDigest();

      // Act
      const response = await callRoute(route, {}, { token: caller.accessToken });

      // Assess
      expectProblem(response, 403, { slug: 'forbidden' });
      expect(await storedDataDigest()).toBe(before);
    },
  );

  it('lets a viewer promoted to creator create videos at once', async () => {
    // Prepare
    const caller = await createUser({ role: 'viewer' });
    await sql`update users set role = 'creator' where id = ${caller.id}`;

    // Act: no body, so a caller past the guard gets 400
    const response = await callRoute(
      findRoute(routes, 'POST /api/v1/videos'),
      {},
      { token: caller.accessToken },
    );

    // Assess
    expectProblem(response, 400);
  });

  it.each(named(writes))('%s answers 401 to the token of a deleted account', async (_name, route) => {
    // Prepare
    const owner = await createUser({ role: 'creator' });
    const video = await createVideo(owner);
    const caller = await createUser({ role: 'admin' });
    await sql`delete from users where id = ${caller.id}`;
    const before = await storedDataDigest();

    // Act
    const response = await callRoute(
      route,
      { id: video.id, idOrUsername: owner.id, uploadId: 'u', partNumber: '1' },
      { token: caller.accessToken, body: {} },
    );

    // Assess
    expectProblem(response, 401, { slug: 'unauthorized', detail: 'This account no longer exists' });
    expect(await storedDataDigest()).toBe(before);
  });
});
