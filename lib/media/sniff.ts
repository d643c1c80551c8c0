import type { ContainerType } from './media-inspection.ts';
import { fourCC } from './mp4-boxes.ts';

export type SniffedFormat = { family: 'iso-bmff'; container: ContainerType } | { family: 'ebml' };

/** Old QuickTime files start straight with one of these atoms, without `ftyp`. */
const QUICKTIME_LEADING_ATOMS = new Set(['moov', 'mdat', 'wide', 'free', 'skip', 'pnot']);
/** ISO-BMFF still images (HEIF, AVIF, Canon raw) carry no movie. */
const IMAGE_BRANDS = new Set(['mif1', 'heic', 'heix', 'heim', 'heis', 'avif', 'crx ']);
const EBML_MAGIC = [0x1a, 0x45, 0xdf, 0xa3];

/**
 * Tells the container family from a file's first bytes (at least 12 are needed); undefined for anything else.
 *
 * @example
 * sniffFormat(firstBytes); // → { family: 'iso-bmff', container: 'video/quicktime' } for a `qt  ` brand
 */
export function sniffFormat(head: Uint8Array): SniffedFormat | undefined {
  if (EBML_MAGIC.every((byte, index) => head[index] === byte)) return { family: 'ebml' };
  if (head.byteLength < 12) return undefined;
  const leadingType = fourCC(head, 4);
  if (leadingType === 'ftyp') {
    const majorBrand = fourCC(head, 8);
    if (IMAGE_BRANDS.has(majorBrand)) return undefined;
    return { family: 'iso-bmff', container: majorBrand === 'qt  ' ? 'video/quicktime' : 'video/mp4' };
  }
  if (QUICKTIME_LEADING_ATOMS.has(leadingType)) return { family: 'iso-bmff', container: 'video/quicktime' };
  return undefined;
}
