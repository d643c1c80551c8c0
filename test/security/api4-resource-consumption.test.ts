import { describe, expect, it } from 'vitest';
import { sql } from '#lib/db.ts';
import { config } from '#lib/environment.ts';
import { createComment } from '../support/comment-calls.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { createUser, createVideo } from '../support/factories.ts';
import { schemaFields, validBody } from '../support/fuzz-requests.ts';
import { callRoute, parameterNames, routeName, serviceRoutes } from '../support/fuzz-routes.ts';
import { storedDataDigest } from '../support/fuzz-world.ts';
import { createPlaylist } from '../support/playlist-factories.ts';
import { type MultipartUpload, requestUpload } from '../support/upload-factories.ts';

const routes = await serviceRoutes();
const named = (routeList: typeof routes) => routeList.map((route) => [routeName(route), route] as const);
const listRoutes = routes.filter((route) => schemaFields(route.options.query).includes('limit'));
const bodyRoutes = routes.filter((route) => route.options.body);
const bodylessRoutes = routes.filter((route) => !route.options.body);
const queryFieldRoutes = routes.filter((route) => schemaFields(route.options.query).length > 0);
const parameterRoutes = routes.filter((route) => parameterNames(route.path).length > 0);
const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/**
 * The path values a list route needs: the caller's own account and a playlist of theirs, a public video for its
 * comments, a comment for its replies.
 */
async function listPathValues(
  route: (typeof routes)[number],
  caller: { id: string },
): Promise<Record<string, string>> {
  if (parameterNames(route.path).length === 0) return {};
  if (route.path.startsWith('/api/v1/users/')) return { idOrUsername: caller.id };
  if (route.path.startsWith('/api/v1/playlists/')) return { id: (await createPlaylist(caller)).id };
  const video = await createVideo(await createUser({ role: 'creator' }));
  if (route.path.startsWith('/api/v1/comments/'))
    return { id: await createComment(await createUser(), video) };
  return { id: video.id };
}

describe('pagination bounds (API4)', () => {
  it.each(named(listRoutes))(
    '%s serves up to 100 items a page and refuses any other limit with 400',
    async (_name, route) => {
      // Prepare
      const viewer = await createUser({ role: route.options.roles?.[0] ?? 'viewer' });
      const values = await listPathValues(route, viewer);

      // Act
      const accepted = await callRoute(route, values, { token: viewer.accessToken, query: { limit: '100' } });
      const refused = [];
      for (const limit of ['101', '0', '-1', '1.5', '1e309', 'NaN', 'ten', '']) {
        refused.push(await callRoute(route, values, { token: viewer.accessToken, query: { limit } }));
      }

      // Assess
      expect(accepted.status).toBe(200);
      for (const response of refused) {
        expectProblem(response, 400, { slug: 'invalid-request' });
        expect(response.body.errors).toContainEqual({ path: 'query.limit', message: expect.any(String) });
      }
    },
  );

  it.each(named(listRoutes))('%s refuses a cursor it did not issue with 400', async (_name, route) => {
    // Prepare
    const viewer = await createUser({ role: route.options.roles?.[0] ?? 'viewer' });
    const values = await listPathValues(route, viewer);
    const forged = [
      'not a cursor',
      Buffer.from('{"__proto__":{"admin":true}}').toString('base64url'),
      cursorOf(['2024-02-30T00:00:00.000000Z', crypto.randomUUID()]),
      cursorOf(['2024-01-01T00:00:00.000000Z', "' or 1=1 --"]),
      cursorOf([1e39, '2024-01-01T00:00:00.000000Z', crypto.randomUUID()]),
      'x'.repeat(513),
    ];

    // Act
    const responses = [];
    for (const cursor of forged)
      responses.push(await callRoute(route, values, { token: viewer.accessToken, query: { cursor } }));

    // Assess
    for (const response of responses) expectProblem(response, 400, { slug: 'invalid-request' });
  });
});

