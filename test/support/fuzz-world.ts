import fc from 'fast-check';
import { SignJWT, UnsecuredJWT } from 'jose';
import { sql } from '#lib/db.ts';
import { createComment } from './comment-calls.ts';
import { createNotification, createUser, createVideo, KNOWN_PASSWORD, subscribe } from './factories.ts';
import { hostileString } from './fuzz-inputs.ts';
import { createPlaylist } from './playlist-factories.ts';
import { type MultipartUpload, requestUpload } from './upload-factories.ts';

/** A value each field of our request bodies and query strings accepts, by field name. */
export const VALID_FIELD_VALUES: Readonly<Record<string, unknown>> = {
  title: 'A fuzzed title',
  description: 'About it',
  visibility: 'unlisted',
  fileName: 'clip.mp4',
  contentType: 'video/mp4',
  sizeBytes: 17_834,
  email: 'fuzz@example.test',
  password: 'correct horse battery staple',
  username: 'fuzz_user',
  displayName: 'Fuzz',
  bio: 'Hello',
  role: 'creator',
  currentPassword: KNOWN_PASSWORD,
  newPassword: 'another good password',
  refreshToken: 'not-a-refresh-token',
  parts: [{ PartNumber: 1, ETag: '"0123456789abcdef"' }],
  method: 'POST',
  key: 'clip.mp4',
  limit: '20',
  q: 'video',
  position: 1,
  unread: 'true',
  atSeconds: 1,
  body: 'A fuzzed comment',
  words: ['spam'],
  commentPolicy: 'approval',
  sort: 'oldest',
  targetType: 'user',
  reason: 'spam',
  details: 'Reported by the fuzzer',
  action: 'dismiss',
  note: 'Looked at it',
};

export const AUTH_STATES = ['anonymous', 'viewer', 'creator', 'admin', 'expired', 'garbage'] as const;
export type AuthState = (typeof AUTH_STATES)[number];

const jwtSecret = () => new Uint8Array(Buffer.from(process.env.JWT_SECRET as string, 'base64url'));

/** A token exactly like ours but expired a minute ago. */
async function expiredToken(userId: string) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: 'admin' })
    .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
    .setSubject(userId)
    .setIssuer('clipiq')
    .setAudience('clipiq-api')
    .setIssuedAt(now - 16 * 60)
    .setExpirationTime(now - 60)
    .sign(jwtSecret());
}

/**
 * The stored data every fuzzed request runs against: users of each role, videos in every visibility and state
 * (two of them pending with a real multipart upload), subscriptions, notifications, playlists, comments (one held)
 * and a report, plus the values a path parameter can take to name them.
 */
export async function seedFuzzWorld() {
  const viewer = await createUser({ role: 'viewer' });
  const creator = await createUser({ role: 'creator' });
  const admin = await createUser({ role: 'admin' });
  const otherCreator = await createUser({ role: 'creator' });
  const published = await createVideo(creator, { visibility: 'public' });
  const ownPrivate = await createVideo(creator, { visibility: 'private' });
  const othersPrivate = await createVideo(otherCreator, { visibility: 'private' });
  const othersUnlisted = await createVideo(otherCreator, { visibility: 'unlisted' });
  const othersRejected = await createVideo(otherCreator, { status: 'rejected' });
  const multipart = { sizeBytes: 150 * 1024 * 1024 };
  const ownPending = await requestUpload<MultipartUpload>(creator, multipart);
  const othersPending = await requestUpload<MultipartUpload>(otherCreator, multipart);
  await subscribe(creator, [viewer, admin]);
  await subscribe(otherCreator, [viewer, creator]);
  const playlists = [
    await createPlaylist(creator, { videos: [published, ownPrivate, othersUnlisted] }),
    await createPlaylist(otherCreator, { visibility: 'private', videos: [othersPrivate, published] }),
    await createPlaylist(otherCreator, { visibility: 'unlisted', videos: [othersUnlisted] }),
  ];
  const comment = await createComment(viewer, published);
  const heldComment = await createComment(otherCreator, published, { status: 'held' });
  const [report] = await sql<{ id: string }[]>`
    insert into reports (reporter_id, target_type, target_id, reason) values (${viewer.id}, 'comment', ${heldComment}, 'spam')
    returning id
  `;
  const notifications = [
    await createNotification(viewer, published),
    await createNotification(creator, { id: othersUnlisted.id, ownerId: otherCreator.id }),
  ];

  const garbageTokens = [
    new UnsecuredJWT({ role: 'admin' }).setSubject(admin.id).encode(),
    `${admin.accessToken.slice(0, -2)}xx`,
  ];
  const tokens = {
    viewer: viewer.accessToken,
    creator: creator.accessToken,
    admin: admin.accessToken,
    expired: await expiredToken(admin.id),
  };

  const ids = [
    viewer.id,
    creator.id,
    admin.id,
    otherCreator.id,
    published.id,
    ownPrivate.id,
    othersPrivate.id,
    othersUnlisted.id,
    othersRejected.id,
    ownPending.video.id,
    othersPending.video.id,
    ...notifications,
    ...playlists.map((playlist) => playlist.id),
    comment,
    heldComment,
    (report as { id: string }).id,
  ];
  return {
    users: { viewer, creator, admin, otherCreator },
    /** A value each field of our bodies and query strings accepts, by field name. */
    validValues: {
      ...VALID_FIELD_VALUES,
      owner: creator.id,
      videoId: othersUnlisted.id,
      targetId: otherCreator.id,
    } as Record<string, unknown>,
    /** Values a path parameter may take that name something stored (ids, usernames, upload ids). */
    knownPathValues: [
      ...ids,
      viewer.username,
      otherCreator.username,
      'me',
      ownPending.upload.uploadId,
      othersPending.upload.uploadId,
    ],
    /**
     * The `Authorization` header of a caller in `state`: none, one of our roles, an expired token, or garbage
     * (unsigned, tampered, a stranger's subject, or any hostile text).
     */
    authorization(state: AuthState): fc.Arbitrary<string | undefined> {
      if (state === 'anonymous') return fc.constant(undefined);
      if (state === 'garbage') {
        return fc.oneof(
          fc.constantFrom(...garbageTokens).map((token) => `Bearer ${token}`),
          hostileString.map((text) => `Bearer ${text}`),
          fc.constantFrom(
            'Bearer',
            'Bearer ',
            'bearer  x',
            `Basic ${tokens.admin}`,
            `Bearer ${tokens.admin} x`,
          ),
        );
      }
      return fc.constant(`Bearer ${tokens[state]}`);
    },
  };
}

export type FuzzWorld = Awaited<ReturnType<typeof seedFuzzWorld>>;

const STORED_TABLES = [
  'users',
  'videos',
  'subscriptions',
  'notifications',
  'refresh_tokens',
  'video_likes',
  'video_views',
  'notification_fan_outs',
  'playlists',
  'playlist_items',
  'comments',
  'blocks',
  'reports',
] as const;

/**
 * One digest of every row a request could change (not the rate-limit and sign-in throttle counters, which
 * count refused requests by design).
 *
 * @example
 * const before = await storedDataDigest(); … expect(await storedDataDigest()).toBe(before);
 */
export async function storedDataDigest(): Promise<string> {
  const rows = STORED_TABLES.map((table) => sql`select ${table} || t::text as line from ${sql(table)} t`);
  const union = rows.reduce((all, next) => sql`${all} union all ${next}`);
  const [digest] = await sql<{ digest: string }[]>`
    select md5(coalesce(string_agg(line, E'\n' order by line), '')) as digest from (${union}) stored
  `;
  return digest?.digest ?? '';
}
