import { inspectMedia } from '../media/inspect.ts';
import type { ContainerType } from '../media/media-inspection.ts';
import { countingReader } from '../media/ranged-reader.ts';
import type { RejectionReason } from '../videos/schemas.ts';
import { storedObjectReader } from './object-reader.ts';

const ISO_MEDIA = new Set<string>(['video/mp4', 'video/quicktime']);

/**
 * Whether the container found agrees with the type the creator declared. MP4 and QuickTime are one ISO-BMFF
 * family whose brands are mixed in practice (phones label `.mov` files `video/mp4` and back) and players take
 * both, so either declaration accepts either; WebM only matches WebM.
 *
 * @example
 * matchesDeclaredType('video/mp4', 'video/quicktime'); // → true
 * matchesDeclaredType('video/mp4', 'video/webm'); // → false
 */
export function matchesDeclaredType(declared: string, container: ContainerType) {
  return declared === container || (ISO_MEDIA.has(declared) && ISO_MEDIA.has(container));
}

export interface UploadToVerify {
  storageKey: string;
  declaredSizeBytes: number;
  declaredContentType: string;
}

export type Verdict =
  | {
      ok: true;
      sizeBytes: number;
      contentType: ContainerType;
      durationSeconds: number;
      width: number;
      height: number;
      videoCodec: string | null;
    }
  | { ok: false; reason: RejectionReason };

/**
 * Checks a stored upload against what was declared and what ClipIQ accepts: its size (from HEAD), then its real
 * type and metadata from the container header, read with ranged GETs only. Reports the bytes it read.
 *
 * @example
 * const { verdict, bytesRead } = await verifyUpload(video, { size: 17_834 }, config.maxUploadBytes);
 */
export async function verifyUpload(
  upload: UploadToVerify,
  object: { size: number },
  maxUploadBytes: number,
): Promise<{ verdict: Verdict; bytesRead: number; requests: number }> {
  if (object.size > maxUploadBytes)
    return { verdict: { ok: false, reason: 'too_large' }, bytesRead: 0, requests: 0 };
  if (object.size !== upload.declaredSizeBytes) {
    return { verdict: { ok: false, reason: 'size_mismatch' }, bytesRead: 0, requests: 0 };
  }
  const reader = countingReader(storedObjectReader(upload.storageKey, object.size));
  const inspection = await inspectMedia(reader);
  const measured = { bytesRead: reader.bytesRead, requests: reader.requests };
  if (!inspection.ok) return { verdict: { ok: false, reason: inspection.reason }, ...measured };
  if (!matchesDeclaredType(upload.declaredContentType, inspection.container)) {
    return { verdict: { ok: false, reason: 'type_mismatch' }, ...measured };
  }
  const verdict: Verdict = {
    ok: true,
    sizeBytes: object.size,
    contentType: inspection.container,
    durationSeconds: inspection.durationSeconds,
    width: inspection.width,
    height: inspection.height,
    videoCodec: inspection.videoCodec ?? null,
  };
  return { verdict, ...measured };
}
