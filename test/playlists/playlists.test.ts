import { describe, expect, it } from 'vitest';
import { handler as create } from '#functions/playlists/create.ts';
import { handler as remove } from '#functions/playlists/delete.ts';
import { handler as get } from '#functions/playlists/get.ts';
import { handler as list } from '#functions/playlists/list.ts';
import { handler as update } from '#functions/playlists/update.ts';
import { sql } from '#lib/db.ts';
import { PLAYLISTS_PER_HOUR } from '#lib/playlists/playlists.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { createUser, createVideo } from '../support/factories.ts';
import { type ApiResult, callApi } from '../support/lambda.ts';
import { everyPage } from '../support/pages.ts';
import { createPlaylist } from '../support/playlist-factories.ts';

type Body = Record<string, unknown>;
const createAs = (token: string | undefined, body: unknown) =>
  callApi<Body>(create, { method: 'POST', path: '/api/v1/playlists', body, token });
const getAs = (token: string | undefined, id: string) =>
  callApi<Body>(get, { path: `/api/v1/playlists/${id}`, pathParameters: { id }, token });
const editAs = (token: string | undefined, id: string, body: unknown) =>
  callApi<Body>(update, {
    method: 'PATCH',
    path: `/api/v1/playlists/${id}`,
    pathParameters: { id },
    body,
    token,
  });
const deleteAs = (token: string | undefined, id: string) =>
  callApi<Body>(remove, { method: 'DELETE', path: `/api/v1/playlists/${id}`, pathParameters: { id }, token });
const listAs = (token: string | undefined, idOrUsername: string, query: Record<string, string> = {}) =>
  callApi<{ items: Body[]; nextCursor: string | null }>(list, {
    path: `/api/v1/users/${idOrUsername}/playlists`,
    pathParameters: { idOrUsername },
    query,
    token,
  });

