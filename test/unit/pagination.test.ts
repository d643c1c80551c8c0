import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BadRequest } from '#lib/errors.ts';
import {
  decodeCursor,
  encodeCursor,
  signCursor,
  TimeCursor,
  toPage,
  verifiedCursor,
} from '#lib/pagination.ts';

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

describe('signed cursors', () => {
  const cursor = encodeCursor([0.5, '2024-05-01T10:00:00.123456Z']);
  const signed = signCursor(cursor, 'scope');
  const flipped = (text: string, at: number) =>
    text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);

  it('give back the cursor they were made of, for the scope they were made for', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (key, scope) => {
        // Act
        const verified = verifiedCursor(signCursor(encodeCursor([key]), scope), scope);

        // Assess
        expect(verified).toBe(encodeCursor([key]));
      }),
    );
  });

  it('stay URL-safe text within the 512 characters a cursor may have', () => {
    // Act
    const longest = signCursor(
      encodeCursor([
        1.2345678,
        '2024-05-01T10:00:00.123456Z',
        randomUUID(),
        '2024-05-01T10:00:00.123456Z',
        randomUUID(),
      ]),
      'scope',
    );

    // Assess
    expect(longest).toMatch(/^[A-Za-z0-9_.-]+$/);
    expect(longest.length).toBeLessThan(512);
  });

  it.each([
    ['unsigned', cursor],
    ['signed for another scope', signCursor(cursor, 'another scope')],
    ['altered in its sort key', flipped(signed, 3)],
    ['altered in its signature', flipped(signed, signed.length - 1)],
    ['with its signature cut short', signed.slice(0, -1)],
    ['with an empty signature', `${cursor}.`],
    ['cut at the dot', signed.slice(0, signed.lastIndexOf('.'))],
    [
      'with a signature moved to another cursor',
      `${encodeCursor([1])}${signed.slice(signed.lastIndexOf('.'))}`,
    ],
  ])('reject a cursor %s with a 400 naming query.cursor', (_, forged) => {
    // Act
    const verify = () => verifiedCursor(forged, 'scope');

    // Assess
    expect(verify).toThrow(
      expect.objectContaining({ status: 400, errors: [{ path: 'query.cursor', message: 'invalid cursor' }] }),
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
