import { describe, expect, it } from 'vitest';
import { handler as feed } from '#functions/feed/get.ts';
import { feedPageQuery, recentFeedPageQuery } from '#lib/feed/feed.ts';
import { decodeCursor, TimeCursor } from '#lib/pagination.ts';
import { toVideoPage } from '#lib/videos/video-page.ts';
import { createUser, createVideo, subscribe } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';
import { everyPage, instants } from '../support/pages.ts';

type FeedBody = { items: { id: string }[]; nextCursor: string | null };

type FeedQuery = typeof feedPageQuery;

/** Every page of one of the feed's two ways to a page, followed through its cursors. */
async function pagesOf(query: FeedQuery, userId: string) {
  const ids: string[] = [];
  let after: ReturnType<typeof decodeCursor<typeof TimeCursor>>;
  for (;;) {
    const page = toVideoPage(await query({ userId, limit: 2, after }), 2);
    ids.push(...page.items.map((video) => video.id));
    if (!page.nextCursor) return ids;
    after = decodeCursor(page.nextCursor, TimeCursor);
  }
}

/** Six channels: the prolific one holds the two newest videos and most of the rest, the others one each. */
async function viewerOfSixChannels() {
  const viewer = await createUser();
  const channels = [];
  for (let index = 0; index < 6; index++) channels.push(await createUser({ role: 'creator' }));
  for (const channel of channels) await subscribe(channel, [viewer]);
  const owners = [0, 0, 1, 0, 2, 3, 0, 0, 4, 5, 0, 0];
  const expected = [];
  for (const [index, publishedAt] of instants(owners.length).entries()) {
    const owner = channels[owners[index] ?? 0] as { id: string };
    expected.push(await createVideo(owner, { publishedAt }));
  }
  return { viewer, expected };
}

describe('GET /feed over more channels than a page holds', () => {
  it('serves every video once, newest first, when one channel publishes most of them', async () => {
    // Prepare
    const { viewer, expected } = await viewerOfSixChannels();

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

  it.each([
    ['each channel down to the bound', feedPageQuery],
    ['the newest videos of the catalogue', recentFeedPageQuery],
  ])('pages the same videos through %s', async (_, query) => {
    // Prepare
    const { viewer, expected } = await viewerOfSixChannels();

    // Act
    const served = await pagesOf(query, viewer.id);

    // Assess
    expect(served).toEqual(expected.map((video) => video.id));
  });
});
