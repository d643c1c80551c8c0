import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { sql } from '#lib/db.ts';
import { recordVideoProgress } from '#lib/media/video-progress.ts';
import { expectAccessible, launchBrowser, SCREENSHOT_DIR, screenshot } from '../support/browser.ts';
import { createUser, createVideo, type TestUser } from '../support/factories.ts';
import { padBeforeMoov } from '../support/media-fixtures.ts';
import { transcodeFixture } from '../support/transcode-fixtures.ts';
import { storedVideo } from '../support/video-rows.ts';
import { startWebStack } from '../support/web-stack.ts';
import { openApp, signIn } from './steps/app.ts';
import { adminRemoves, comment, reply, report } from './steps/community.ts';
import {
  expectBellUpdatesLive,
  expectHlsPlays,
  recordSocketMessages,
  type ShownProgress,
  type SocketMessage,
  signUp,
  uploadThroughDashboard,
  waitForLiveProcessing,
  watchProcessingBars,
} from './steps/creator.ts';

// The ingest and media pipeline run in this process: their pushes go to the web stack's WebSocket server.
const websocketPort = await vi.hoisted(async () =>
  (await import('../support/realtime.ts')).useWebSocketPort(),
);

const MiB = 1024 * 1024;
/** Above the multipart threshold (100 MiB): 13 parts of 8 MiB. */
const BIG_BYTES = 101 * MiB;

let web: Awaited<ReturnType<typeof startWebStack>>;
let browser: Browser;
let mediaDir: string;
let smallPath: string;
let bigPath: string;
let studio: BrowserContext;
let creatorPage: Page;
let creatorMessages: SocketMessage[];
let fan: TestUser;
let fanPage: Page;
let fanMessages: SocketMessage[];
const fanSockets: string[] = [];
const videoRequests: string[] = [];
const uploaded: { small?: string; big?: string } = {};
const stamp = Date.now().toString(36);
const creator = {
  email: `maker_${stamp}@example.test`,
  username: `maker_${stamp}`,
  password: 'a creator password',
};
const screenshots: string[] = [];
const timings: string[] = [];

/** The part of an HTMLVideoElement the test uses (the test code is type-checked without the DOM's types). */
interface SeekableVideo {
  currentTime: number;
  readyState: number;
  addEventListener(type: string, listener: () => void, options: { once: boolean }): void;
}

