import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as listBlocks } from '#functions/blocks/list.ts';
import { handler as fileReport } from '#functions/reports/file.ts';
import { handler as getVideo } from '#functions/videos/get.ts';
import { expectAccessible, launchBrowser, SCREENSHOT_DIR, screenshot } from '../support/browser.ts';
import { createComment } from '../support/comment-calls.ts';
import { createUser, createVideo, type TestUser } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';
import { createPlaylist, storedItems } from '../support/playlist-factories.ts';
import { transcodeFixture } from '../support/transcode-fixtures.ts';
import { uploadVideo } from '../support/upload-factories.ts';
import { startWebStack } from '../support/web-stack.ts';
import { openApp, playFor, signIn } from './steps/app.ts';
import {
  adminRemoves,
  approveComment,
  comment,
  deleteComment,
  editComment,
  expectStoryboardThumbnail,
  pickQuality,
  qualityLevels,
  reply,
  report,
  saveToNewPlaylist,
  setCommentPolicy,
} from './steps/community.ts';

let web: Awaited<ReturnType<typeof startWebStack>>;
let browser: Browser;
let creator: TestUser;
let viewer: TestUser;
let admin: TestUser;
let videoId: string;
let secondVideoId: string;
let playlistId: string;
let page: Page;
const screenshots: string[] = [];
const timings: string[] = [];
const TITLE = 'Lighthouse at low tide';

/** Every new page or state gets an accessibility check and a screenshot. */
async function review(target: Page, name: string) {
  await expectAccessible(target, name);
  screenshots.push(await screenshot(target, name));
}

/** Runs one step of the journey and records how long it took. */
async function step<T>(name: string, run: () => Promise<T>) {
  const started = performance.now();
  const result = await run();
  timings.push(`${name}: ${Math.round(performance.now() - started)} ms`);
  return result;
}

async function signedInPage(user: TestUser, viewport = { width: 1100, height: 800 }) {
  const context = await browser.newContext({ viewport });
  const opened = await context.newPage();
  await signIn(opened, web.url, user);
  return { context, page: opened };
}

const videoAs = (user?: TestUser) =>
  callApi<{ status: string }>(getVideo, {
    path: `/api/v1/videos/${videoId}`,
    pathParameters: { id: videoId },
    token: user?.accessToken,
  });

beforeAll(async () => {
  [web, browser] = await Promise.all([startWebStack(), launchBrowser()]);
  [creator, viewer, admin] = await Promise.all([
    createUser({ role: 'creator', displayName: 'Coastline Studio' }),
    createUser({ role: 'viewer', displayName: 'Robin Viewer' }),
    createUser({ role: 'admin', displayName: 'Ada Admin' }),
  ]);
  videoId = await step('upload and process a 640x360 video', async () =>
    uploadVideo(creator, await transcodeFixture('360p.mp4'), { title: TITLE }),
  );
  const second = await createVideo(creator, { title: 'Harbour cranes' });
  secondVideoId = second.id;
  playlistId = (await createPlaylist(creator, { title: 'Coast picks', videos: [{ id: videoId }, second] }))
    .id;
  ({ page } = await signedInPage(viewer));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await web?.stop();
  console.log(
    `screenshots in ${SCREENSHOT_DIR}:\n${screenshots.join('\n')}\nstep timings:\n${timings.join('\n')}`,
  );
});