describe('POST /playlists', () => {
  it('creates a playlist for any signed-in user, public by default, in the contract shape', async () => {
    // Prepare
    const viewer = await createUser();

    // Act
    const response = await createAs(viewer.accessToken, { title: '  Guitar lessons ' });

    // Assess
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.any(String),
      title: 'Guitar lessons',
      description: '',
      visibility: 'public',
      owner: { id: viewer.id, username: viewer.username, displayName: viewer.displayName },
      videoCount: 0,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const [stored] =
      await sql`select owner_id, title from playlists where id = ${response.body.id as string}`;
    expect(stored).toEqual({ ownerId: viewer.id, title: 'Guitar lessons' });
  });

  it('refuses anonymous callers with 401', async () => {
    // Act
    const response = await createAs(undefined, { title: 'Nope' });

    // Assess
    expectProblem(response, 401);
    expect(await sql`select 1 from playlists where title = 'Nope'`).toHaveLength(0);
  });

  it.each([
    ['an empty title', { title: '   ' }, 'body.title'],
    ['a title over 200 characters', { title: 'x'.repeat(201) }, 'body.title'],
    ['a title with a line break', { title: 'one\ntwo' }, 'body.title'],
    ['a title with a NUL', { title: 'a\u0000b' }, 'body.title'],
    [
      'a description over 5000 characters',
      { title: 'ok', description: 'x'.repeat(5001) },
      'body.description',
    ],
    [
      'a description with a control character',
      { title: 'ok', description: 'bell\u0007' },
      'body.description',
    ],
    ['an unknown visibility', { title: 'ok', visibility: 'secret' }, 'body.visibility'],
    ['an unknown field', { title: 'ok', ownerId: '00000000-0000-4000-8000-000000000000' }, 'body'],
  ])('refuses %s with 400 naming the field', async (_case, body, path) => {
    // Prepare
    const user = await createUser();

    // Act
    const response = await createAs(user.accessToken, body);

    // Assess
    expectProblem(response, 400, { paths: [path] });
  });

  it('keeps plain text as given: markup is stored and answered verbatim, line breaks in a description too', async () => {
    // Prepare
    const user = await createUser();
    const text = { title: '<b>Best</b> & "worst"', description: 'Line one\nLine two\t<script>x</script>' };

    // Act
    const response = await createAs(user.accessToken, text);

    // Assess
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject(text);
  });

  it(`limits each account to ${PLAYLISTS_PER_HOUR} new playlists an hour (429 with Retry-After), not other accounts`, async () => {
    // Prepare
    const [busy, other] = [await createUser(), await createUser()];
    for (let index = 0; index < PLAYLISTS_PER_HOUR; index++) {
      expect((await createAs(busy.accessToken, { title: `List ${index}` })).status).toBe(201);
    }

    // Act
    const refused = await createAs(busy.accessToken, { title: 'One too many' });
    const others = await createAs(other.accessToken, { title: 'Mine' });

    // Assess
    expectProblem(refused, 429, { slug: 'rate-limited' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(others.status).toBe(201);
    const [count] = await sql`select count(*)::int as n from playlists where owner_id = ${busy.id}`;
    expect(count).toEqual({ n: PLAYLISTS_PER_HOUR });
  });
});

describe('GET /playlists/{id}', () => {
  it.each([
    ['public', 200, 200, 200, 200],
    ['unlisted', 200, 200, 200, 200],
    ['private', 404, 404, 200, 200],
  ] as const)(
    'a %s playlist: anonymous %i, another user %i, owner %i, admin %i',
    async (visibility, ...expected) => {
      // Prepare
      const [owner, other, admin] = [
        await createUser(),
        await createUser(),
        await createUser({ role: 'admin' }),
      ];
      const video = await createVideo(owner);
      const playlist = await createPlaylist(owner, { visibility, videos: [video] });

      // Act
      const responses = await Promise.all(
        [undefined, other.accessToken, owner.accessToken, admin.accessToken].map((token) =>
          getAs(token, playlist.id),
        ),
      );

      // Assess
      expect(responses.map((response) => response.status)).toEqual(expected);
      for (const response of responses.filter((response) => response.status === 404)) {
        expectProblem(response, 404, { detail: 'No playlist with this id' });
      }
      expect(responses.find((response) => response.status === 200)?.body).toMatchObject({
        id: playlist.id,
        visibility,
        videoCount: 1,
        owner: { id: owner.id, username: owner.username },
      });
    },
  );

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    // Act
    const unknown = await getAs(undefined, '00000000-0000-4000-8000-000000000000');
    const malformed = await getAs(undefined, 'not-a-uuid');

    // Assess
    expectProblem(unknown, 404);
    expectProblem(malformed, 400, { paths: ['params.id'] });
  });
});

