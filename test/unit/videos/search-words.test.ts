import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { searchWords } from '#lib/videos/search.ts';

describe('searchWords', () => {
  it.each([
    ["Café: l'été & co!", ['café', 'l', 'été', 'co']],
    ['  GUITAR   lessons  ', ['guitar', 'lessons']],
    ['tutorial:* & !(cats | dogs) <-> x', ['tutorial', 'cats', 'dogs', 'x']],
    ['東京 タワー 2024', ['東京', 'タワー', '2024']],
    ['!!! ??? ...', []],
  ])('splits %j into %j', (q, words) => {
    // Act
    const result = searchWords(q);

    // Assess
    expect(result).toEqual(words);
  });

  it('never lets a tsquery operator, quote, space or backslash through, whatever is typed', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (q) => {
        // Act
        const words = searchWords(q);

        // Assess
        for (const word of words) expect(word).not.toMatch(/[&|!:*()<>'"\\\s]/);
      }),
    );
  });

  it('keeps at most 16 words of at most 64 characters', () => {
    // Act
    const words = searchWords(`${'a'.repeat(100)} ${'word '.repeat(30)}`);

    // Assess
    expect(words).toHaveLength(16);
    expect(words[0]).toHaveLength(64);
  });
});
