import { describe, expect, it } from 'vitest';
import { hasLink, hasWatchedWord, moderatedStatus } from '#lib/comments/moderation.ts';

describe('comment moderation', () => {
  it.each([
    'see https://example.test',
    'ftp://files.example',
    'go to www.example',
    'cheap-pills.com now',
    'EXAMPLE.IO',
  ])('finds a link in %j', (body) => {
    expect(hasLink(body)).toBe(true);
  });

  it.each(['no links here', 'version 2.0 is out', 'e.g. this, i.e. that', 'file.mp4 plays'])(
    'finds no link in %j',
    (body) => {
      expect(hasLink(body)).toBe(false);
    },
  );

  it('matches watched words whole, in any case, with regular-expression characters taken literally', () => {
    expect(hasWatchedWord('Total SCAM here', ['scam'])).toBe(true);
    expect(hasWatchedWord('scampi for dinner', ['scam'])).toBe(false);
    expect(hasWatchedWord('win free money!', ['free money'])).toBe(true);
    expect(hasWatchedWord('a+b', ['a+b'])).toBe(true);
    expect(hasWatchedWord('aab', ['a+b'])).toBe(false);
    expect(hasWatchedWord('anything', [])).toBe(false);
  });

  it('holds under approval, for a link or a watched word, but never the video’s moderators', () => {
    const open = { policy: 'open' as const, watchedWords: ['spam'], moderator: false };

    expect(moderatedStatus(open, 'hello')).toBe('published');
    expect(moderatedStatus(open, 'spam!')).toBe('held');
    expect(moderatedStatus(open, 'http://x.example')).toBe('held');
    expect(moderatedStatus({ ...open, policy: 'approval' }, 'hello')).toBe('held');
    expect(moderatedStatus({ ...open, policy: 'approval', moderator: true }, 'spam http://x')).toBe(
      'published',
    );
  });
});
