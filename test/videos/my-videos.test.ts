import { describe, expect, it } from 'vitest';
import { handler as listMineHandler } from '#functions/videos/list-mine.ts';
import { sql } from '#lib/db.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { createUser, createVideo, type TestUser } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';
import { expectMatchesOperation } from '../support/openapi-assert.ts';

interface Listed {
  items: { id: string; status: string; visibility: string; [field: string]: unknown }[];
  nextCursor: string | null;
}

const listMine = (caller: { accessToken?: string }, query?: Record<string, string>) =>
  callApi<Listed>(listMineHandler, {
    path: '/api/v1/users/me/videos',
    ...(query ? { query } : {}),
    ...(caller.accessToken ? { token: caller.accessToken } : {}),
  });

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

/** One video of every status and visibility, oldest first. */
async function everyKindOfVideo(owner: TestUser) {
  const ready = await createVideo(owner, { createdAt: minutesAgo(6) });
  const privateReady = await createVideo(owner, { visibility: 'private', createdAt: minutesAgo(5) });
  const unlisted = await createVideo(owner, { visibility: 'unlisted', createdAt: minutesAgo(4) });
  const rejected = await createVideo(owner, {
    status: 'rejected',
    rejectionReason: 'unsupported_codec',
    createdAt: minutesAgo(3),
  });
  const processing = await createVideo(owner, { status: 'processing', createdAt: minutesAgo(2) });
  const processingState = {
    stage: 'transcoding',
    percent: 40,
    etaSeconds: 12,
    renditions: [{ height: 240, status: 'ready' }],
  };
  await sql`update videos set processing = ${sql.json(processingState)} where id = ${processing.id}`;
  const removed = await createVideo(owner, { createdAt: minutesAgo(1) });
  await sql`update videos set status = 'removed' where id = ${removed.id}`;
  const awaiting = await createVideo(owner, { status: 'awaiting_upload', createdAt: new Date() });
  return { ready, privateReady, unlisted, rejected, processing, processingState, removed, awaiting };
}

describe('GET /users/me/videos', () => {
  it('lists every own video of every visibility and status, newest first, as the contract’s video', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const videos = await everyKindOfVideo(creator);
    await createVideo(await createUser({ role: 'creator' }));

    // Act
    const response = await listMine(creator);

    // Assess
    expect(response.status).toBe(200);
    expect(response.body.items.map((video) => [video.id, video.status, video.visibility])).toEqual([
      [videos.awaiting.id, 'awaiting_upload', 'public'],
      [videos.removed.id, 'removed', 'public'],
      [videos.processing.id, 'processing', 'public'],
      [videos.rejected.id, 'rejected', 'public'],
      [videos.unlisted.id, 'ready', 'unlisted'],
      [videos.privateReady.id, 'ready', 'private'],
      [videos.ready.id, 'ready', 'public'],
    ]);
    expect(response.body.items[2]?.processing).toEqual(videos.processingState);
    expect(response.body.items[3]?.rejectionReason).toBe('unsupported_codec');
    expect(response.body.items[6]).toMatchObject({
      owner: { id: creator.id, username: creator.username },
      thumbnailUrl: expect.any(String),
    });
    expect(response.body.nextCursor).toBeNull();
    await expectMatchesOperation('GET', '/api/v1/users/me/videos', response);
  });

  it('narrows the list to one status', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const videos = await everyKindOfVideo(creator);

    // Act
    const response = await listMine(creator, { status: 'processing' });

    // Assess
    expect(response.body.items.map((video) => video.id)).toEqual([videos.processing.id]);
  });

  it('pages with a keyset cursor, in the same order, without repeating or skipping a video', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const sameTime = new Date();
    const created = await Promise.all(
      [0, 1, 2, 3, 4].map(() => createVideo(creator, { status: 'processing', createdAt: sameTime })),
    );

    // Act
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listMine>> = await listMine(creator, {
        limit: '2',
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...page.body.items.map((video) => video.id));
      cursor = page.body.nextCursor;
    } while (cursor);

    // Assess
    expect(seen).toEqual(
      created
        .map((video) => video.id)
        .sort()
        .reverse(),
    );
  });

  it('shows an admin and another creator only their own videos, never someone else’s', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    await everyKindOfVideo(creator);
    const admin = await createUser({ role: 'admin' });
    const other = await createUser({ role: 'creator' });
    const own = await createVideo(other, { visibility: 'private' });

    // Act
    const asAdmin = await listMine(admin);
    const asOther = await listMine(other);

    // Assess
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body.items).toEqual([]);
    expect(asOther.body.items.map((video) => video.id)).toEqual([own.id]);
  });

  it('answers 401 to an anonymous caller', async () => {
    // Act
    const response = await listMine({});

    // Assess
    expectProblem(response, 401);
  });

  it.each([
    ['an unknown status', { status: 'deleted' }, 'query.status'],
    ['a forged cursor', { cursor: 'bm90LWEtY3Vyc29y' }, 'query.cursor'],
    ['a limit above 100', { limit: '101' }, 'query.limit'],
  ])('answers 400 for %s', async (_, query, path) => {
    // Prepare
    const creator = await createUser({ role: 'creator' });

    // Act
    const response = await listMine(creator, query);

    // Assess
    expectProblem(response, 400);
    expect(JSON.stringify(response.body)).toContain(path);
  });
});
