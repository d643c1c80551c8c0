import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectProblem } from '../support/expect-problem.ts';
import { createNotification, createUser, createVideo, subscribe } from '../support/factories.ts';
import { schemaFields, validBody } from '../support/fuzz-requests.ts';
import { callRoute, routeName, serviceRoutes } from '../support/fuzz-routes.ts';
import { storedDataDigest } from '../support/fuzz-world.ts';
import { type MultipartUpload, requestUpload } from '../support/upload-factories.ts';

const routes = await serviceRoutes();
const bodyRoutes = routes.filter((route) => route.options.body);
const readRoutes = routes.filter((route) => route.method === 'GET');

/** Properties that belong to the server: who owns what, roles, states, counters, measured sizes, storage. */
const SERVER_OWNED = [
  'id',
  'ownerId',
  'role',
  'status',
  'rejectionReason',
  'viewCount',
  'likeCount',
  'commentCount',
  'replyCount',
  'editedAt',
  'subscriberCount',
  'videoCount',
  'sizeBytes',
  'storageKey',
  'passwordHash',
  'email',
  'createdAt',
  'publishedAt',
];
/** The only server-owned names a body may carry, each for a reason stated where its schema is. */
const ALLOWED_IN_BODIES: Record<string, string[]> = {
  // Sign-up and sign-in name the account by email; sign-up may ask for viewer or creator, never admin.
  'POST /api/v1/auth/register': ['email', 'role'],
  'POST /api/v1/auth/login': ['email'],
  // The admin route exists to set a role.
  'PATCH /api/v1/admin/users/{id}': ['role'],
  // The declared size, signed into the upload URL and checked against the object by ingest.
  'POST /api/v1/videos': ['sizeBytes'],
};

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('strict request schemas (API3)', () => {
  it('lets no body carry a server-owned property beyond the reviewed ones', () => {
    // Act
    const carried = Object.fromEntries(
      bodyRoutes
        .map((route) => {
          const fields = schemaFields(route.options.body).filter((field) => SERVER_OWNED.includes(field));
          return [routeName(route), fields] as const;
        })
        .filter(([, fields]) => fields.length > 0),
    );

    // Assess
    expect(carried).toEqual(ALLOWED_IN_BODIES);
  });

  it.each(bodyRoutes.map((route) => [routeName(route), route] as const))(
    '%s refuses an unknown field and each server-owned property with 400, changing nothing',
    async (name, route) => {
      // Prepare: an admin passes every role guard, so validation is what answers.
      const admin = await createUser({ role: 'admin' });
      const video = await createVideo(admin);
      const extras = [
        'unexpected',
        ...SERVER_OWNED.filter((field) => !(ALLOWED_IN_BODIES[name] ?? []).includes(field)),
      ];
      const before = await storedDataDigest();

      // Act
      const responses = [];
      for (const extra of extras) {
        const body = { ...validBody(route), [extra]: extra === 'role' ? 'admin' : 'x' };
        responses.push(
          await callRoute(route, { id: video.id, uploadId: 'u' }, { token: admin.accessToken, body }),
        );
      }

      // Assess
      for (const [index, response] of responses.entries()) {
        expectProblem(response, 400, { slug: 'invalid-request' });
        expect(response.body.errors).toContainEqual({
          path: 'body',
          message: expect.stringContaining(extras[index] as string),
        });
      }
      expect(await storedDataDigest()).toBe(before);
    },
  );

  it('never hands a whole request object to an SQL helper without naming its columns', async () => {
    // Prepare
    const files = [...(await sourceFiles('lib')), ...(await sourceFiles('functions'))];

    // Act: `sql(x)`, `tx(x)` or `db(x)` with one argument that is not an object literal inserts whatever keys x has.
    const unnamed: string[] = [];
    for (const file of files) {
      const source = await readFile(file, 'utf8');
      for (const match of source.matchAll(/\b(?:sql|tx|db)\(\s*([^{\s)][^,)]*)\)/g))
        unnamed.push(`${file}: ${match[0]}`);
    }

    // Assess
    expect(unnamed).toEqual([]);
  });
});

const BCRYPT_HASH = /\$2[aby]\$\d\d\$/;

/** Every string inside a JSON value, with the path that leads to it. */
function strings(value: unknown, path = 'body'): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => strings(child, `${path}.${key}`));
}

describe('what responses carry (API3)', () => {
  it("never shows password hashes, tokens, other users' emails, or storage keys outside a presigned URL", async () => {
    // Prepare: an owner with a published, a private and a pending video, a subscriber notified of one.
    const owner = await createUser({ role: 'creator' });
    const reader = await createUser();
    await subscribe(owner, [reader]);
    const published = await createVideo(owner);
    await createVideo(owner, { visibility: 'private' });
    const pending = await requestUpload<MultipartUpload>(owner, { sizeBytes: 150 * 1024 * 1024 });
    await createNotification(reader, published);
    const values = {
      id: published.id,
      idOrUsername: owner.username,
      uploadId: pending.upload.uploadId,
      partNumber: '1',
    };
    const pendingValues = { ...values, id: pending.video.id };

    // Act: every read, by the reader, by nobody, and by the owner (who may see their pending upload).
    const seen = [];
    for (const route of readRoutes) {
      for (const [caller, pathValues] of [
        [reader, values],
        [undefined, values],
        [owner, pendingValues],
      ] as const) {
        const response = await callRoute(route, pathValues, { token: caller?.accessToken });
        seen.push({
          name: `${routeName(route)} as ${caller === owner ? 'owner' : caller ? 'reader' : 'nobody'}`,
          caller,
          response,
        });
      }
    }

    // Assess
    const problems: string[] = [];
    for (const { name, caller, response } of seen) {
      for (const [path, text] of strings(response.body)) {
        const where = `${name} ${path}`;
        if (BCRYPT_HASH.test(text)) problems.push(`${where}: a bcrypt hash`);
        if (/passwordHash|password_hash/.test(path)) problems.push(`${where}: a password hash field`);
        if (text.includes(owner.accessToken) || text.includes(reader.accessToken))
          problems.push(`${where}: a token`);
        if (caller !== owner && text.includes(owner.email)) problems.push(`${where}: another user's email`);
        if (caller !== reader && text.includes(reader.email)) problems.push(`${where}: another user's email`);
        const isPresignedUrl = /^https?:\/\/.*X-Amz-Signature=/.test(text);
        // The owner's own unfinished uploads name their key: a resuming Uppy needs it (like POST /videos's multipart).
        const isOwnResumableKey = caller === owner && /^body\.items\.\d+\.upload\.key$/.test(path);
        if (text.includes('uploads/') && !isPresignedUrl && !isOwnResumableKey)
          problems.push(`${where}: a storage key`);
      }
    }
    expect(problems).toEqual([]);
    expect(seen.filter(({ response }) => response.status === 200).length).toBeGreaterThan(readRoutes.length);
  });
});