describe('the community side of the web app in a real browser, against the real API', () => {
  it('lists the ladder in the quality menu, switches hls.js to a chosen level, and shows storyboard thumbnails on the seek bar', async () => {
    // Act
    await openApp(page, web.url, `/watch/${videoId}`);
    const levels = await step('quality menu', () => qualityLevels(page));
    const high = await step('pick 360p', () => pickQuality(page, 360));
    const low = await step('pick 240p', () => pickQuality(page, 240));
    await step('play', () => playFor(page, 0.3));
    const start = await step('storyboard at the start', () => expectStoryboardThumbnail(page, 0.05));
    const end = await step('storyboard at the end', () => expectStoryboardThumbnail(page, 0.95));
    await review(page, 'watch-player-storyboard');
    await page.getByRole('slider', { name: 'Seek' }).focus();
    await page.keyboard.press('End');
    const seekedTo = await page.evaluate('document.querySelector("video.player").currentTime');

    // Assess: 2 thumbnails of 160 px for 3 s (one every 2 s), from the one sprite the API signed.
    expect(levels).toEqual(['Auto', '240p', '360p']);
    expect([low, high]).toEqual([0, 1]);
    expect(start).toMatchObject({ position: '0px 0px', width: '160px' });
    expect(end).toMatchObject({ position: '-160px 0px', width: '160px' });
    expect(end.image).toBe(start.image);
    expect(start.image).toMatch(/X-Amz-Signature=/);
    expect(seekedTo).toBeGreaterThan(2.5);
  });

  it('posts a comment, shows the creator’s reply from a second browser, keeps markup as text, holds comments the creator reviews, and closes them', async () => {
    // Act
    await openApp(page, web.url, `/watch/${videoId}`);
    const posted = await step('viewer comments', () => comment(page, 'Lovely light <b>here</b>'));
    await step('viewer edits', () => editComment(page, 'Lovely light <b>here</b>, at dawn'));
    const edited = await page.locator('.comment').first().locator('.meta').first().textContent();
    const studio = await signedInPage(creator);
    await openApp(studio.page, web.url, `/watch/${videoId}`);
    await step('creator replies', () => reply(studio.page, 'Robin Viewer', 'Thanks, shot at 6 am'));
    const ownerDeletes = await studio.page
      .getByRole('button', { name: 'Delete the comment by Robin Viewer' })
      .count();
    await step('creator asks for approval', () =>
      setCommentPolicy(studio.page, 'Every comment waits for your review'),
    );

    await openApp(page, web.url, `/watch/${videoId}`);
    await page.getByRole('button', { name: 'View 1 reply' }).click();
    await page.getByText('Thanks, shot at 6 am').waitFor();
    await review(page, 'watch-comments');
    const markup = await page.locator('.comments b').count();
    const heading = await page.locator('#comments-heading').textContent();
    await page.getByLabel('Sort comments').selectOption('oldest');
    await page.getByText('Lovely light <b>here</b>, at dawn').waitFor();
    const held = await step('viewer comments, held', () => comment(page, 'A second look, please'));

    await openApp(studio.page, web.url, `/watch/${videoId}`);
    await studio.page.getByText('Held for review (1)').click();
    await review(studio.page, 'watch-held-comments');
    await step('creator approves', () => approveComment(studio.page, 'Robin Viewer'));
    await step('creator closes comments', () => setCommentPolicy(studio.page, 'Comments turned off'));
    await studio.context.close();

    await openApp(page, web.url, `/watch/${videoId}`);
    await page.getByText('A second look, please').waitFor();
    const closed = await page.getByText('Comments are turned off for this video.').count();
    const forms = await page.getByLabel('Add a comment').count();
    await step('viewer deletes', () => deleteComment(page, 'Lovely light <b>here</b>, at dawn'));
    const afterDelete = await page.locator('#comments-heading').textContent();

    // Assess
    expect(posted).toBe('Your comment is published.');
    expect(ownerDeletes).toBe(1);
    expect(markup).toBe(0);
    expect(heading).toBe('Comments · 2 comments');
    expect(edited).toMatch(/ · edited$/);
    expect(held).toBe('Your comment is held for review: it appears once the channel approves it.');
    expect([closed, forms]).toEqual([1, 0]);
    expect(afterDelete).toBe('Comments · 1 comment');
  });

  it('shows the channel’s playlists, lets its owner reorder one, and saves a video to a new playlist inline', async () => {
    // Act
    await openApp(page, web.url, `/channel/${creator.username}`);
    await page.getByRole('button', { name: 'Block' }).click();
    await page.getByRole('button', { name: 'Blocked' }).waitFor();
    const blocked = await callApi<{ items: { id: string }[] }>(listBlocks, {
      path: '/api/v1/users/me/blocks',
      token: viewer.accessToken,
    });
    await page.getByRole('button', { name: 'Blocked' }).click();
    await page.getByRole('button', { name: 'Block' }).waitFor();
    await page.getByRole('list', { name: 'Playlists' }).getByRole('link', { name: 'Coast picks' }).click();
    await page.getByRole('list', { name: 'Videos in this playlist' }).waitFor();
    await review(page, 'playlist');
    const viewerButtons = await page.getByRole('button', { name: /^Move/ }).count();

    const studio = await signedInPage(creator);
    await openApp(studio.page, web.url, `/playlist/${playlistId}`);
    await step('owner moves a video up', async () => {
      await studio.page.getByRole('button', { name: 'Move up: Harbour cranes' }).click();
      await studio.page.getByText('Harbour cranes moved to position 1.').waitFor();
    });
    await review(studio.page, 'playlist-owner');
    await studio.context.close();

    await openApp(page, web.url, `/watch/${videoId}`);
    await step('viewer saves to a new playlist', () => saveToNewPlaylist(page, 'Watch later'));
    await openApp(page, web.url, `/channel/${viewer.username}`);
    await page.getByRole('list', { name: 'Playlists' }).getByRole('link', { name: 'Watch later' }).waitFor();
    await review(page, 'channel-playlists');

    // Assess
    expect(blocked.body.items.map((user) => user.id)).toEqual([creator.id]);
    expect(viewerButtons).toBe(0);
    expect((await storedItems(playlistId)).map((item) => item.videoId)[1]).toBe(videoId);
  });

  it('lets the creator change the profile and watched words and read who commented, and the viewer unblock from Settings', async () => {
    // Act
    const studio = await signedInPage(creator);
    await openApp(studio.page, web.url, '/settings');
    await step('creator saves the profile', async () => {
      await studio.page.getByLabel('Display name').fill('Coastline Studio North');
      await studio.page.getByLabel('Bio').fill('Tides & <i>light</i>');
      await studio.page.getByRole('button', { name: 'Save profile' }).click();
      await studio.page.getByRole('status').getByText('Profile saved.').waitFor();
    });
    const watchedWords = studio.page.getByLabel('Hold comments on your videos that contain');
    await step('creator saves watched words', async () => {
      await watchedWords.fill('Refund\n  free money \n\nrefund');
      await studio.page.getByRole('button', { name: 'Save watched words' }).click();
      await studio.page.getByRole('status').getByText('Watched words saved: 2.').waitFor();
    });
    const savedWords = await watchedWords.inputValue();
    await review(studio.page, 'settings');
    await openApp(studio.page, web.url, '/notifications');
    const commented = await studio.page
      .getByRole('list', { name: 'Notifications' })
      .getByText(`Robin Viewer commented on ${TITLE}`)
      .count();
    await review(studio.page, 'notifications-comments');
    await studio.context.close();

    await openApp(page, web.url, `/watch/${secondVideoId}`);
    const held = await step('viewer comments a watched word', () => comment(page, 'Can I get a REFUND?'));
    await openApp(page, web.url, `/channel/${creator.username}`);
    await page.getByText('Tides & <i>light</i>').waitFor();
    const channelName = await page.locator('main h1').textContent();
    await page.getByRole('button', { name: 'Block' }).click();
    await page.getByRole('button', { name: 'Blocked' }).waitFor();
    await openApp(page, web.url, '/settings');
    const viewerWatchedWords = await page.getByRole('heading', { name: 'Watched words' }).count();
    await review(page, 'settings-viewer');
    await step('viewer unblocks', async () => {
      await page.getByRole('button', { name: 'Unblock Coastline Studio North' }).click();
      await page.getByRole('status').getByText('Coastline Studio North is unblocked.').waitFor();
    });
    const emptied = await page.getByText('You have not blocked anyone.').count();
    const blocked = await callApi<{ items: { id: string }[] }>(listBlocks, {
      path: '/api/v1/users/me/blocks',
      token: viewer.accessToken,
    });

    // Assess
    expect(savedWords).toBe('refund\nfree money');
    expect(commented).toBeGreaterThan(0);
    expect(held).toBe('Your comment is held for review: it appears once the channel approves it.');
    expect(channelName).toBe('Coastline Studio North');
    expect(viewerWatchedWords).toBe(0);
    expect(emptied).toBe(1);
    expect(blocked.body.items).toEqual([]);
  });

  it('reports the video from a dialog, an admin removes it from the queue, and the watch page then says it is gone', async () => {
    // Act
    await openApp(page, web.url, `/watch/${videoId}`);
    await step('viewer reports', () =>
      report(page, 'Spam or misleading', 'Posted <i>again</i> and again', () =>
        review(page, 'report-dialog'),
      ),
    );
    const focusAfter = await page.evaluate('document.activeElement?.textContent');
    const spam = await createComment(creator, { id: secondVideoId }, { body: 'Cheap <b>pills</b> here' });
    await callApi(fileReport, {
      method: 'POST',
      path: '/api/v1/reports',
      body: { targetType: 'comment', targetId: spam, reason: 'spam' },
      token: viewer.accessToken,
    });
    const admins = await signedInPage(admin);
    let markup = -1;
    let quoted: string | null = null;
    await step('admin removes', () =>
      adminRemoves(admins.page, videoId, async () => {
        await admins.page.getByText('Posted <i>again</i> and again').waitFor();
        await admins.page.getByText(`Comment by @${creator.username} on Harbour cranes`).waitFor();
        quoted = await admins.page.locator('.reported-comment').textContent();
        markup = await admins.page.locator('.reports i, .reports b').count();
        await review(admins.page, 'admin-reports');
      }),
    );
    admins.page.once('dialog', (dialog) => void dialog.accept());
    await admins.page.getByRole('button', { name: `Dismiss: comment ${spam}` }).click();
    await admins.page.getByText('No open reports.').waitFor();
    await admins.context.close();
    await page.reload();
    await page.waitForSelector('body[data-ready="true"] main:not([aria-busy])');
    await page.getByRole('heading', { name: 'Video not available' }).waitFor();
    await review(page, 'watch-removed');

    // Assess
    expect(focusAfter).toBe('Reported');
    expect(markup).toBe(0);
    expect(quoted).toBe('Cheap <b>pills</b> here');
    await expect(videoAs(viewer)).resolves.toMatchObject({ status: 404 });
    await expect(videoAs()).resolves.toMatchObject({ status: 404 });
    await expect(videoAs(creator)).resolves.toMatchObject({ status: 200, body: { status: 'removed' } });
  });
});
