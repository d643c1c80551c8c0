import { MalformedMediaError } from './media-inspection.ts';

/** An ISO-BMFF / QuickTime box header. */
export interface BoxHeader {
  type: string;
  headerSize: number;
  /** Whole box size including the header; undefined when the box runs to the end of its parent (size 0). */
  size: number | undefined;
}

/** A box located inside a byte array: `start` is its header, `payloadStart`…`end` its contents. */
export interface Box {
  type: string;
  start: number;
  payloadStart: number;
  end: number;
}

/**
 * Parses the box header at `at`; undefined when the bytes are too short or the size is impossible.
 *
 * @example
 * parseBoxHeader(bytes, 0); // → { type: 'ftyp', headerSize: 8, size: 32 }
 */
export function parseBoxHeader(bytes: Uint8Array, at: number): BoxHeader | undefined {
  if (at < 0 || at + 8 > bytes.byteLength) return undefined;
  const view = viewOf(bytes);
  const size = view.getUint32(at);
  const type = fourCC(bytes, at + 4);
  if (size === 0) return { type, headerSize: 8, size: undefined };
  if (size !== 1) return size < 8 ? undefined : { type, headerSize: 8, size };
  if (at + 16 > bytes.byteLength) return undefined;
  const largeSize = view.getBigUint64(at + 8);
  if (largeSize < 16n || largeSize > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return { type, headerSize: 16, size: Number(largeSize) };
}

/**
 * Lists the child boxes between `start` and `end`; throws MalformedMediaError when one overruns its parent.
 *
 * @example
 * for (const box of childBoxes(moov, 8, moov.byteLength)) if (box.type === 'mvhd') …
 */
export function* childBoxes(bytes: Uint8Array, start: number, end: number): Generator<Box> {
  const parent = bytes.subarray(0, end);
  let at = start;
  // Fewer than 8 trailing bytes are padding (QuickTime ends some atom lists with a 32-bit zero).
  while (at + 8 <= end) {
    const header = parseBoxHeader(parent, at);
    if (!header) throw new MalformedMediaError(`bad box header at ${at}`);
    const boxEnd = header.size === undefined ? end : at + header.size;
    if (boxEnd > end || boxEnd - at < header.headerSize) {
      throw new MalformedMediaError(`box ${header.type} overruns its parent`);
    }
    yield { type: header.type, start: at, payloadStart: at + header.headerSize, end: boxEnd };
    at = boxEnd;
  }
}

/**
 * Finds the first box along a path of nested types, e.g. `['mdia', 'hdlr']` inside a `trak`.
 *
 * @example
 * const stsd = findBox(moov, trak, ['mdia', 'minf', 'stbl', 'stsd']);
 */
export function findBox(bytes: Uint8Array, parent: Box, path: string[]): Box | undefined {
  let current: Box | undefined = parent;
  for (const type of path) {
    if (!current) return undefined;
    let match: Box | undefined;
    for (const child of childBoxes(bytes, current.payloadStart, current.end)) {
      if (child.type === type) {
        match = child;
        break;
      }
    }
    current = match;
  }
  return current;
}

/**
 * Reads a box payload field as a DataView, throwing MalformedMediaError when the box is too short for it.
 *
 * @example
 * const timescale = payloadView(moov, mvhd, 12, 4).getUint32(0);
 */
export function payloadView(bytes: Uint8Array, box: Box, offset: number, length: number): DataView {
  const at = box.payloadStart + offset;
  if (at + length > box.end) throw new MalformedMediaError(`box ${box.type} is too short`);
  return new DataView(bytes.buffer, bytes.byteOffset + at, length);
}

/**
 * Reads the four-character code at `at` as Latin-1 text.
 *
 * @example
 * fourCC(bytes, 4); // → 'ftyp'
 */
export function fourCC(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + 4));
}

function viewOf(bytes: Uint8Array) {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
