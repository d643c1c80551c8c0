import { randomUUID } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { issueAccessToken } from '#lib/auth/access-token.ts';
import type { Role } from '#lib/auth/principal.ts';
import { sql } from '#lib/db.ts';
import type { RejectionReason, VideoStatus, VideoVisibility } from '#lib/videos/schemas.ts';

export const KNOWN_PASSWORD = 'correct horse battery staple';
// Cost 4 keeps factories fast; login tests that care about the cost create users through the register handler.
const knownPasswordHash = bcrypt.hashSync(KNOWN_PASSWORD, 4);

let sequence = 0;
const unique = () => `${Date.now().toString(36)}${(sequence++).toString(36)}${randomUUID().slice(0, 4)}`;

export interface TestUser {
  id: string;
  email: string;
  username: string;
  displayName: string;
  role: Role;
  password: string;
  accessToken: string;
}

/**
 * Inserts a user straight into the database and signs an access token for it.
 *
 * @example
 * const creator = await createUser({ role: 'creator' });
 */
export async function createUser(
  overrides: Partial<Pick<TestUser, 'email' | 'username' | 'displayName' | 'role'>> = {},
) {
  const suffix = unique();
  const values = {
    email: overrides.email ?? `user_${suffix}@example.test`,
    username: overrides.username ?? `user_${suffix}`.slice(0, 30),
    displayName: overrides.displayName ?? `User ${suffix}`,
    role: overrides.role ?? 'viewer',
    passwordHash: knownPasswordHash,
  };
  const [row] = await sql<{ id: string }[]>`
    insert into users ${sql(values)} returning id
  `;
  const id = (row as { id: string }).id;
  const { accessToken } = await issueAccessToken({ userId: id, role: values.role });
  return { id, ...values, password: KNOWN_PASSWORD, accessToken } satisfies TestUser & {
    passwordHash: string;
  };
}

export interface TestVideoOverrides {
  title?: string;
  description?: string;
  visibility?: VideoVisibility;
  status?: VideoStatus;
  rejectionReason?: RejectionReason;
  publishedAt?: Date;
  createdAt?: Date;
  declaredSizeBytes?: number;
  declaredContentType?: string;
  fileName?: string;
}

/**
 * Inserts a video row directly (default: public and ready, as if ingest had run), for tests of what comes after
 * the upload. Upload and ingest tests go through the real handlers instead.
 */
export async function createVideo(owner: { id: string }, overrides: TestVideoOverrides = {}) {
  const id = randomUUID();
  const status = overrides.status ?? 'ready';
  const fileName = overrides.fileName ?? 'clip.mp4';
  const ready = status === 'ready';
  const values = {
    id,
    ownerId: owner.id,
    title: overrides.title ?? `Video ${unique()}`,
    description: overrides.description ?? '',
    visibility: overrides.visibility ?? 'public',
    status,
    rejectionReason: status === 'rejected' ? (overrides.rejectionReason ?? 'not_a_video') : null,
    storageKey: `uploads/${owner.id}/${id}/${fileName}`,
    fileName,
    declaredContentType: overrides.declaredContentType ?? 'video/mp4',
    declaredSizeBytes: overrides.declaredSizeBytes ?? 17_834,
    sizeBytes: ready ? (overrides.declaredSizeBytes ?? 17_834) : null,
    contentType: ready ? (overrides.declaredContentType ?? 'video/mp4') : null,
    durationSeconds: ready ? 2 : null,
    width: ready ? 320 : null,
    height: ready ? 240 : null,
    createdAt: overrides.createdAt ?? new Date(),
    publishedAt: ready ? (overrides.publishedAt ?? overrides.createdAt ?? new Date()) : null,
  };
  await sql`insert into videos ${sql(values)}`;
  return values;
}

/** Subscribes each of `subscribers` to `channel`, straight in the database. */
export async function subscribe(channel: { id: string }, subscribers: readonly { id: string }[]) {
  for (const subscriber of subscribers) {
    await sql`insert into subscriptions (subscriber_id, channel_id) values (${subscriber.id}, ${channel.id})`;
  }
}

/**
 * Inserts a notification row directly, for inbox tests that need exact times (fan-out tests use the real
 * `fanOutPublished`).
 */
export async function createNotification(
  recipient: { id: string },
  video: { id: string; ownerId: string },
  overrides: { createdAt?: Date; readAt?: Date } = {},
) {
  const id = randomUUID();
  await sql`
    insert into notifications (id, recipient_id, type, video_id, actor_id, created_at, read_at)
    values (${id}, ${recipient.id}, 'video.published', ${video.id}, ${video.ownerId},
            ${overrides.createdAt ?? new Date()}, ${overrides.readAt ?? null})
  `;
  return id;
}
