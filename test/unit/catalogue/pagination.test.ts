import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decodeCursor, encodeCursor, TimeCursor, toPage } from '../../../lib/catalogue/pagination.ts';
import { BadRequest } from '../../../lib/errors.ts';

const cursorKey = z.tuple([z.number(), z.string()]);

describe('cursors', () => {
  it('decode to the sort key they were made of', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string(), (rank, id) => {
        // Act
        const decoded = decodeCursor(encodeCursor([rank, id]), cursorKey);

        // Assess
        expect(decoded).toEqual([rank === 0 ? 0 : rank, id]);
      }),
    );
  });

  it('are URL-safe text', () => {
    // Act
    const cursor = encodeCursor(['2024-05-01T10:00:00.123456Z', 'ÿ?/+']);

    // Assess
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('are absent on the first page', () => {
    // Act
    const decoded = decodeCursor(undefined, TimeCursor);

    // Assess
    expect(decoded).toBeUndefined();
  });

  it.each([
    ['not base64 JSON', '!!!'],
    ['JSON of the wrong shape', encodeCursor([1, 2, 3])],
    [
      'a timestamp without microseconds',
      encodeCursor(['2024-05-01T10:00:00Z', '6f1c1a52-3c1e-4b7e-9d52-5a0c4f6f4b11']),
    ],
    ['a bad id', encodeCursor(['2024-05-01T10:00:00.000000Z', "x' or '1'='1"])],
  ])('reject %s with a 400 naming query.cursor', (_, cursor) => {
    // Act
    const decode = () => decodeCursor(cursor, TimeCursor);

    // Assess
    expect(decode).toThrow(BadRequest);
    expect(decode).toThrow(
      expect.objectContaining({ errors: [{ path: 'query.cursor', message: 'invalid cursor' }] }),
    );
  });
});

describe('toPage', () => {
  it('shows limit rows and points the cursor at the last one shown when more exist', () => {
    // Act
    const page = toPage(
      [1, 2, 3],
      2,
      (row) => [row],
      (row) => row * 10,
    );

    // Assess
    expect(page).toEqual({ items: [10, 20], nextCursor: encodeCursor([2]) });
  });

  it('has no next cursor on the last page', () => {
    // Act
    const page = toPage(
      [1, 2],
      2,
      (row) => [row],
      (row) => row,
    );

    // Assess
    expect(page).toEqual({ items: [1, 2], nextCursor: null });
  });
});
