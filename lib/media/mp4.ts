import { type ContainerType, type MediaInspection, UNREADABLE } from './media-inspection.ts';
import { parseBoxHeader } from './mp4-boxes.ts';
import { inspectMovieBox } from './mp4-movie.ts';
import { type RangedReader, readExact } from './ranged-reader.ts';

/** Real layouts have a handful of top-level boxes before `moov`; each header read past the first bytes is a request. */
const MAX_TOP_LEVEL_BOXES = 32;
const MAX_MOVIE_BOX_BYTES = 64 * 1024 * 1024;
const BOX_HEADER_READ = 16;

/**
 * Inspects an ISO-BMFF (MP4) or QuickTime file by reading only top-level box headers and the `moov` box,
 * wherever it sits (after a huge `mdat` or `free` in files that were not made "faststart").
 *
 * @example
 * await inspectIsoMedia(headCachedReader(reader, head), 'video/mp4');
 */
export async function inspectIsoMedia(
  reader: RangedReader,
  container: ContainerType,
): Promise<MediaInspection> {
  const moov = await readMovieBox(reader);
  return moov ? inspectMovieBox(moov, container) : UNREADABLE;
}

/**
 * The `moov` box (header included) of an ISO-BMFF or QuickTime file, read with ranged reads of the top-level box
 * headers and then the box itself; undefined when the file's top level is broken, truncated, has no or two `moov`
 * boxes, or one too large.
 *
 * @example
 * const moov = await readMovieBox(storedObjectReader(key, size));
 */
export async function readMovieBox(reader: RangedReader): Promise<Uint8Array | undefined> {
  let movie: { offset: number; size: number } | undefined;
  let offset = 0;
  let walked = 0;
  // Every top-level box is walked, not just up to moov, so a truncated upload (mdat past the end) is caught.
  while (offset < reader.size) {
    // Past the cap only a fragmented file's moof/mdat pairs remain plausible: accept its tail unverified.
    if (walked === MAX_TOP_LEVEL_BOXES) break;
    walked += 1;
    const bytes = await readExact(reader, offset, Math.min(BOX_HEADER_READ, reader.size - offset));
    const header = bytes && parseBoxHeader(bytes, 0);
    if (!header) return undefined;
    const size = header.size ?? reader.size - offset;
    if (size < header.headerSize || offset + size > reader.size) return undefined;
    if (header.type === 'moov') {
      if (movie) return undefined;
      movie = { offset, size };
    }
    offset += size;
  }
  if (!movie || movie.size > MAX_MOVIE_BOX_BYTES) return undefined;
  return readExact(reader, movie.offset, movie.size);
}
