import { describe, expect, it } from 'vitest';
import { sql } from '#lib/db.ts';
import { fanOutPublished } from '#lib/notifications/fan-out.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { createNotification, createUser, createVideo, subscribe } from '../support/factories.ts';
import { validBody } from '../support/fuzz-requests.ts';
import { callRoute, findRoute, routeName, serviceRoutes } from '../support/fuzz-routes.ts';
import { storedDataDigest } from '../support/fuzz-world.ts';
import { type MultipartUpload, requestUpload } from '../support/upload-factories.ts';

const routes = await serviceRoutes();
const route = (name: string) => findRoute(routes, name);
const videoRoutes = routes.filter((candidate) => candidate.path.startsWith('/api/v1/videos/{id}'));
const notificationRoutes = routes.filter((candidate) =>
  candidate.path.startsWith('/api/v1/notifications/{id}'),
);
// Anyone may watch, count a view of, like and comment on a video they can see; every other route on a video is its
// owner's.
const READER_ROUTES = new Set([
  'GET /api/v1/videos/{id}',
  'POST /api/v1/videos/{id}/views',
  'GET /api/v1/videos/{id}/like',
  'PUT /api/v1/videos/{id}/like',
  'DELETE /api/v1/videos/{id}/like',
  'GET /api/v1/videos/{id}/comments',
  'POST /api/v1/videos/{id}/comments',
]);
const ownerRoutes = videoRoutes.filter((candidate) => !READER_ROUTES.has(routeName(candidate)));
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const MULTIPART = { sizeBytes: 150 * 1024 * 1024 };

/** A creator's videos: one ready, one waiting for its multipart upload, both with the given visibility. */
async function videosOf(owner: { id: string; accessToken: string }, visibility: 'public' | 'private') {
  const ready = await createVideo(owner, { visibility });
  const pending = await requestUpload<MultipartUpload>(owner, { ...MULTIPART, visibility });
  return { ready, pending };
}

/** Path values that aim every video route at `videos`: the pending one for multipart routes. */
const aimedAt = (path: string, videos: Awaited<ReturnType<typeof videosOf>>) => ({
  id: path.includes('/multipart/') ? videos.pending.video.id : videos.ready.id,
  uploadId: videos.pending.upload.uploadId,
  partNumber: '1',
});

/**
 * Who tries which route on someone else's video: on a private one, viewers and creators try every video route; on a
 * public one, which anyone may watch and like, a creator tries the owner's routes.
 */
const intrusions = [
  ...videoRoutes.flatMap((candidate) =>
    (['viewer', 'creator'] as const).map(
      (role) => [role, routeName(candidate), 'private', candidate] as const,
    ),
  ),
  ...ownerRoutes.map((candidate) => ['creator', routeName(candidate), 'public', candidate] as const),
];

describe("someone else's video (API1)", () => {
  it.each(intrusions)(
    "as a %s, %s on someone else's %s video answers 404 and changes nothing",
    async (role, _name, visibility, candidate) => {
      // Prepare
      const owner = await createUser({ role: 'creator' });
      const intruder = await createUser({ role });
      const videos = await videosOf(owner, visibility);
      const before = await storedDataDigest();

      // Act
      const response = await callRoute(candidate, aimedAt(candidate.path, videos), {
        token: intruder.accessToken,
        body: validBody(candidate),
      });

      // Assess
      expectProblem(response, 404, { slug: 'not-found' });
      expect(await storedDataDigest()).toBe(before);
    },
  );

  it('checks the owner of the upload row, not the path: a mix of my video and your upload id is a 404', async () => {
    // Prepare
    const victim = await createUser({ role: 'creator' });
    const intruder = await createUser({ role: 'creator' });
    const victims = await requestUpload<MultipartUpload>(victim, MULTIPART);
    const mine = await requestUpload<MultipartUpload>(intruder, MULTIPART);
    const listParts = route('GET /api/v1/videos/{id}/multipart/{uploadId}/parts');
    const abort = route('DELETE /api/v1/videos/{id}/multipart/{uploadId}');

    // Act
    const mixed = [
      { id: mine.video.id, uploadId: victims.upload.uploadId },
      { id: victims.video.id, uploadId: mine.upload.uploadId },
    ];
    const answers = [];
    for (const values of mixed) {
      answers.push(await callRoute(abort, values, { token: intruder.accessToken }));
      answers.push(await callRoute(listParts, values, { token: intruder.accessToken }));
    }

    // Assess
    for (const answer of answers) expectProblem(answer, 404, { slug: 'not-found' });
    const stillThere = await callRoute(
      listParts,
      { id: victims.video.id, uploadId: victims.upload.uploadId },
      {
        token: victim.accessToken,
      },
    );
    expect(stillThere.status).toBe(200);
  });
});

