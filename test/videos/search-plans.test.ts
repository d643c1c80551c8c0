import { describe, expect, it } from 'vitest';
import { handler as list } from '#functions/videos/list.ts';
import { sql } from '#lib/db.ts';
import { createUser, createVideo } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';

describe('search plans', () => {
  it('finds the same videos once the prepared search runs on its cached generic plan', async () => {
    // Prepare
    const channel = await createUser({ role: 'creator' });
    await createVideo(channel, { title: 'Guitar lesson for beginners' });
    await createVideo(channel, { title: 'Street food market' });

    // Act: PostgreSQL plans a prepared statement with its values five times, then may keep a generic plan.
    const found = [];
    for (const q of ['guitar', 'street', 'guitar lesson', 'food', 'market', 'guit', 'lesson', 'beginners']) {
      const response = await callApi<{ items: unknown[] }>(list, { path: '/api/v1/videos', query: { q } });
      found.push(response.body.items.length);
    }

    // Assess
    expect(found).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    const [search] = await sql<{ genericPlans: number }[]>`
      select generic_plans from pg_prepared_statements where statement like '%search_week_lexemes @@%'
    `;
    expect(search?.genericPlans).toBeGreaterThan(0);
  });

  it('keeps the pending list of the weekly index short, so a burst of uploads does not slow every search', async () => {
    // Act
    const [index] = await sql<{ options: string[] }[]>`
      select reloptions as options from pg_class where relname = 'videos_search_week_idx'
    `;

    // Assess
    expect(index?.options).toContain('gin_pending_list_limit=64');
  });
});
