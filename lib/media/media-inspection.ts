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

/** The longest video ClipIQ keeps (YouTube stops at 12 h): a longer header lies, or overflows `numeric(12,3)`. */
export const MAX_DURATION_SECONDS = 24 * 60 * 60;
/** The widest or tallest picture an AV1 level allows (levels 6.x); HEVC's stops at 16,888. */
export const MAX_SIDE_PIXELS = 16_384;
/** The largest picture of the top levels of H.264, HEVC, VP9 and AV1 (8192×4352): decodable by anything we run. */
export const MAX_PICTURE_PIXELS = 35_651_584;
/** Longer than any real fourcc or Matroska CodecID (`V_MPEGH/ISO/HEVC` is 16). */
export const MAX_CODE_LENGTH = 32;

export const NOT_A_VIDEO: MediaInspection = { ok: false, reason: 'not_a_video' };
export const UNREADABLE: MediaInspection = { ok: false, reason: 'unreadable' };

/** Thrown by the parsers on structurally broken input; `inspectMedia` turns it into `unreadable`. */
export class MalformedMediaError extends Error {
  override name = 'MalformedMediaError';
}

/**
 * Builds a successful inspection, or `unreadable` when the numbers the file gave make no sense or are past what
 * ClipIQ stores and decodes: a duration over 24 h, a side over 16,384 pixels, a picture over 8192×4352.
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
  if (!Number.isFinite(durationSeconds) || durationSeconds < 0 || durationSeconds > MAX_DURATION_SECONDS)
    return UNREADABLE;
  if (!isDimension(width) || !isDimension(height) || width * height > MAX_PICTURE_PIXELS) return UNREADABLE;
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
  return Number.isInteger(value) && value > 0 && value <= MAX_SIDE_PIXELS;
}

/**
 * Decodes a printable ASCII code (fourcc, DocType, CodecID), dropping trailing padding; undefined if not printable
 * or longer than {@link MAX_CODE_LENGTH}, which it finds without decoding the rest.
 *
 * @example
 * asciiCode(new TextEncoder().encode('avc1')); // → 'avc1'
 */
export function asciiCode(bytes: Uint8Array): string | undefined {
  let text = '';
  for (const byte of bytes) {
    if (byte === 0) break;
    if (byte < 0x20 || byte > 0x7e || text.length === MAX_CODE_LENGTH) return undefined;
    text += String.fromCharCode(byte);
  }
  const trimmed = text.trimEnd();
  return trimmed === '' ? undefined : trimmed;
}
