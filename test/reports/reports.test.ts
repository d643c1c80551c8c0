import { describe, expect, it } from 'vitest';
import { handler as refresh } from '#functions/auth/refresh.ts';
import { handler as file } from '#functions/reports/file.ts';
import { handler as list } from '#functions/reports/list.ts';
import { handler as resolve } from '#functions/reports/resolve.ts';
import { handler as subscribeRoute } from '#functions/subscriptions/subscribe.ts';
import { handler as getVideo } from '#functions/videos/get.ts';
import { handler as listVideos } from '#functions/videos/list.ts';
import { handler as updateVideo } from '#functions/videos/update.ts';
import { sql } from '#lib/db.ts';
import { loginAs, registerUser } from '../support/auth-factories.ts';
import { commentCalls as api, createComment } from '../support/comment-calls.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { createUser, createVideo } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';
import { expectMatchesOperation } from '../support/openapi-assert.ts';

type Group = { id: string; targetType: string; targetId: string; reportCount: number; status: string };

const fileReport = (token: string | undefined, body: Record<string, unknown>) =>
  callApi<{ id: string; status: string }>(file, { method: 'POST', path: '/api/v1/reports', body, token });
const reports = (token: string | undefined, query: Record<string, string> = {}) =>
  callApi<{ items: Group[]; nextCursor: string | null }>(list, {
    path: '/api/v1/admin/reports',
    query,
    token,
  });
const resolveReport = (id: string, token: string | undefined, body: Record<string, unknown>) =>
  callApi(resolve, {
    method: 'POST',
    path: `/api/v1/admin/reports/${id}/resolve`,
    pathParameters: { id },
    body,
    token,
  });
const videoAs = (id: string, token?: string) =>
  callApi<{ status: string }>(getVideo, { path: `/api/v1/videos/${id}`, pathParameters: { id }, token });

describe('POST /reports', () => {
  it('files one open report per reporter and target: the second answers the first (200)', async () => {
    // Prepare
    const video = await createVideo(await createUser({ role: 'creator' }));
    const reporter = await createUser();
    const report = { targetType: 'video', targetId: video.id, reason: 'spam', details: ' Links everywhere ' };

    // Act
    const first = await fileReport(reporter.accessToken, report);
    const second = await fileReport(reporter.accessToken, { ...report, reason: 'abuse' });
    const byAnother = await fileReport((await createUser()).accessToken, report);

    // Assess
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ id: expect.any(String), status: 'open' });
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(byAnother.status).toBe(201);
    const stored = await sql`select details from reports where target_id = ${video.id} order by created_at`;
    expect(stored.map((row) => row.details)).toEqual(['Links everywhere', 'Links everywhere']);
  });

  it('refuses what the reporter cannot see (404), themselves (400), bad input (400) and anonymous callers (401)', async () => {
    const owner = await createUser({ role: 'creator' });
    const hidden = await createVideo(owner, { visibility: 'private' });
    const heldComment = await createComment(owner, await createVideo(owner), { status: 'held' });
    const reporter = await createUser();
    const report = (targetType: string, targetId: string) => ({ targetType, targetId, reason: 'spam' });

    expectProblem(await fileReport(reporter.accessToken, report('video', hidden.id)), 404);
    expectProblem(await fileReport(reporter.accessToken, report('comment', heldComment)), 404);
    const unknownUser = await fileReport(reporter.accessToken, report('user', crypto.randomUUID()));
    expectProblem(unknownUser, 404);
    await expectMatchesOperation('POST', '/api/v1/reports', unknownUser);
    expectProblem(await fileReport(reporter.accessToken, report('user', reporter.id)), 400);
    expectProblem(
      await fileReport(reporter.accessToken, { ...report('user', owner.id), reason: 'boring' }),
      400,
    );
    expectProblem(
      await fileReport(reporter.accessToken, { ...report('user', owner.id), details: 'x'.repeat(2001) }),
      400,
    );
    expectProblem(await fileReport(undefined, report('user', owner.id)), 401);
    expect(await sql`select 1 from reports where reporter_id = ${reporter.id}`).toHaveLength(0);
  });
});

