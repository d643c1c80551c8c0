import { MalformedMediaError } from './media-inspection.ts';

/** Random access to an object's bytes, such as S3 ranged GETs or an in-memory buffer. */
export interface RangedReader {
  /** Total size of the object in bytes. */
  size: number;
  /** Reads up to `length` bytes at `offset`; returns fewer only at the end of the object. */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/**
 * A reader over bytes already in memory.
 *
 * @example
 * const reader = bufferReader(await readFile('clip.mp4'));
 * await inspectMedia(reader);
 */
export function bufferReader(bytes: Uint8Array): RangedReader {
  return {
    size: bytes.byteLength,
    read: async (offset, length) => {
      const start = Math.max(0, offset);
      return bytes.subarray(start, start + Math.max(0, length));
    },
  };
}

/**
 * Wraps a reader to count the requests made and the bytes they returned.
 *
 * @example
 * const reader = countingReader(s3ObjectReader);
 * await inspectMedia(reader);
 * log.info('inspected', { bytesRead: reader.bytesRead, requests: reader.requests });
 */
export function countingReader(inner: RangedReader): RangedReader & { bytesRead: number; requests: number } {
  const counting = {
    size: inner.size,
    bytesRead: 0,
    requests: 0,
    async read(offset: number, length: number) {
      counting.requests += 1;
      const bytes = await inner.read(offset, length);
      counting.bytesRead += bytes.byteLength;
      return bytes;
    },
  };
  return counting;
}

/** What one inspection may spend: bytes asked of storage, requests made, and time from the first read. */
export interface ReadBudget {
  bytes: number;
  requests: number;
  milliseconds: number;
}

/** A read would go over the inspection's budget: the file is rejected rather than read further. */
export class OverBudgetError extends MalformedMediaError {
  override name = 'OverBudgetError';
}

/**
 * Wraps a reader so that a read that would go over `budget` throws OverBudgetError before it reaches storage (bytes
 * and requests), or as soon as the time is spent (checked around every read).
 *
 * @example
 * const reader = budgetedReader(storedReader, { bytes: 1_048_576, requests: 64, milliseconds: 15_000 });
 */
export function budgetedReader(inner: RangedReader, budget: ReadBudget, clock = Date.now): RangedReader {
  const startedAt = clock();
  const spent = { bytes: 0, requests: 0 };
  const checkTime = () => {
    if (clock() - startedAt > budget.milliseconds)
      throw new OverBudgetError(`inspection took over ${budget.milliseconds} ms`);
  };
  return {
    size: inner.size,
    async read(offset, length) {
      const wanted = Math.max(0, Math.min(length, inner.size - Math.max(0, offset)));
      if (spent.requests + 1 > budget.requests)
        throw new OverBudgetError(`inspection needs over ${budget.requests} requests`);
      if (spent.bytes + wanted > budget.bytes)
        throw new OverBudgetError(`inspection needs over ${budget.bytes} bytes`);
      checkTime();
      spent.requests += 1;
      spent.bytes += wanted;
      const bytes = await inner.read(offset, length);
      checkTime();
      return bytes;
    },
  };
}

/**
 * Serves reads that fall inside `head` (the object's first bytes, already fetched) from memory.
 *
 * @example
 * const head = await reader.read(0, 65_536);
 * const cached = headCachedReader(reader, head);
 * await cached.read(16, 8); // no request
 */
export function headCachedReader(inner: RangedReader, head: Uint8Array): RangedReader {
  return {
    size: inner.size,
    read: async (offset, length) => {
      if (offset >= 0 && offset + length <= head.byteLength) return head.subarray(offset, offset + length);
      return inner.read(offset, length);
    },
  };
}

/**
 * Reads exactly `length` bytes at `offset`, or undefined when the object ends sooner.
 *
 * @example
 * const header = await readExact(reader, 0, 16);
 * if (!header) return { ok: false, reason: 'unreadable' };
 */
export async function readExact(
  reader: RangedReader,
  offset: number,
  length: number,
): Promise<Uint8Array | undefined> {
  if (offset < 0 || length < 0 || offset + length > reader.size) return undefined;
  if (length === 0) return new Uint8Array(0);
  const bytes = await reader.read(offset, length);
  return bytes.byteLength < length ? undefined : bytes.subarray(0, length);
}
