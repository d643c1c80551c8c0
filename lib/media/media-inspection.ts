export type ContainerType = 'video/mp4' | 'video/quicktime' | 'video/webm';

export type MediaInspection =
  | {
      ok: true;
      container: ContainerType;
      /** Rounded to milliseconds; 0 when the file does not say (live WebM, fragmented MP4 without `mehd`). */
      durationSeconds: number;
      width: number;
      height: number;
      /** Sample entry fourcc for MP4/MOV (`avc1`, `hvc1`…), CodecID for WebM (`V_VP9`…). */
      videoCodec?: string;
    }
  | { ok: false; reason: 'not_a_video' | 'unreadable' };

export const NOT_A_VIDEO: MediaInspection = { ok: false, reason: 'not_a_video' };
export const UNREADABLE: MediaInspection = { ok: false, reason: 'unreadable' };

/** Thrown by the parsers on structurally broken input; `inspectMedia` turns it into `unreadable`. */
export class MalformedMediaError extends Error {
  override name = 'MalformedMediaError';
}

/**
 * Builds a successful inspection, or `unreadable` when the numbers the file gave make no sense.
 *
 * @example
 * videoInspection({ container: 'video/mp4', durationSeconds: 2.0004, width: 320, height: 240 });
 * // → { ok: true, container: 'video/mp4', durationSeconds: 2, width: 320, height: 240 }
 */
export function videoInspection(found: {
  container: ContainerType;
  durationSeconds: number;
  width: number;
  height: number;
  videoCodec?: string | undefined;
}): MediaInspection {
  const { container, durationSeconds, width, height, videoCodec } = found;
  if (!Number.isFinite(durationSeconds) || durationSeconds < 0) return UNREADABLE;
  if (!isDimension(width) || !isDimension(height)) return UNREADABLE;
  return {
    ok: true,
    container,
    durationSeconds: Math.round(durationSeconds * 1000) / 1000,
    width,
    height,
    ...(videoCodec ? { videoCodec } : {}),
  };
}

function isDimension(value: number) {
  return Number.isInteger(value) && value > 0 && value <= 65_535;
}

/**
 * Decodes a printable ASCII code (fourcc, DocType, CodecID), dropping trailing padding; undefined if not printable.
 *
 * @example
 * asciiCode(new TextEncoder().encode('avc1')); // → 'avc1'
 */
export function asciiCode(bytes: Uint8Array): string | undefined {
  let text = '';
  for (const byte of bytes) {
    if (byte === 0) break;
    if (byte < 0x20 || byte > 0x7e) return undefined;
    text += String.fromCharCode(byte);
  }
  const trimmed = text.trimEnd();
  return trimmed === '' ? undefined : trimmed;
}
