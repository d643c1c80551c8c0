import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sql } from '#lib/db.ts';
import { registerUser } from '../support/auth-factories.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { createUser } from '../support/factories.ts';
import { callRoute, findRoute, serviceRoutes } from '../support/fuzz-routes.ts';

const routes = await serviceRoutes();
const route = (name: string) => findRoute(routes, name);

// Only the rows of SECURITY.md's Authentication section that test/auth/* and test/unit/auth/* do not already prove
// (see test/security/README.md).
describe('tokens never travel in URLs (API2)', () => {
  it.each(['access_token', 'token', 'accessToken', 'authorization'])(
    'ignores an access token sent as ?%s= (401)',
    async (parameter) => {
      // Prepare
      const user = await createUser();

      // Act
      const response = await callRoute(
        route('GET /api/v1/auth/me'),
        {},
        { query: { [parameter]: user.accessToken } },
      );

      // Assess
      expectProblem(response, 401, { slug: 'unauthorized', detail: 'Sign in to do this' });
    },
  );

  it('ignores a refresh token sent in the query string (401)', async () => {
    // Prepare
    const user = await registerUser();

    // Act
    const response = await callRoute(
      route('POST /api/v1/auth/refresh'),
      {},
      {
        query: { refreshToken: user.refreshToken },
      },
    );

    // Assess
    expectProblem(response, 401, { slug: 'unauthorized' });
    const [unused] = await sql`
      select used_at from refresh_tokens
      where token_hash = ${createHash('sha256').update(user.refreshToken).digest()}
    `;
    expect(unused?.usedAt).toBeNull();
  });
});

describe('refresh tokens are opaque and stored hashed (API2)', () => {
  it('issues 256 random bits that are not a JWT, and stores only their SHA-256 digest', async () => {
    // Prepare
    const user = await registerUser();

    // Act: the plain token is searched for in every row of every table.
    const tables = await sql<{ name: string }[]>`
      select table_name as name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE'
    `;
    const holding = [];
    for (const { name } of tables) {
      const [found] = await sql<{ rows: number }[]>`
        select count(*)::int as rows from ${sql(name)} r where r::text like ${`%${user.refreshToken}%`}
      `;
      if (found?.rows) holding.push(name);
    }
    const [stored] = await sql<
      { tokenHash: Buffer }[]
    >`select token_hash from refresh_tokens where user_id = ${user.id}`;

    // Assess
    expect(user.refreshToken).toMatch(/^[\w-]{43}$/);
    expect(user.refreshToken.split('.')).toHaveLength(1);
    expect(tables.length).toBeGreaterThan(5);
    expect(holding).toEqual([]);
    expect(stored?.tokenHash).toEqual(createHash('sha256').update(user.refreshToken).digest());
  });
});
