import { describe, expect, it } from 'vitest';
import {
  budgetedReader,
  bufferReader,
  countingReader,
  headCachedReader,
  OverBudgetError,
  readExact,
} from '#lib/media/ranged-reader.ts';

const bytes = new Uint8Array(Array.from({ length: 100 }, (_, index) => index));

describe('ranged readers', () => {
  it('returns fewer bytes than asked at the end of the object', async () => {
    // Prepare
    const reader = bufferReader(bytes);

    // Act
    const tail = await reader.read(95, 20);

    // Assess
    expect([...tail]).toEqual([95, 96, 97, 98, 99]);
  });

  it('counts requests and the bytes they returned', async () => {
    // Prepare
    const reader = countingReader(bufferReader(bytes));

    // Act
    await reader.read(0, 10);
    await reader.read(90, 50);

    // Assess
    expect({ requests: reader.requests, bytesRead: reader.bytesRead }).toEqual({
      requests: 2,
      bytesRead: 20,
    });
  });

  it('serves reads inside the cached head without a request', async () => {
    // Prepare
    const inner = countingReader(bufferReader(bytes));
    const reader = headCachedReader(inner, bytes.subarray(0, 64));

    // Act
    const inside = await reader.read(10, 4);
    const outside = await reader.read(60, 8);

    // Assess
    expect([...inside]).toEqual([10, 11, 12, 13]);
    expect([...outside]).toEqual([60, 61, 62, 63, 64, 65, 66, 67]);
    expect(inner.requests).toBe(1);
  });

  it.each([
    { name: 'a range past the end', offset: 96, length: 8 },
    { name: 'a negative offset', offset: -4, length: 8 },
  ])('readExact gives undefined for $name', async ({ offset, length }) => {
    // Prepare
    const reader = bufferReader(bytes);

    // Act
    const read = await readExact(reader, offset, length);

    // Assess
    expect(read).toBeUndefined();
  });
});

describe('budgeted reader', () => {
  const budget = { bytes: 50, requests: 3, milliseconds: 1000 };

  it.each([
    {
      name: 'more bytes',
      reads: [
        [0, 40],
        [40, 20],
      ],
    },
    {
      name: 'more requests',
      reads: [
        [0, 1],
        [1, 1],
        [2, 1],
        [3, 1],
      ],
    },
  ])('refuses a read that would need $name than its budget, before it reaches storage', async ({ reads }) => {
    // Prepare
    const inner = countingReader(bufferReader(bytes));
    const reader = budgetedReader(inner, budget);
    const allowed = reads.slice(0, -1);
    for (const [offset = 0, length = 0] of allowed) await reader.read(offset, length);
    const [offset = 0, length = 0] = reads.at(-1) ?? [];

    // Act
    const refused = reader.read(offset, length);

    // Assess
    await expect(refused).rejects.toBeInstanceOf(OverBudgetError);
    expect(inner.requests).toBe(allowed.length);
  });

  it('counts only the bytes the object has past the offset', async () => {
    // Prepare
    const reader = budgetedReader(bufferReader(bytes), budget);

    // Act
    const tail = await reader.read(60, 1000);

    // Assess
    expect(tail.byteLength).toBe(40);
  });

  it('refuses a read once its time is spent, and a read that ran past it', async () => {
    // Prepare
    let now = 0;
    const slow = {
      size: bytes.byteLength,
      read: async (offset: number, length: number) => {
        now += 600;
        return bytes.subarray(offset, offset + length);
      },
    };
    const reader = budgetedReader(slow, budget, () => now);

    // Act
    const first = await reader.read(0, 1);
    const second = reader.read(1, 1);

    // Assess
    expect(first.byteLength).toBe(1);
    await expect(second).rejects.toBeInstanceOf(OverBudgetError);
  });
});
