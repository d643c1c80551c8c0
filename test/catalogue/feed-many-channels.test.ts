import { describe, expect, it } from 'vitest';
import { handler as feed } from '../../functions/feed/get.ts';
import { everyPage, instants, subscribeTo } from '../support/catalogue-factories.ts';
import { createUser, createVideo } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';

type FeedBody = { items: { id: string }[]; nextCursor: string | null };

describe('GET /feed over more channels than a page holds', () => {
  it('serves every video once, newest first, when one channel publishes most of them', async () => {
    // Prepare
    const viewer = await createUser();
    const channels = [];
    for (let index = 0; index < 6; index++) channels.push(await createUser({ role: 'creator' }));
    for (const channel of channels) await subscribeTo(viewer, channel);
    // The prolific channel holds the two newest videos and most of the rest; the others one video each.
    const owners = [0, 0, 1, 0, 2, 3, 0, 0, 4, 5, 0, 0];
    const expected = [];
    for (const [index, publishedAt] of instants(owners.length).entries()) {
      const owner = channels[owners[index] ?? 0] as { id: string };
      expected.push(await createVideo(owner, { publishedAt }));
    }

    // Act
    const served = await everyPage((cursor) =>
      callApi<FeedBody>(feed, {
        path: '/api/v1/feed',
        query: { limit: '2', ...cursor },
        token: viewer.accessToken,
      }),
    );

    // Assess
    expect(served.map((video) => video.id)).toEqual(expected.map((video) => video.id));
  });
});
