import type { S3Event, S3EventRecord } from 'aws-lambda';

/**
 * S3 event notifications carry object keys form-encoded: spaces as `+`, everything else percent-encoded
 * (`my video (1).mp4` → `my+video+%281%29.mp4`). Slashes stay as they are.
 */
export function encodeEventKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%2F/g, '/')
    .replace(/%20/g, '+');
}

/** The inverse of {@link encodeEventKey}: `+` becomes a space first, then percent-decoding. */
export function decodeEventKey(encoded: string): string {
  return decodeURIComponent(encoded.replace(/\+/g, ' '));
}

/** AWS names events `ObjectCreated:Put`; MinIO sends `s3:ObjectCreated:Put`. */
export function isObjectCreated(record: Pick<S3EventRecord, 'eventName'>): boolean {
  return record.eventName.replace(/^s3:/, '').startsWith('ObjectCreated:');
}

/**
 * Accepts what reaches the ingest function: an AWS S3 notification (`{ Records }`) or a MinIO webhook body
 * (`{ EventName, Key, Records }`, whose `Records` are S3 records), and returns the object-created records.
 */
export function objectCreatedRecords(payload: unknown): S3EventRecord[] {
  const records = (payload as Partial<S3Event> | null)?.Records;
  if (!Array.isArray(records)) return [];
  return records.filter((record) => typeof record?.eventName === 'string' && isObjectCreated(record));
}
