import { BadRequest, PayloadTooLarge, UnsupportedMediaType } from '../errors.ts';

const MiB = 1024 * 1024;

export const ACCEPTED_VIDEO_TYPES = ['video/mp4', 'video/webm', 'video/quicktime'] as const;
export type AcceptedVideoType = (typeof ACCEPTED_VIDEO_TYPES)[number];

/** Every uploaded object lives under this prefix; the storage event is scoped to it. */
export const UPLOADS_PREFIX = 'uploads/';
/** S3: every part but the last is at least 5 MiB, and an upload has at most 10,000 parts. */
export const MIN_PART_BYTES = 5 * MiB;
export const MAX_PARTS = 10_000;
const PREFERRED_PART_BYTES = 8 * MiB;
const MAX_FILE_STEM = 100;
const MAX_EXTENSION = 10;

/**
 * The accepted type a client declared, without parameters and in lower case; 415 for anything else.
 *
 * @example
 * acceptedVideoType('Video/MP4; codecs="avc1"'); // → 'video/mp4'
 */
export function acceptedVideoType(declared: string): AcceptedVideoType {
  const type = declared.split(';')[0]?.trim().toLowerCase();
  const accepted = ACCEPTED_VIDEO_TYPES.find((candidate) => candidate === type);
  if (!accepted) {
    throw new UnsupportedMediaType(`Upload a video as one of ${ACCEPTED_VIDEO_TYPES.join(', ')}`);
  }
  return accepted;
}

/** 413 when the declared size is above the configured maximum. */
export function assertUploadSize(sizeBytes: number, maxUploadBytes: number) {
  if (sizeBytes > maxUploadBytes) {
    throw new PayloadTooLarge(`A video may be at most ${maxUploadBytes} bytes`);
  }
}

/**
 * Part size and count for a multipart upload: 8 MiB parts, larger when 10,000 of them would not hold the file.
 *
 * @example
 * partPlan(20 * 1024 * 1024); // → { partSize: 8388608, partCount: 3 }
 */
export function partPlan(sizeBytes: number) {
  const partSize = Math.max(PREFERRED_PART_BYTES, Math.ceil(sizeBytes / MAX_PARTS / MiB) * MiB);
  return { partSize, partCount: Math.ceil(sizeBytes / partSize) };
}

/**
 * The exact length of one part of the plan: the plan's part size, the remainder for the last part; 400 for a part
 * number beyond the planned count (`path` names it in the problem).
 *
 * @example
 * plannedPartBytes(20 * 1024 * 1024, 3); // → 4194304
 */
export function plannedPartBytes(sizeBytes: number, partNumber: number, path = 'params.partNumber') {
  const { partSize, partCount } = partPlan(sizeBytes);
  if (partNumber > partCount) {
    throw new BadRequest(`This upload has ${partCount} parts`, {
      errors: [{ path, message: `must be at most ${partCount}` }],
    });
  }
  return partNumber < partCount ? partSize : sizeBytes - partSize * (partCount - 1);
}

/**
 * A file name safe inside a storage key: the last path segment, ASCII letters, digits, space, `.`, `_`, `-`,
 * `(`, `)` and `+` (others become `_`), the extension kept, the stem bounded to 100 characters.
 *
 * @example
 * sanitiseFileName('../../My Holiday (1)+été.MP4'); // → 'My Holiday (1)+_t_.mp4'
 */
export function sanitiseFileName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  const stem = dot > 0 ? base.slice(0, dot) : base;
  const extension = dot > 0 ? base.slice(dot + 1) : '';
  const safeStem =
    stem
      .normalize('NFC')
      .replace(/[^A-Za-z0-9 ._()+-]/gu, '_')
      .replace(/\s+/g, ' ')
      // No leading dots or spaces: no hidden names, no `..` segment.
      .replace(/^[. ]+/, '')
      .slice(0, MAX_FILE_STEM)
      .trimEnd() || 'video';
  const safeExtension = extension
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, MAX_EXTENSION)
    .toLowerCase();
  return safeExtension ? `${safeStem}.${safeExtension}` : safeStem;
}

/**
 * The server-built storage key of a video's upload: nothing the client sends chooses its owner or id part.
 *
 * @example
 * uploadKey(ownerId, videoId, 'clip.mp4'); // → 'uploads/<ownerId>/<videoId>/clip.mp4'
 */
export function uploadKey(ownerId: string, videoId: string, fileName: string) {
  return `${UPLOADS_PREFIX}${ownerId}/${videoId}/${sanitiseFileName(fileName)}`;
}