describe('private videos stay private (API1)', () => {
  it('never lists, finds, feeds or announces a private (or unlisted) video, only the public one', async () => {
    // Prepare
    const owner = await createUser({ role: 'creator' });
    const fan = await createUser();
    await subscribe(owner, [fan]);
    const shown = await createVideo(owner, { title: 'Zanzibarian sunset, public' });
    const hidden = [
      await createVideo(owner, { title: 'Zanzibarian sunset, private', visibility: 'private' }),
      await createVideo(owner, { title: 'Zanzibarian sunset, unlisted', visibility: 'unlisted' }),
    ];
    for (const video of [shown, ...hidden]) await fanOutPublished(video.id);
    const reads = [
      ['GET /api/v1/videos', { query: { owner: owner.id } }],
      ['GET /api/v1/videos', { query: { q: 'zanzibarian sunset' } }],
      ['GET /api/v1/feed', { token: fan.accessToken }],
      ['GET /api/v1/notifications', { token: fan.accessToken }],
    ] as const;

    // Act
    const pages = await Promise.all(reads.map(([name, call]) => callRoute(route(name), {}, call)));

    // Assess
    for (const page of pages) {
      expect(page.status).toBe(200);
      const ids = (page.body.items as { id: string; video?: { id: string } }[]).map(
        (item) => item.video?.id ?? item.id,
      );
      expect(ids).toEqual([shown.id]);
    }
  });

  it.each(notificationRoutes.map((candidate) => [routeName(candidate), candidate] as const))(
    "%s on someone else's notification answers 404 and changes nothing",
    async (_name, candidate) => {
      // Prepare
      const owner = await createUser({ role: 'creator' });
      const recipient = await createUser();
      const intruder = await createUser();
      const video = await createVideo(owner);
      const notification = await createNotification(recipient, video);
      const before = await storedDataDigest();

      // Act
      const response = await callRoute(candidate, { id: notification }, { token: intruder.accessToken });

      // Assess
      expectProblem(response, 404, { slug: 'not-found' });
      expect(await storedDataDigest()).toBe(before);
    },
  );
});

describe('storage keys and ids (API1)', () => {
  it("builds the storage key from the caller and a new id: a file name cannot reach another user's object", async () => {
    // Prepare
    const victim = await createUser({ role: 'creator' });
    const victimVideo = await createVideo(victim);
    const creator = await createUser({ role: 'creator' });
    const fileName = `../../${victimVideo.storageKey}`;

    // Act
    const single = await requestUpload(creator, { sizeBytes: 17_834, fileName });
    const multipart = await requestUpload<MultipartUpload>(creator, { ...MULTIPART, fileName });
    const forged = new URL(single.upload.url);
    forged.pathname = forged.pathname.replace(/uploads\/.*$/, victimVideo.storageKey);
    const overwrite = await fetch(forged, {
      method: 'PUT',
      headers: { 'content-type': 'video/mp4' },
      body: 'x',
    });

    // Assess
    const keys = await sql<{ id: string; storageKey: string }[]>`
      select id, storage_key from videos where owner_id = ${creator.id}
    `;
    expect(keys).toHaveLength(2);
    for (const { id, storageKey } of keys) {
      expect(storageKey).toMatch(new RegExp(`^uploads/${creator.id}/${id}/[^/]+$`));
      expect(storageKey).not.toContain('..');
    }
    expect(decodeURIComponent(new URL(single.upload.url).pathname)).toContain(
      `uploads/${creator.id}/${single.video.id}/`,
    );
    expect(multipart.upload.key).toMatch(new RegExp(`^uploads/${creator.id}/${multipart.video.id}/`));
    expect(overwrite.status).toBe(403);
  });

  it('gives users, videos and notifications random (version 4) UUIDs', async () => {
    // Prepare
    const creator = await createUser({ role: 'creator' });
    const fan = await createUser();
    await subscribe(creator, [fan]);

    // Act
    const first = await requestUpload(creator, { sizeBytes: 17_834 });
    const second = await requestUpload(creator, { sizeBytes: 17_834 });
    const register = await callRoute(
      route('POST /api/v1/auth/register'),
      {},
      {
        body: { email: 'uuid@example.test', username: 'uuid_check', password: 'long enough password' },
      },
    );
    await sql`update videos set status = 'ready', published_at = now() where id = ${first.video.id}`;
    await fanOutPublished(first.video.id);

    // Assess
    const [notification] = await sql<
      { id: string }[]
    >`select id from notifications where video_id = ${first.video.id}`;
    const ids = [
      first.video.id,
      second.video.id,
      (register.body.user as { id: string }).id,
      notification?.id,
    ];
    for (const id of ids) expect(id).toMatch(UUID_V4);
    expect(first.video.id).not.toBe(second.video.id);
  });
});
