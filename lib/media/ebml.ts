import { MalformedMediaError } from './media-inspection.ts';

/** An EBML (Matroska/WebM) element header. */
export interface ElementHeader {
  /** The ID with its length marker kept, as the specs write it (Segment is 0x18538067). */
  id: number;
  headerSize: number;
  /** Data size; undefined for "unknown size" (live streams write Segment and Cluster this way). */
  size: number | undefined;
}

/** An element located inside a byte array: data runs from `dataStart` to `end`. */
export interface Element {
  id: number;
  dataStart: number;
  end: number;
}

/**
 * Parses the element header at `at`; undefined when the bytes are too short or not a valid header.
 *
 * @example
 * parseElementHeader(bytes, 0); // → { id: 0x1a45dfa3, headerSize: 5, size: 31 }
 */
export function parseElementHeader(bytes: Uint8Array, at: number): ElementHeader | undefined {
  const id = readVint(bytes, at, 4);
  if (!id) return undefined;
  const size = readVint(bytes, at + id.length, 8);
  if (!size) return undefined;
  return {
    id: id.raw,
    headerSize: id.length + size.length,
    size: size.allOnes ? undefined : size.value,
  };
}

/**
 * Lists the child elements between `start` and `end`; throws MalformedMediaError when one overruns its parent.
 *
 * @example
 * for (const child of childElements(info, 0, info.byteLength)) if (child.id === 0x4489) …
 */
export function* childElements(bytes: Uint8Array, start: number, end: number): Generator<Element> {
  const parent = bytes.subarray(0, end);
  let at = start;
  while (at < end) {
    const header = parseElementHeader(parent, at);
    if (!header) throw new MalformedMediaError(`bad element header at ${at}`);
    const dataStart = at + header.headerSize;
    const elementEnd = header.size === undefined ? end : dataStart + header.size;
    if (elementEnd > end)
      throw new MalformedMediaError(`element 0x${header.id.toString(16)} overruns its parent`);
    yield { id: header.id, dataStart, end: elementEnd };
    at = elementEnd;
  }
}

/**
 * Reads an unsigned integer element (0 to 8 bytes; values past 2^53 lose precision).
 *
 * @example
 * readUnsigned(bytes, trackType); // → 1 for a video track
 */
export function readUnsigned(bytes: Uint8Array, element: Element): number {
  const length = element.end - element.dataStart;
  if (length > 8) throw new MalformedMediaError('unsigned integer longer than 8 bytes');
  let value = 0;
  for (let at = element.dataStart; at < element.end; at++) value = value * 256 + byteAt(bytes, at);
  return value;
}

/**
 * Reads a float element (0, 4 or 8 bytes).
 *
 * @example
 * readFloat(bytes, duration); // → 2008
 */
export function readFloat(bytes: Uint8Array, element: Element): number {
  const length = element.end - element.dataStart;
  if (length === 0) return 0;
  if (length !== 4 && length !== 8) throw new MalformedMediaError('float must be 4 or 8 bytes');
  const view = new DataView(bytes.buffer, bytes.byteOffset + element.dataStart, length);
  return length === 4 ? view.getFloat32(0) : view.getFloat64(0);
}

function readVint(bytes: Uint8Array, at: number, maxLength: number) {
  if (at >= bytes.byteLength) return undefined;
  const first = byteAt(bytes, at);
  const length = Math.clz32(first) - 23;
  if (first === 0 || length > maxLength || at + length > bytes.byteLength) return undefined;
  let raw = first;
  let value = first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let index = 1; index < length; index++) {
    const byte = byteAt(bytes, at + index);
    raw = raw * 256 + byte;
    value = value * 256 + byte;
    allOnes &&= byte === 0xff;
  }
  return { length, raw, value, allOnes };
}

function byteAt(bytes: Uint8Array, at: number) {
  const byte = bytes[at];
  if (byte === undefined) throw new MalformedMediaError(`read past the end at ${at}`);
  return byte;
}
