import { describe, expect, it } from 'vitest';
import { sql } from '#lib/db.ts';
import { handler as list } from '../../functions/videos/list.ts';
import { createUser, createVideo } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';

describe('search plans', () => {
  it('is planned with its words every time, never from a generic plan of a prepared statement', async () => {
    // Prepare
    const channel = await createUser({ role: 'creator' });
    await createVideo(channel, { title: 'Guitar lesson for beginners' });
    await createVideo(channel, { title: 'Street food market' });

    // Act: PostgreSQL would switch a prepared statement to a generic plan from its sixth run.
    const found = [];
    for (const q of ['guitar', 'street', 'guitar lesson', 'food', 'market', 'guit', 'lesson', 'beginners']) {
      const response = await callApi<{ items: unknown[] }>(list, { path: '/api/v1/videos', query: { q } });
      found.push(response.body.items.length);
    }

    // Assess
    expect(found).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    const prepared = await sql`
      select statement from pg_prepared_statements
      where statement like '%search_document @@%' and statement not like '%pg_prepared_statements%'
    `;
    expect(prepared).toEqual([]);
  });
});
