import { MalformedMediaError, type MediaInspection, NOT_A_VIDEO, UNREADABLE } from './media-inspection.ts';
import { inspectIsoMedia } from './mp4.ts';
import { budgetedReader, headCachedReader, type RangedReader, type ReadBudget } from './ranged-reader.ts';
import { sniffFormat } from './sniff.ts';
import { inspectWebm } from './webm.ts';

export type { ContainerType, MediaInspection } from './media-inspection.ts';

const SNIFF_BYTES = 64;
const MiB = 1024 * 1024;

/**
 * What one inspection may spend (SECURITY.md: a byte, request, memory and time budget; what it reads is all it
 * holds, so bytes bound memory too): max(1 MiB, 5 % of the object) up to 64 MiB, the largest `moov` it accepts;
 * 64 requests, twice what the MP4 walk makes; 15 s, a quarter of the ingest function's timeout.
 *
 * @example
 * inspectionBudget(60 * 1024 * 1024); // → { bytes: 3_145_728, requests: 64, milliseconds: 15_000 }
 */
export function inspectionBudget(objectSize: number): ReadBudget {
  return {
    bytes: Math.min(64 * MiB, Math.max(MiB, Math.floor(objectSize * 0.05))),
    requests: 64,
    milliseconds: 15_000,
  };
}

/**
 * Tells whether an object is a video ClipIQ accepts (MP4, QuickTime or WebM with a video track) and reads its
 * duration, display size and codec, fetching only the few ranges it needs. A file that needs more than `budget`
 * is `unreadable`. Never throws on hostile bytes; errors from the reader itself (network, permissions) are passed
 * through so the caller can retry.
 *
 * @example
 * const inspection = await inspectMedia(bufferReader(bytes));
 * if (!inspection.ok) return markRejected(video, inspection.reason);
 * // inspection → { ok: true, container: 'video/mp4', durationSeconds: 2, width: 320, height: 240, videoCodec: 'avc1' }
 */
export async function inspectMedia(
  source: RangedReader,
  budget: ReadBudget = inspectionBudget(source.size),
): Promise<MediaInspection> {
  if (!Number.isSafeInteger(source.size) || source.size < 0) return UNREADABLE;
  if (source.size === 0) return NOT_A_VIDEO;
  const reader = budgetedReader(source, budget);
  try {
    const head = await reader.read(0, Math.min(SNIFF_BYTES, reader.size));
    const format = sniffFormat(head);
    if (!format) return NOT_A_VIDEO;
    if (format.family === 'ebml') return await inspectWebm(reader);
    return await inspectIsoMedia(headCachedReader(reader, head), format.container);
  } catch (error) {
    // RangeError is a DataView read past a slice: the same broken input, caught as a safety net.
    if (error instanceof MalformedMediaError || error instanceof RangeError) return UNREADABLE;
    throw error;
  }
}