describe('request size bounds (API4)', () => {
  it.each(named(bodyRoutes))(
    '%s answers 413 to a body over its cap before anything else runs',
    async (_name, route) => {
      // Prepare
      const cap = route.options.maxBodyBytes ?? config.maxBodyBytes;
      const before = await storedDataDigest();

      // Act: no token either; the size is checked first.
      const response = await callRoute(route, {}, { body: { title: 'x'.repeat(cap) } });

      // Assess
      expectProblem(response, 413, { slug: 'too-large' });
      expect(await storedDataDigest()).toBe(before);
    },
  );

  it.each(named(bodylessRoutes))(
    '%s takes no body, so it ignores one instead of parsing it',
    async (_name, route) => {
      // Prepare
      const viewer = await createUser();
      const call = { token: viewer.accessToken, headers: { 'content-type': 'text/plain' } };

      // Act
      const without = await callRoute(route, {}, { token: viewer.accessToken });
      const withJunk = await callRoute(route, {}, { ...call, rawBody: `{${'x'.repeat(70_000)}` });

      // Assess
      expect(withJunk.status).toBe(without.status);
    },
  );

  it.each(named(bodyRoutes))('%s bounds every string and array of its body', async (_name, route) => {
    // Prepare: 60,000 characters still fit in the body cap, so only the field bound can refuse them.
    const admin = await createUser({ role: 'admin' });
    const video = await createVideo(admin);
    const fields = schemaFields(route.options.body);

    // Act
    const responses = [];
    for (const field of fields) {
      const body = { ...validBody(route), [field]: field === 'parts' ? tooManyParts() : 'a'.repeat(60_000) };
      responses.push(
        await callRoute(route, { id: video.id, uploadId: 'u' }, { token: admin.accessToken, body }),
      );
    }

    // Assess
    for (const [index, response] of responses.entries()) {
      expectProblem(response, 400, { slug: 'invalid-request' });
      expect(response.body.errors).toContainEqual({
        path: `body.${fields[index]}`,
        message: expect.any(String),
      });
    }
  });

  it.each(named(queryFieldRoutes))('%s bounds every query parameter', async (_name, route) => {
    // Prepare
    const viewer = await createUser({ role: route.options.roles?.[0] ?? 'viewer' });
    const fields = schemaFields(route.options.query);

    // Act
    const responses = [];
    for (const field of fields) {
      responses.push(
        await callRoute(route, {}, { token: viewer.accessToken, query: { [field]: 'a'.repeat(2_000) } }),
      );
    }

    // Assess
    for (const [index, response] of responses.entries()) {
      expectProblem(response, 400, { slug: 'invalid-request' });
      expect(response.body.errors).toContainEqual({
        path: `query.${fields[index]}`,
        message: expect.any(String),
      });
    }
  });

  it.each(named(parameterRoutes))('%s bounds every path parameter', async (_name, route) => {
    // Prepare
    const admin = await createUser({ role: 'admin' });
    const long = Object.fromEntries(parameterNames(route.path).map((name) => [name, 'a'.repeat(2_000)]));

    // Act
    const response = await callRoute(route, long, { token: admin.accessToken, body: validBody(route) });

    // Assess
    expectProblem(response, 400, { slug: 'invalid-request' });
    for (const name of parameterNames(route.path)) {
      expect(response.body.errors).toContainEqual({ path: `params.${name}`, message: expect.any(String) });
    }
  });
});

/** 10,001 parts: one more than S3 allows, far below the complete route's 1 MiB body cap. */
const tooManyParts = () =>
  Array.from({ length: 10_001 }, (_, index) => ({ PartNumber: index + 1, ETag: '"e"' }));

describe('uploads (API4)', () => {
  it.each([
    {
      case: 'a declared size above the limit',
      change: { sizeBytes: config.maxUploadBytes + 1 },
      status: 413,
    },
    { case: 'a type that is not an accepted video', change: { contentType: 'image/svg+xml' }, status: 415 },
  ])('answers $status for $case, issuing no URL and storing nothing', async ({ change, status }) => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const route = routes.find((candidate) => routeName(candidate) === 'POST /api/v1/videos');
    if (!route) throw new Error('no POST /videos');

    // Act
    const response = await callRoute(
      route,
      {},
      { token: creator.accessToken, body: { ...validBody(route), ...change } },
    );

    // Assess
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(JSON.stringify(response.body)).not.toMatch(/https?:|X-Amz/);
    expect(await sql`select 1 from videos where owner_id = ${creator.id}`).toHaveLength(0);
  });

  it('signs each multipart part URL for at most 15 minutes', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const { video, upload } = await requestUpload<MultipartUpload>(creator, { sizeBytes: 150 * 1024 * 1024 });
    const route = routes.find((candidate) => candidate.path.endsWith('/parts/{partNumber}'));
    if (!route) throw new Error('no part-signing route');

    // Act
    const response = await callRoute(
      route,
      { id: video.id, uploadId: upload.uploadId, partNumber: '3' },
      {
        token: creator.accessToken,
      },
    );

    // Assess
    expect(response.status).toBe(200);
    const url = new URL(response.body.url as string);
    expect(Number(url.searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(15 * 60);
    expect(Date.parse(response.body.expiresAt as string) - Date.now()).toBeLessThanOrEqual(15 * 60 * 1000);
    expect(url.searchParams.get('partNumber')).toBe('3');
  });
});