/** Runs one step and notes how long it took. */
async function timed<T>(name: string, step: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await step();
  } finally {
    timings.push(`${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

/** Every new page and state gets an accessibility check and a screenshot. */
async function review(target: Page, name: string) {
  await expectAccessible(target, name);
  screenshots.push(await screenshot(target, name));
}

/** The states a bar showed after its first one that a `video.updated` message of the socket carried. */
function intermediateFromSocket(shown: ShownProgress[], videoId: string) {
  return shown
    .slice(1)
    .filter(
      (state) =>
        state.status === 'processing' &&
        state.stage !== '' &&
        creatorMessages.some(
          (message) =>
            message.type === 'video.updated' &&
            message.video?.id === videoId &&
            message.video.processing?.stage === state.stage &&
            String(message.video.processing.percent) === state.percent,
        ),
    );
}

beforeAll(async () => {
  [web, browser] = await Promise.all([startWebStack({ websocketPort }), launchBrowser()]);
  // Real media made by ffmpeg now; the big file is the same video padded past the multipart threshold.
  const small = await transcodeFixture('landscape.mp4');
  mediaDir = await mkdtemp(join(tmpdir(), 'clipiq-creator-'));
  smallPath = join(mediaDir, 'harbour-small.mp4');
  bigPath = join(mediaDir, 'harbour-big.mp4');
  await writeFile(smallPath, small);
  await writeFile(bigPath, padBeforeMoov(small, BIG_BYTES - small.byteLength));

  studio = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  creatorPage = await studio.newPage();
  creatorMessages = recordSocketMessages(creatorPage);
  await watchProcessingBars(creatorPage);
  creatorPage.on('request', (request) => {
    if (request.method() === 'GET' && /\/api\/v1\/videos\/[^/?]+$/.test(new URL(request.url()).pathname))
      videoRequests.push(request.url());
  });
  fan = await createUser({ role: 'viewer', displayName: 'Harbour Fan' });
  // The fan's bell would poll only once an hour: only the WebSocket can move it during this test.
  const fanContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
  await fanContext.route('**/config.js', (route) =>
    route.fulfill({
      contentType: 'text/javascript',
      body: `window.CLIPIQ_CONFIG = ${JSON.stringify({ apiBaseUrl: web.apiBaseUrl, notificationsPollSeconds: 3600 })};`,
    }),
  );
  fanPage = await fanContext.newPage();
  fanMessages = recordSocketMessages(fanPage);
  fanPage.on('websocket', (socket) => fanSockets.push(socket.url()));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await web?.stop();
  if (mediaDir) await rm(mediaDir, { recursive: true, force: true });
  const note = `screenshots in ${SCREENSHOT_DIR}:\n${screenshots.join('\n')}\nstep timings:\n${timings.join('\n')}\n`;
  // Straight to the output (vitest keeps the console of a passing file quiet), and beside the screenshots.
  process.stdout.write(note);
  await writeFile(join(SCREENSHOT_DIR, 'creator-journey.txt'), note);
});

describe('the creator side of the web app in a real browser, against the real API', () => {
  it('signs up a creator, and a subscriber follows the new channel', async () => {
    // Act
    await timed('creator signs up', () => signUp(creatorPage, web, creator, { creator: true }));
    await timed('subscriber signs in and subscribes', async () => {
      await signIn(fanPage, web.url, fan);
      await openApp(fanPage, web.url, `/channel/${creator.username}`);
      await fanPage.getByRole('button', { name: 'Subscribe' }).click();
      await fanPage.getByRole('button', { name: 'Subscribed' }).waitFor();
    });

    // Assess
    await expect(fanPage.getByRole('link', { name: 'Notifications', exact: true }).count()).resolves.toBe(1);
    await openApp(creatorPage, web.url, '/upload');
    await creatorPage.locator('.uppy-Dashboard').waitFor();
    await review(creatorPage, 'upload');
  });

  it('uploads a small file through the Dashboard, then shows its processing live over the WebSocket', async () => {
    // Act
    const result = await timed('small upload', () =>
      uploadThroughDashboard(creatorPage, web, {
        path: smallPath,
        title: 'Harbour small clip',
        titleIn: 'file',
        onFileCard: () => review(creatorPage, 'upload-file-title'),
      }),
    );
    uploaded.small = result.videoId;
    await creatorPage.locator('.processing').first().waitFor();
    await review(creatorPage, 'upload-processing');
    const shown = await timed('small processing', () => waitForLiveProcessing(creatorPage, result.videoId));
    await review(creatorPage, 'upload-ready');

    // Assess: after the one read when the upload finished, every change came over the socket
    expect(videoRequests.filter((url) => url.includes(result.videoId))).toHaveLength(1);
    expect(shown.at(-1)).toMatchObject({ status: 'ready' });
    expect(intermediateFromSocket(shown, result.videoId).length, JSON.stringify(shown)).toBeGreaterThan(0);
  }, 120_000);

  it('uploads a file over 100 MiB in parts, resumes it after a reload without sending stored parts again', async () => {
    // Act
    const result = await timed('big upload with a reload', () =>
      uploadThroughDashboard(creatorPage, web, {
        path: bigPath,
        title: 'Harbour big clip',
        reloadAfterParts: 3,
      }),
    );
    uploaded.big = result.videoId;
    const shown = await timed('big processing', () => waitForLiveProcessing(creatorPage, result.videoId));

    // Assess
    expect(result.partsBeforeReload.length).toBeGreaterThanOrEqual(3);
    expect(result.listedPartsAfterReload).toBe(true);
    expect(result.partsAfterReload.filter((part) => result.partsBeforeReload.includes(part))).toEqual([]);
    expect(
      [...new Set([...result.partsBeforeReload, ...result.partsAfterReload])].sort((a, b) => a - b),
    ).toEqual(Array.from({ length: 13 }, (_, index) => index + 1));
    expect(await storedVideo(result.videoId)).toMatchObject({ status: 'ready', sizeBytes: BIG_BYTES });
    expect(shown.at(-1)).toMatchObject({ status: 'ready' });
  }, 120_000);

  it('plays the new video’s HLS ladder on the watch page', async () => {
    // Act
    await timed('HLS playback', () => expectHlsPlays(creatorPage, web, uploaded.small ?? ''));

    // Assess
    await review(creatorPage, 'watch-own-video');
  });

  it('moves the subscriber’s bell live, over the WebSocket, when the videos turn ready', async () => {
    // Act
    await timed('bell', () => expectBellUpdatesLive(fanPage, 2));

    // Assess
    const published = fanMessages.filter((message) => message.type === 'notification');
    expect(published.map((message) => message.notification?.video?.id).sort()).toEqual(
      [uploaded.small, uploaded.big].sort(),
    );
    await review(fanPage, 'bell-live');
  }, 120_000);

  it('reconnects when the server drops the socket, and catches up on what was missed meanwhile', async () => {
    // Prepare
    const [connection] = await sql<{ connectionId: string }[]>`
      select connection_id from realtime_connections where user_id = ${fan.id} order by connected_at desc limit 1
    `;
    const socketsBefore = fanSockets.length;
    const [owner] = await sql<{ id: string }[]>`select id from users where username = ${creator.username}`;
    const missed = await createVideo({ id: owner?.id ?? '' }, { title: 'Harbour, missed' });

    // Act: the server closes the fan's connection (as API Gateway does after 2 hours); a notification is stored
    // that no socket carries
    const dropped = await fetch(
      `http://127.0.0.1:${websocketPort}/@connections/${connection?.connectionId}`,
      {
        method: 'DELETE',
      },
    );
    await sql`
      insert into notifications (recipient_id, type, video_id, actor_id)
      values (${fan.id}, 'video.published', ${missed.id}, ${owner?.id ?? ''})
    `;
    await timed('reconnect', () =>
      expect.poll(() => fanSockets.length, { timeout: 10_000 }).toBe(socketsBefore + 1),
    );
    await timed('bell after a reconnect', () => expectBellUpdatesLive(fanPage, 3));

    // Assess
    expect(dropped.status).toBe(204);
  });

  it('polls the unread count instead while no WebSocket can open', async () => {
    // Prepare: a reader whose ticket requests fail, and whose bell polls every second
    const reader = await createUser({ role: 'viewer' });
    const context = await browser.newContext();
    await context.route('**/config.js', (route) =>
      route.fulfill({
        contentType: 'text/javascript',
        body: `window.CLIPIQ_CONFIG = ${JSON.stringify({ apiBaseUrl: web.apiBaseUrl, notificationsPollSeconds: 1 })};`,
      }),
    );
    await context.route('**/realtime/tickets', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503 }),
      }),
    );
    const page = await context.newPage();
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));
    await signIn(page, web.url, reader);

    // Act: a notification arrives while no socket is open
    await sql`
      insert into notifications (recipient_id, type, video_id, actor_id)
      select ${reader.id}, 'video.published', v.id, v.owner_id from videos v where v.id = ${uploaded.small ?? ''}
    `;
    await timed('bell by polling', () => expectBellUpdatesLive(page, 1));

    // Assess
    expect(sockets).toEqual([]);
    await context.close();
  });

  it('lists the creator’s videos on My videos and recuts the poster from the frame chosen in the player', async () => {
    // Prepare
    await openApp(creatorPage, web.url, '/my-videos');
    const row = creatorPage.locator(`[data-video-id="${uploaded.small}"]`);
    await review(creatorPage, 'my-videos');

    // Act
    await row.getByText('Choose the poster').click();
    const player = row.locator('video');
    // What a viewer does with the player's scrub bar: move to 1.5 s, then wait for that frame.
    await player.evaluate((video: SeekableVideo) => {
      const { promise, resolve } = Promise.withResolvers<void>();
      video.addEventListener('seeked', () => resolve(), { once: true });
      const seek = () => {
        video.currentTime = 1.5;
      };
      if (video.readyState >= 1) seek();
      else video.addEventListener('loadedmetadata', seek, { once: true });
      return promise;
    });
    await review(creatorPage, 'my-videos-poster-picker');
    await row.getByRole('button', { name: 'Use this frame' }).click();
    const done = row.getByText(/^The poster is now the frame at/);
    await timed('poster recut', () => done.waitFor({ timeout: 60_000 }));

    // Assess: the frame the player showed is the one the poster is cut from
    const chosen = Number(/at ([\d.]+) s/.exec((await done.textContent()) ?? '')?.[1]);
    expect(chosen).toBeCloseTo(1.5, 1);
    const [video] = await sql<{ posterAtSeconds: number }[]>`
      select poster_at_seconds::float8 as poster_at_seconds from videos where id = ${uploaded.small ?? ''}
    `;
    expect(video?.posterAtSeconds).toBe(chosen);
    // The new poster's URL is set when the pipeline reports it; the browser then loads it.
    await expect
      .poll(() =>
        row
          .locator('img.poster')
          .evaluate(
            (image: { complete: boolean; naturalWidth: number }) => image.complete && image.naturalWidth > 0,
          ),
      )
      .toBe(true);
  }, 120_000);
  it('shows the owner a video still processing on its watch page, and moves its bar live', async () => {
    // Prepare
    const [owner] = await sql<{ id: string }[]>`select id from users where username = ${creator.username}`;
    const video = await createVideo(
      { id: owner?.id ?? '' },
      { status: 'processing', title: 'Harbour, processing' },
    );
    await openApp(creatorPage, web.url, `/watch/${video.id}`);
    const bar = creatorPage.locator('.processing');
    await bar.waitFor();
    const before = await bar.getAttribute('data-status');
    await review(creatorPage, 'watch-processing');

    // Act: the pipeline gives up on it
    await recordVideoProgress(video.id, { rejectedAs: 'processing_failed' });

    // Assess
    expect(before).toBe('processing');
    await expect.poll(() => bar.getAttribute('data-status'), { timeout: 10_000 }).toBe('rejected');
    await expect(bar.getByRole('status').textContent()).resolves.toBe('Rejected (processing failed)');
  });

  it('carries on as a community: the subscriber comments, the creator replies, the subscriber reports the video and an admin removes it', async () => {
    // Prepare
    const videoId = uploaded.small ?? '';
    const admin = await createUser({ role: 'admin' });
    const adminContext = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    const adminPage = await adminContext.newPage();
    await signIn(adminPage, web.url, admin);

    // Act
    await openApp(fanPage, web.url, `/watch/${videoId}`);
    const posted = await timed('subscriber comments', () => comment(fanPage, 'What a harbour!'));
    await openApp(creatorPage, web.url, `/watch/${videoId}`);
    await timed('creator replies', () => reply(creatorPage, 'Harbour Fan', 'Thanks for watching'));
    await review(creatorPage, 'watch-comment-and-reply');
    await openApp(fanPage, web.url, `/watch/${videoId}`);
    await fanPage
      .getByRole('button', { name: /^View 1 reply/ })
      .first()
      .click();
    await fanPage.getByText('Thanks for watching').waitFor();
    await timed('subscriber reports', () => report(fanPage, 'Spam or misleading', 'Seen it twice'));
    await timed('admin removes', () =>
      adminRemoves(adminPage, videoId, () => review(adminPage, 'admin-reports-queue')),
    );
    await openApp(fanPage, web.url, `/watch/${videoId}`);
    await fanPage.getByRole('heading', { name: 'Video not available' }).waitFor();
    await review(fanPage, 'watch-removed-for-subscriber');
    await adminContext.close();

    // Assess
    expect(posted).toBe('Your comment is published.');
    expect(await storedVideo(videoId)).toMatchObject({ status: 'removed' });
  }, 120_000);
});
