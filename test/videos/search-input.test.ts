import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as list } from '#functions/videos/list.ts';
import { sql } from '#lib/db.ts';
import { createUser, createVideo } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';

type ListBody = { items: { id: string }[]; nextCursor: string | null };

const search = (q: string) => callApi<ListBody>(list, { path: '/api/v1/videos', query: { q } });
/** A made-up word no other test uses. */
const token = () => `zq${randomUUID().replaceAll('-', '').replace(/\d/g, '').slice(0, 10)}`;

/** Every letter, mark or digit that unaccent turns into tsquery syntax (`ʼ` → `'`, `ː` → `:`), asked of the database. */
let becomeSyntax: string[] = [];

beforeAll(async () => {
  const rows = await sql<{ letter: string }[]>`
    select chr(c) as letter from generate_series(128, 196607) c
    where c not between 55296 and 57343 and chr(c) ~ '[[:alnum:]]'
      and clipiq_unaccent(chr(c)) ~ '[^[:alnum:][:space:]]'
  `;
  becomeSyntax = rows.map((row) => row.letter);
});

describe('GET /videos?q= with hostile text', () => {
  it.each([
    ['a modifier apostrophe', 'ʼguitar'],
    ['a modifier colon', 'aːx'],
    ['a quote', "'"],
    ['an and', 'a & b'],
    ['an or', 'a | b'],
    ['a not', '!a'],
    ['a prefix mark', 'a:*'],
    ['a parenthesis', '(a'],
    ['a backslash', 'a\\b \\'],
    ['a NUL', 'a\u0000b'],
    ['combining marks', 'e\u0301\u0301\u0302 \u0301'],
    ['modifier letters', 'ʰʱʲʳʴʵʶʷʸʹʺʻʼʽʾʿˀˁ˂˃˄˅ˆˇˈˉˊˋˌˍˎˏːˑ˒˓˔˕˖˗˘˙˚˛˜˝˞˟ˠˡˢˣˤ˥˦˧˨˩˪˫ˬ˭ˮ˯˰˱˲˳˴˵˶˷˸˹˺˻˼˽˾˿'],
  ])('answers %s with a page, never an error', async (_, q) => {
    // Act
    const response = await search(q);

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ items: expect.any(Array) });
  });

  it('finds a word typed with a modifier apostrophe in front, as unaccent reads it', async () => {
    // Prepare
    const word = token();
    const owner = await createUser({ role: 'creator' });
    const video = await createVideo(owner, { title: `Guitar ${word}` });

    // Act
    const [complete, typing] = [await search(`ʼ${word} guitar`), await search(`guitar ʼ${word.slice(0, 6)}`)];

    // Assess
    expect(complete.body.items.map((item) => item.id)).toEqual([video.id]);
    expect(typing.body.items.map((item) => item.id)).toEqual([video.id]);
  });

  it('answers any text of up to 200 characters with a page, above all letters that unaccent makes syntax', async () => {
    expect(becomeSyntax).toEqual(expect.arrayContaining(['ʼ', 'ː']));
    const character = fc.oneof(
      fc.constantFrom(...becomeSyntax),
      fc.integer({ min: 0x2b0, max: 0x2ff }).map((code) => String.fromCodePoint(code)),
      fc.constantFrom("'", '&', '|', '!', ':', '*', '(', ')', '\\', '\u0000', ' ', '\u0301', 'a', 'é', '1'),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(character, { maxLength: 60 }), async (characters) => {
        // Act
        const response = await search(characters.join('').slice(0, 200));

        // Assess
        expect(response.status).toBe(200);
      }),
      { numRuns: 300 },
    );
  });
});
