import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { createUser as CreateUser, createVideo as CreateVideo } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';

const WINDOW_SECONDS = 3600;
type Handler = Parameters<typeof callApi>[0];
let post: Handler;
let file: Handler;
let listComments: Handler;
let createUser: typeof CreateUser;
let createVideo: typeof CreateVideo;

beforeAll(async () => {
  // Configuration is read when the stack is imported: set this file's small posting budget first.
  process.env.RATE_LIMIT_POSTS_PER_MINUTE = '3';
  process.env.RATE_LIMIT_WINDOW_SECONDS = String(WINDOW_SECONDS);
  post = (await import('#functions/comments/post.ts')).handler;
  file = (await import('#functions/reports/file.ts')).handler;
  listComments = (await import('#functions/comments/list.ts')).handler;
  ({ createUser, createVideo } = await import('../support/factories.ts'));
});

// A test must not straddle two windows: wait out the last seconds of the current one.
beforeEach(async () => {
  const msLeft = WINDOW_SECONDS * 1000 - (Date.now() % (WINDOW_SECONDS * 1000));
  if (msLeft < 3000) await new Promise((resolve) => setTimeout(resolve, msLeft + 50));
});

describe('the posting budget (comments and reports)', () => {
  it('answers 429 once an account has posted its budget of comments and reports, and counts per account', async () => {
    // Prepare
    const video = await createVideo(await createUser({ role: 'creator' }));
    const [poster, other] = [await createUser(), await createUser()];
    const comment = (token: string) =>
      callApi(post, {
        method: 'POST',
        path: `/api/v1/videos/${video.id}/comments`,
        pathParameters: { id: video.id },
        body: { body: 'Hello' },
        token,
      });
    const report = (token: string) =>
      callApi(file, {
        method: 'POST',
        path: '/api/v1/reports',
        body: { targetType: 'video', targetId: video.id, reason: 'spam' },
        token,
      });

    // Act
    const statuses = [
      (await comment(poster.accessToken)).status,
      (await comment(poster.accessToken)).status,
      (await report(poster.accessToken)).status,
      (await comment(poster.accessToken)).status,
      (await report(poster.accessToken)).status,
    ];
    const otherAccount = await comment(other.accessToken);
    const reading = await callApi(listComments, {
      path: `/api/v1/videos/${video.id}/comments`,
      pathParameters: { id: video.id },
      token: poster.accessToken,
    });

    // Assess
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
    expect(otherAccount.status).toBe(201);
    expect(reading.status).toBe(200);
  });
});
