import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { handler as list } from '#functions/videos/list.ts';
import { sql } from '#lib/db.ts';
import { encodeCursor } from '#lib/pagination.ts';
import { SEARCH_WINDOW } from '#lib/videos/search.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { createUser, createVideo } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';
import { everyPage, instants } from '../support/pages.ts';

type ListBody = { items: { id: string; title: string }[]; nextCursor: string | null };

const search = (q: string, query: Record<string, string> = {}) =>
  callApi<ListBody>(list, { path: '/api/v1/videos', query: { q, ...query } });
const ids = (items: { id: string }[]) => items.map((item) => item.id);
/** A made-up word no other test uses, so each test searches its own videos only. */
const token = () => `zq${randomUUID().replaceAll('-', '').replace(/\d/g, '').slice(0, 10)}`;

describe('GET /videos?q=', () => {
  it('ranks a title match above a description match', async () => {
    // Prepare
    const word = token();
    const owner = await createUser({ role: 'creator' });
    const inDescription = await createVideo(owner, {
      title: 'Evening walk',
      description: `a ${word} appears`,
    });
    const inTitle = await createVideo(owner, { title: `The ${word} show`, description: 'nothing else' });

    // Act
    const response = await search(word);

    // Assess
    expect(response.status).toBe(200);
    expect(ids(response.body.items)).toEqual([inTitle.id, inDescription.id]);
    expect(response.body.nextCursor).toBeNull();
  });

  it('matches complete words by their English stem and needs every word', async () => {
    // Prepare
    const word = token();
    const owner = await createUser({ role: 'creator' });
    const match = await createVideo(owner, { title: `Guitar lesson ${word}` });
    await createVideo(owner, { title: `Piano lesson ${word}` });

    // Act
    const response = await search(`guitars lessons ${word}`);

    // Assess
    expect(ids(response.body.items)).toEqual([match.id]);
  });

  it.each([
    ['a prefix of the last word', (word: string) => `tutorial ${word.slice(0, 6)}`],
    ['a prefix of a word the stem cuts shorter', (word: string) => `${word} tutor`],
    ['a prefix longer than the stem', (word: string) => `${word} tutoria`],
    ['another inflection of the last word', (word: string) => `${word} tutorials`],
  ])('finds a title by %s (search as you type)', async (_, query) => {
    // Prepare
    const word = token();
    const owner = await createUser({ role: 'creator' });
    const video = await createVideo(owner, { title: `Tutorial ${word}` });

    // Act
    const response = await search(query(word));

    // Assess
    expect(ids(response.body.items)).toEqual([video.id]);
  });

  it('ignores accents on either side', async () => {
    // Prepare
    const word = token();
    const owner = await createUser({ role: 'creator' });
    const accented = await createVideo(owner, { title: `Café crème ${word}` });
    const plain = await createVideo(owner, { title: `Cafe creme ${word} ${word}` });

    // Act
    const [byPlain, byAccented] = [await search(`cafe ${word}`), await search(`CRÈME ${word}`)];

    // Assess
    expect(new Set(ids(byPlain.body.items))).toEqual(new Set([accented.id, plain.id]));
    expect(new Set(ids(byAccented.body.items))).toEqual(new Set([accented.id, plain.id]));
  });

  it.each([
    ['only stop words', 'the and of'],
    ['only punctuation', '!!! ??? ...'],
    ['tsquery operators', "&|!():*<->'"],
  ])('answers %s with an empty page, not an error', async (_, q) => {
    // Prepare
    const owner = await createUser({ role: 'creator' });
    await createVideo(owner, { title: 'The art of the deal and of the rest' });

    // Act
    const response = await search(q);

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ items: [], nextCursor: null });
  });

  it('treats operator characters around words as separators', async () => {
    // Prepare
    const word = token();
    const owner = await createUser({ role: 'creator' });
    const video = await createVideo(owner, { title: `Knitting ${word}` });

    // Act
    const response = await search(`(knitting) & !${word}:*`);

    // Assess
    expect(response.status).toBe(200);
    expect(ids(response.body.items)).toEqual([video.id]);
  });

  it('never finds unlisted, private or unfinished videos', async () => {
    // Prepare
    const word = token();
    const owner = await createUser({ role: 'creator' });
    const visible = await createVideo(owner, { title: `Shown ${word}` });
    await createVideo(owner, { title: `Unlisted ${word}`, visibility: 'unlisted' });
    await createVideo(owner, { title: `Private ${word}`, visibility: 'private' });
    await createVideo(owner, { title: `Processing ${word}`, status: 'processing' });

    // Act
    const response = await search(word);

    // Assess
    expect(ids(response.body.items)).toEqual([visible.id]);
  });

  it('searches one channel when owner is given', async () => {
    // Prepare
    const word = token();
    const [alice, bob] = [await createUser({ role: 'creator' }), await createUser({ role: 'creator' })];
    const fromAlice = await createVideo(alice, { title: `Alpine ${word}` });
    await createVideo(bob, { title: `Alpine ${word}` });

    // Act
    const response = await search(word, { owner: alice.id });

    // Assess
    expect(ids(response.body.items)).toEqual([fromAlice.id]);
  });

  it('pages through equally ranked results newest first without duplicates or gaps', async () => {
    // Prepare
    const word = token();
    const owner = await createUser({ role: 'creator' });
    const better = await createVideo(owner, { title: `${word} ${word}`, publishedAt: instants(1, 9000)[0] });
    const equals = [];
    for (const publishedAt of instants(5, 600)) {
      equals.push(await createVideo(owner, { title: `Sunset ${word}`, publishedAt }));
    }

    // Act
    const served = await everyPage(
      (cursor) => search(word, { limit: '2', ...cursor }),
      () => createVideo(owner, { title: `Sunset ${word}` }),
    );

    // Assess
    expect(ids(served).slice(0, 6)).toEqual([better.id, ...ids(equals)]);
    expect(new Set(ids(served)).size).toBe(served.length);
  });

  it('ranks the newest matches of a broad query, and keeps all of them across pages while more arrive', async () => {
    // Prepare: one more match than the window, an hour apart over six weeks (search reads a week at a time), the
    // oldest of them the best match.
    const word = token();
    const owner = await createUser({ role: 'creator' });
    const oldest = await createVideo(owner, {
      title: `${word} ${word} ${word}`,
      publishedAt: new Date(Date.now() - (SEARCH_WINDOW + 5) * 3_600_000),
    });
    await sql`
      insert into videos (owner_id, title, status, visibility, storage_key, file_name, declared_content_type,
                          declared_size_bytes, published_at)
      select ${owner.id}, 'Clip ' || ${word} || ' ' || n, 'ready', 'public', 'window/' || gen_random_uuid(),
             'clip.mp4', 'video/mp4', 1, now() - n * interval '1 hour'
      from generate_series(1, ${SEARCH_WINDOW}) n
    `;
    const window = await sql<{ id: string }[]>`
      select id from videos where title like ${`Clip ${word} %`} order by published_at desc
    `;

    // Act
    const served = await everyPage(
      (cursor) => search(word, { limit: '100', ...cursor }),
      () => createVideo(owner, { title: `${word} ${word} fresh` }),
    );

    // Assess
    const servedIds = ids(served);
    expect(servedIds).not.toContain(oldest.id);
    expect(new Set(servedIds).size).toBe(servedIds.length);
    expect(servedIds).toEqual(expect.arrayContaining(ids(window)));
  });

  it('finds every match of a rare word however old, in a catalogue and in one channel', async () => {
    // Prepare: matches three years, a year and a week old, among other videos of their weeks.
    const word = token();
    const owner = await createUser({ role: 'creator' });
    const ages = [3 * 365, 365, 7].map((days) => new Date(Date.now() - days * 86_400_000));
    const matches = [];
    for (const publishedAt of ages) {
      matches.push(await createVideo(owner, { title: `Lute ${word}`, publishedAt }));
      await createVideo(owner, { title: 'Lute practice', publishedAt });
    }

    // Act
    const everywhere = await search(word);
    const inChannel = await search(word, { owner: owner.id });

    // Assess
    expect(ids(everywhere.body.items)).toEqual(ids(matches).reverse());
    expect(ids(inChannel.body.items)).toEqual(ids(matches).reverse());
  });

  it('rejects a newest-first cursor in a search with 400', async () => {
    // Act
    const response = await search('sunset', {
      cursor: encodeCursor(['2024-05-01T10:00:00.000000Z', '6f1c1a52-3c1e-4b7e-9d52-5a0c4f6f4b11']),
    });

    // Assess
    expectProblem(response, 400, { paths: ['query.cursor'] });
  });

  it('rejects a forged cursor whose floor reaches back to year 1, which would rank every match, with 400', async () => {
    // Prepare
    const id = '6f1c1a52-3c1e-4b7e-9d52-5a0c4f6f4b11';
    const forged = encodeCursor([1, '2999-01-01T00:00:00.000000Z', id, '0001-01-01T00:00:00.000000Z', id]);

    // Act
    const response = await search('sunset', { cursor: forged });

    // Assess
    expectProblem(response, 400, { paths: ['query.cursor'] });
  });

  it.each([
    ['another query', { q: 'other words' }],
    ['the same query in one channel', { owner: '6f1c1a52-3c1e-4b7e-9d52-5a0c4f6f4b11' }],
  ])('rejects the cursor of a search in %s with 400', async (_, other) => {
    // Prepare
    const word = token();
    const owner = await createUser({ role: 'creator' });
    await createVideo(owner, { title: `Harbour ${word}` });
    await createVideo(owner, { title: `Harbour ${word}` });
    const first = await search(word, { limit: '1' });
    const cursor = first.body.nextCursor ?? '';

    // Act
    const again = await search(word, { limit: '1', cursor });
    const elsewhere = await callApi(list, {
      path: '/api/v1/videos',
      query: { q: word, limit: '1', cursor, ...other },
    });

    // Assess
    expect(again.status).toBe(200);
    expectProblem(elsewhere, 400, { paths: ['query.cursor'] });
  });

  it('rejects a query longer than 200 characters with 400', async () => {
    // Act
    const response = await search('a'.repeat(201));

    // Assess
    expectProblem(response, 400, { paths: ['query.q'] });
  });
});
