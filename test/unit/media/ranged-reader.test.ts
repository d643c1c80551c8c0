import { describe, expect, it } from 'vitest';
import { bufferReader, countingReader, headCachedReader, readExact } from '#lib/media/ranged-reader.ts';

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
