import { MalformedMediaError, type MediaInspection, NOT_A_VIDEO, UNREADABLE } from './media-inspection.ts';
import { inspectIsoMedia } from './mp4.ts';
import { headCachedReader, type RangedReader } from './ranged-reader.ts';
import { sniffFormat } from './sniff.ts';
import { inspectWebm } from './webm.ts';

export type { ContainerType, MediaInspection } from './media-inspection.ts';

const SNIFF_BYTES = 64;

/**
 * Tells whether an object is a video ClipIQ accepts (MP4, QuickTime or WebM with a video track) and reads its
 * duration, display size and codec, fetching only the few ranges it needs. Never throws on hostile bytes;
 * errors from the reader itself (network, permissions) are passed through so the caller can retry.
 *
 * @example
 * const inspection = await inspectMedia(bufferReader(bytes));
 * if (!inspection.ok) return markRejected(video, inspection.reason);
 * // inspection → { ok: true, container: 'video/mp4', durationSeconds: 2, width: 320, height: 240, videoCodec: 'avc1' }
 */
export async function inspectMedia(reader: RangedReader): Promise<MediaInspection> {
  if (!Number.isSafeInteger(reader.size) || reader.size < 0) return UNREADABLE;
  if (reader.size === 0) return NOT_A_VIDEO;
  const head = await reader.read(0, Math.min(SNIFF_BYTES, reader.size));
  const format = sniffFormat(head);
  if (!format) return NOT_A_VIDEO;
  try {
    if (format.family === 'ebml') return await inspectWebm(reader);
    return await inspectIsoMedia(headCachedReader(reader, head), format.container);
  } catch (error) {
    // RangeError is a DataView read past a slice: the same broken input, caught as a safety net.
    if (error instanceof MalformedMediaError || error instanceof RangeError) return UNREADABLE;
    throw error;
  }
}