describe('PATCH and DELETE /playlists/{id}', () => {
  it('lets the owner edit title, description and visibility, and moves updatedAt', async () => {
    // Prepare
    const owner = await createUser();
    const created = await createAs(owner.accessToken, { title: 'Before' });
    const id = created.body.id as string;

    // Act
    const response = await editAs(owner.accessToken, id, {
      title: 'After',
      description: 'Now described',
      visibility: 'private',
    });

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      id,
      title: 'After',
      description: 'Now described',
      visibility: 'private',
    });
    expect(Date.parse(response.body.updatedAt as string)).toBeGreaterThan(
      Date.parse(created.body.updatedAt as string),
    );
  });

  it("lets an admin edit and delete anyone's private playlist", async () => {
    // Prepare
    const [owner, admin] = [await createUser(), await createUser({ role: 'admin' })];
    const playlist = await createPlaylist(owner, { visibility: 'private' });

    // Act
    const edited = await editAs(admin.accessToken, playlist.id, { title: 'Moderated' });
    const deleted = await deleteAs(admin.accessToken, playlist.id);

    // Assess
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ title: 'Moderated', owner: { id: owner.id } });
    expect(deleted.status).toBe(204);
    expect(await sql`select 1 from playlists where id = ${playlist.id}`).toHaveLength(0);
  });

  it('answers another user 404 on edit and delete, even of a public playlist, and changes nothing', async () => {
    // Prepare
    const [owner, other] = [await createUser(), await createUser({ role: 'creator' })];
    const playlist = await createPlaylist(owner, { title: 'Mine' });

    // Act
    const edited = await editAs(other.accessToken, playlist.id, { title: 'Yours now' });
    const deleted = await deleteAs(other.accessToken, playlist.id);

    // Assess
    expectProblem(edited, 404, { detail: 'No playlist with this id' });
    expectProblem(deleted, 404, { detail: 'No playlist with this id' });
    expect(await sql`select title from playlists where id = ${playlist.id}`).toEqual([{ title: 'Mine' }]);
  });

  it('deletes the items with the playlist and keeps the videos', async () => {
    // Prepare
    const owner = await createUser();
    const video = await createVideo(owner);
    const playlist = await createPlaylist(owner, { videos: [video] });

    // Act
    const response = await deleteAs(owner.accessToken, playlist.id);

    // Assess
    expect(response.status).toBe(204);
    expect(await sql`select 1 from playlist_items where playlist_id = ${playlist.id}`).toHaveLength(0);
    expect(await sql`select 1 from videos where id = ${video.id}`).toHaveLength(1);
  });

  it.each([
    ['owner', 'ownerId'],
    ['video count', 'videoCount'],
  ])('refuses a change of the %s with 400', async (_name, field) => {
    // Prepare
    const owner = await createUser();
    const playlist = await createPlaylist(owner);

    // Act
    const response = await editAs(owner.accessToken, playlist.id, { [field]: 1 });

    // Assess
    expectProblem(response, 400);
  });
});

describe('GET /users/{idOrUsername}/playlists', () => {
  const titles = (response: ApiResult<{ items: Body[] }>) => response.body.items.map((item) => item.title);

  it('shows others only the public playlists, the owner and admins all of them, newest first', async () => {
    // Prepare
    const [owner, other, admin] = [
      await createUser(),
      await createUser(),
      await createUser({ role: 'admin' }),
    ];
    for (const visibility of ['public', 'unlisted', 'private'] as const) {
      await createPlaylist(owner, { title: visibility, visibility });
    }
    await sql`update playlists set created_at = now() - make_interval(mins => (case title when 'public' then 3 when 'unlisted' then 2 else 1 end)) where owner_id = ${owner.id}`;

    // Act
    const [anonymous, another, own, byAdmin, byName] = await Promise.all([
      listAs(undefined, owner.id),
      listAs(other.accessToken, owner.id),
      listAs(owner.accessToken, owner.id),
      listAs(admin.accessToken, owner.id),
      listAs(undefined, owner.username),
    ]);

    // Assess
    expect(titles(anonymous)).toEqual(['public']);
    expect(titles(another)).toEqual(['public']);
    expect(titles(byName)).toEqual(['public']);
    expect(titles(own)).toEqual(['private', 'unlisted', 'public']);
    expect(titles(byAdmin)).toEqual(['private', 'unlisted', 'public']);
  });

  it('pages through every playlist once, with a cursor', async () => {
    // Prepare
    const owner = await createUser();
    for (let index = 0; index < 5; index++) await createPlaylist(owner, { title: `List ${index}` });

    // Act
    const items = await everyPage((cursor) =>
      listAs(owner.accessToken, owner.username, { limit: '2', ...cursor }),
    );

    // Assess
    expect(items.map((item) => item.title).sort()).toEqual([
      'List 0',
      'List 1',
      'List 2',
      'List 3',
      'List 4',
    ]);
  });

  it('answers 404 for an unknown user and 400 for a forged cursor', async () => {
    // Prepare
    const owner = await createUser();

    // Act
    const unknown = await listAs(undefined, 'nobody_here');
    const forged = await listAs(undefined, owner.id, { cursor: Buffer.from('[1]').toString('base64url') });

    // Assess
    expectProblem(unknown, 404);
    expectProblem(forged, 400, { paths: ['query.cursor'] });
  });
});
