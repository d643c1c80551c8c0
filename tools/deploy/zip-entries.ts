import { readFile } from 'node:fs/promises';
import { constants, inflateRawSync } from 'node:zlib';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const DEFLATED = 8;

/** A file of a zip archive: its name, uncompressed size, Unix mode and the first bytes of its contents. */
export interface ZipEntry {
  name: string;
  size: number;
  /** The Unix mode from the external attributes (`0o100755` for an executable), 0 when the zip has none. */
  mode: number;
  /** Up to 64 bytes from the start of the file, uncompressed. */
  head: Buffer;
}

function entryHead(zip: Buffer, headerOffset: number, compressedSize: number) {
  if (zip.readUInt32LE(headerOffset) !== LOCAL_FILE_HEADER) throw new Error('corrupt local file header');
  const method = zip.readUInt16LE(headerOffset + 8);
  const start = headerOffset + 30 + zip.readUInt16LE(headerOffset + 26) + zip.readUInt16LE(headerOffset + 28);
  // Enough compressed bytes for the first 64 uncompressed ones; a sync flush returns them without the rest.
  const data = zip.subarray(start, start + Math.min(compressedSize, 4096));
  const head =
    method === DEFLATED ? inflateRawSync(data, { finishFlush: constants.Z_SYNC_FLUSH }) : Buffer.from(data);
  return head.subarray(0, 64);
}

/**
 * The files of a zip archive, read from its central directory, with each file's first bytes (no full extraction).
 *
 * @example
 * await zipEntries('.serverless/health.zip'); // [{ name: 'dist/functions/health/get.mjs', size: 963138, mode: 0o100644, head }, …]
 */
export async function zipEntries(path: string) {
  const zip = await readFile(path);
  // The end record is the last 22 bytes plus a comment of at most 65535 bytes.
  let end = zip.length - 22;
  while (end >= Math.max(0, zip.length - 22 - 0xffff) && zip.readUInt32LE(end) !== END_OF_CENTRAL_DIRECTORY)
    end--;
  if (end < 0 || zip.readUInt32LE(end) !== END_OF_CENTRAL_DIRECTORY)
    throw new Error(`${path} is not a zip file`);
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let index = 0; index < count; index++) {
    if (zip.readUInt32LE(offset) !== CENTRAL_DIRECTORY_ENTRY)
      throw new Error(`${path}: corrupt central directory`);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    entries.push({
      name: zip.toString('utf8', offset + 46, offset + 46 + nameLength),
      size: zip.readUInt32LE(offset + 24),
      mode: zip.readUInt32LE(offset + 38) >>> 16,
      head: entryHead(zip, zip.readUInt32LE(offset + 42), zip.readUInt32LE(offset + 20)),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
