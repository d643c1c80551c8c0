import type { RangedReader } from '../media/ranged-reader.ts';
import { readVideoObjectRange } from '../videos/video-storage.ts';

/**
 * Random access to a stored object through ranged GETs (`Range: bytes=a-b`), for `inspectMedia`; never more
 * than the requested bytes cross the network. Storage errors propagate so the event is retried.
 *
 * @example
 * const reader = countingReader(storedObjectReader(key, head.size));
 * await inspectMedia(reader);
 */
export function storedObjectReader(key: string, size: number): RangedReader {
  return {
    size,
    async read(offset, length) {
      const start = Math.max(0, offset);
      const end = Math.min(size, start + Math.max(0, length)) - 1;
      if (end < start) return new Uint8Array(0);
      return readVideoObjectRange(key, start, end);
    },
  };
}
