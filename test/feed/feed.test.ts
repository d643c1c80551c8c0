import { describe, expect, it } from 'vitest';
import { handler as feed } from '#functions/feed/get.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { createUser, createVideo, subscribe } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';
import { everyPage, instants } from '../support/pages.ts';

type FeedBody = { items: { id: string; owner: { id: string } }[]; nextCursor: string | null };

const feedOf = (token: string | undefined, query: Record<string, string> = {}) =>
  callApi<FeedBody>(feed, { path: '/api/v1/feed', query, token });
const ids = (items: { id: string }[]) => items.map((item) => item.id);

describe('GET /feed', () => {
  it("shows the public ready videos of the caller's channels only, newest first", async () => {
    // Prepare
    const viewer = await createUser();
    const [followed, other, another] = [
      await createUser({ role: 'creator' }),
      await createUser({ role: 'creator' }),
      await createUser({ role: 'creator' }),
    ];
    await subscribe(followed, [viewer]);
    await subscribe(another, [viewer]);
    const [t1, t2, t3, t4] = instants(4);
    const first = await createVideo(followed, { publishedAt: t3 });
    const second = await createVideo(another, { publishedAt: t2 });
    const third = await createVideo(followed, { publishedAt: t1 });
    await createVideo(other, { publishedAt: t1 });
    await createVideo(followed, { visibility: 'private', publishedAt: t1 });
    await createVideo(followed, { visibility: 'unlisted', publishedAt: t1 });
    await createVideo(another, { status: 'processing', createdAt: t4 });

    // Act
    const response = await feedOf(viewer.accessToken);

    // Assess
    expect(response.status).toBe(200);
    expect(ids(response.body.items)).toEqual([third.id, second.id, first.id]);
    expect(response.body.nextCursor).toBeNull();
  });

  it('pages across channels without duplicates or gaps while channels keep publishing', async () => {
    // Prepare
    const viewer = await createUser();
    const channels = [
      await createUser({ role: 'creator' }),
      await createUser({ role: 'creator' }),
      await createUser({ role: 'creator' }),
    ];
    for (const channel of channels) await subscribe(channel, [viewer]);
    const expected = [];
    for (const [index, publishedAt] of instants(8).entries()) {
      expected.push(await createVideo(channels[index % 3] as { id: string }, { publishedAt }));
    }

    // Act
    const served = await everyPage(
      (cursor) => feedOf(viewer.accessToken, { limit: '3', ...cursor }),
      () => createVideo(channels[0] as { id: string }),
    );

    // Assess
    expect(ids(served)).toEqual(ids(expected));
  });

  it('is empty for a user who subscribes to nobody', async () => {
    // Prepare
    const viewer = await createUser();
    await createVideo(await createUser({ role: 'creator' }));

    // Act
    const response = await feedOf(viewer.accessToken);

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ items: [], nextCursor: null });
  });

  it('requires a signed-in caller', async () => {
    // Act
    const response = await feedOf(undefined);

    // Assess
    expectProblem(response, 401, { slug: 'unauthorized' });
  });

  it('rejects a limit above 100 with 400', async () => {
    // Prepare
    const viewer = await createUser();

    // Act
    const response = await feedOf(viewer.accessToken, { limit: '101' });

    // Assess
    expectProblem(response, 400, { paths: ['query.limit'] });
  });
});