describe('GET /admin/reports', () => {
  it('groups reports per target with reportCount, for admins only', async () => {
    // Prepare
    const owner = await createUser({ role: 'creator' });
    const video = await createVideo(owner);
    const comment = await createComment(owner, video);
    for (const reporter of [await createUser(), await createUser()]) {
      await fileReport(reporter.accessToken, { targetType: 'video', targetId: video.id, reason: 'spam' });
    }
    await fileReport((await createUser()).accessToken, {
      targetType: 'comment',
      targetId: comment,
      reason: 'abuse',
    });
    const admin = await createUser({ role: 'admin' });

    // Act
    const queue = await reports(admin.accessToken);

    // Assess
    const mine = queue.body.items.filter((group) => [video.id, comment].includes(group.targetId));
    expect(mine.map((group) => [group.targetType, group.targetId, group.reportCount])).toEqual([
      ['comment', comment, 1],
      ['video', video.id, 2],
    ]);
    expectProblem(await reports(owner.accessToken), 403);
    expectProblem(await reports(undefined), 401);
    expectProblem(await reports(admin.accessToken, { status: 'closed' }), 400);
  });
});

describe('POST /admin/reports/{id}/resolve', () => {
  async function reportedVideo() {
    const owner = await createUser({ role: 'creator' });
    const video = await createVideo(owner);
    const reporters = [await createUser(), await createUser()];
    const filed = [];
    for (const reporter of reporters) {
      filed.push(
        await fileReport(reporter.accessToken, { targetType: 'video', targetId: video.id, reason: 'spam' }),
      );
    }
    return {
      owner,
      video,
      reportId: filed[0]?.body.id as string,
      admin: await createUser({ role: 'admin' }),
    };
  }

  it('dismisses every open report on the target, once (409 after), and only for admins', async () => {
    const { owner, video, reportId, admin } = await reportedVideo();

    expectProblem(await resolveReport(reportId, owner.accessToken, { action: 'dismiss' }), 403);
    expectProblem(await resolveReport(reportId, undefined, { action: 'dismiss' }), 401);
    expectProblem(await resolveReport(reportId, admin.accessToken, { action: 'ban' }), 400);
    expectProblem(await resolveReport(crypto.randomUUID(), admin.accessToken, { action: 'dismiss' }), 404);
    expect(
      (await resolveReport(reportId, admin.accessToken, { action: 'dismiss', note: 'Fine' })).status,
    ).toBe(204);
    expectProblem(await resolveReport(reportId, admin.accessToken, { action: 'dismiss' }), 409);

    const open = await reports(admin.accessToken);
    expect(open.body.items.map((group) => group.targetId)).not.toContain(video.id);
    const dismissed = await reports(admin.accessToken, { status: 'dismissed' });
    expect(dismissed.body.items.map((group) => [group.targetId, group.reportCount])).toContainEqual([
      video.id,
      2,
    ]);
    expect((await videoAs(video.id)).status).toBe(200);
  });

  it('removes a video for everyone but admins; its owner sees it as removed', async () => {
    // Prepare
    const { owner, video, reportId, admin } = await reportedVideo();

    // Act
    const resolved = await resolveReport(reportId, admin.accessToken, { action: 'remove' });

    // Assess
    expect(resolved.status).toBe(204);
    expectProblem(await videoAs(video.id), 404);
    expectProblem(await videoAs(video.id, (await createUser()).accessToken), 404);
    expect((await videoAs(video.id, owner.accessToken)).body.status).toBe('removed');
    expect((await videoAs(video.id, admin.accessToken)).body.status).toBe('removed');
    const catalogue = await callApi<{ items: { id: string }[] }>(listVideos, { path: '/api/v1/videos' });
    expect(catalogue.body.items.map((item) => item.id)).not.toContain(video.id);
    const resolvedQueue = await reports(admin.accessToken, { status: 'resolved' });
    expect(resolvedQueue.body.items.map((group) => group.targetId)).toContain(video.id);
  });

  it('removes a comment for everyone but admins, with the notifications it sent', async () => {
    // Prepare
    const owner = await createUser({ role: 'creator' });
    const video = await createVideo(owner);
    const author = await createUser();
    const posted = await api.post(video.id, author.accessToken, { body: 'Spam' });
    const report = await fileReport(owner.accessToken, {
      targetType: 'comment',
      targetId: posted.body.id,
      reason: 'spam',
    });
    const admin = await createUser({ role: 'admin' });

    // Act
    await resolveReport(report.body.id, admin.accessToken, { action: 'remove' });

    // Assess
    expect((await api.list(video.id)).body.items).toEqual([]);
    expectProblem(await api.replies(posted.body.id, author.accessToken), 404);
    expectProblem(await api.edit(posted.body.id, author.accessToken, { body: 'Not spam' }), 404);
    const removedQueue = await api.list(video.id, admin.accessToken, { status: 'removed' });
    expect(removedQueue.body.items.map((item) => [item.id, item.status])).toEqual([
      [posted.body.id, 'removed'],
    ]);
    expect(await sql`select 1 from notifications where comment_id = ${posted.body.id}`).toHaveLength(0);
    const [counted] = await sql`select comment_count from videos where id = ${video.id}`;
    expect(counted?.commentCount).toBe(0);
  });

  it('refuses to remove a user (400): users are suspended', async () => {
    const target = await createUser();
    const report = await fileReport((await createUser()).accessToken, {
      targetType: 'user',
      targetId: target.id,
      reason: 'abuse',
    });

    const response = await resolveReport(report.body.id, (await createUser({ role: 'admin' })).accessToken, {
      action: 'remove',
    });

    expectProblem(response, 400);
  });

  it('suspends the account behind a report: no sign-in, no refresh, no writes, its videos and comments hidden', async () => {
    // Prepare
    const suspect = await registerUser({ role: 'creator' });
    const video = await createVideo(suspect);
    const otherVideo = await createVideo(await createUser({ role: 'creator' }));
    const spam = await api.post(otherVideo.id, suspect.accessToken, { body: 'Buy followers' });
    const welcome = await createComment(await createUser(), otherVideo);
    const report = await fileReport((await createUser()).accessToken, {
      targetType: 'video',
      targetId: video.id,
      reason: 'spam',
    });
    const admin = await createUser({ role: 'admin' });

    // Act
    const resolved = await resolveReport(report.body.id, admin.accessToken, { action: 'suspend' });

    // Assess
    expect(resolved.status).toBe(204);
    expectProblem(await loginAs(suspect), 401);
    expectProblem(
      await callApi(refresh, {
        method: 'POST',
        path: '/api/v1/auth/refresh',
        body: { refreshToken: suspect.refreshToken },
      }),
      401,
    );
    expectProblem(await api.post(otherVideo.id, suspect.accessToken, { body: 'Still here' }), 401);
    expectProblem(
      await api.post(otherVideo.id, suspect.accessToken, { body: 'Reply', parentId: welcome }),
      401,
    );
    expectProblem(await api.edit(spam.body.id, suspect.accessToken, { body: 'Edited' }), 401);
    expectProblem(
      await callApi(subscribeRoute, {
        method: 'PUT',
        path: `/api/v1/users/${otherVideo.ownerId}/subscription`,
        pathParameters: { idOrUsername: otherVideo.ownerId },
        token: suspect.accessToken,
      }),
      401,
    );
    expectProblem(
      await callApi(updateVideo, {
        method: 'PATCH',
        path: `/api/v1/videos/${video.id}`,
        pathParameters: { id: video.id },
        body: { title: 'Back' },
        token: suspect.accessToken,
      }),
      401,
    );
    expectProblem(await videoAs(video.id), 404);
    expect((await api.list(otherVideo.id)).body.items.map((item) => item.id)).toEqual([welcome]);
    const tokens =
      await sql`select 1 from refresh_tokens where user_id = ${suspect.id} and revoked_at is null`;
    expect(tokens).toHaveLength(0);
  });

  it('never suspends an admin (409)', async () => {
    const otherAdmin = await createUser({ role: 'admin' });
    const report = await fileReport((await createUser()).accessToken, {
      targetType: 'user',
      targetId: otherAdmin.id,
      reason: 'abuse',
    });

    const response = await resolveReport(report.body.id, (await createUser({ role: 'admin' })).accessToken, {
      action: 'suspend',
    });

    expectProblem(response, 409);
    const [stored] = await sql`select suspended_at from users where id = ${otherAdmin.id}`;
    expect(stored?.suspendedAt).toBeNull();
  });
});
