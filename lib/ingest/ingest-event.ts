import { logger } from '../log.ts';
import { bucket } from '../storage.ts';
import { ingestObject } from './ingest-object.ts';

export interface CreatedObject {
  eventName: string;
  bucket: string;
  /** The decoded key; undefined when the event's key was not valid form-encoding. */
  key: string | undefined;
}

/**
 * Ingests the objects of one storage event. Each is tried even when another fails; then any failure is
 * rethrown so the invocation is retried, which is harmless for the objects that succeeded (ingest is
 * idempotent). Objects of another bucket and undecodable keys are logged and skipped.
 *
 * @example
 * await ingestCreatedObjects([{ eventName: 'ObjectCreated:Put', bucket: 'clipiq-videos', key }]);
 */
export async function ingestCreatedObjects(objects: readonly CreatedObject[]) {
  const failures: unknown[] = [];
  for (const object of objects) {
    if (object.key === undefined || object.bucket !== bucket) {
      logger.warn('Ignored a storage event for an unknown bucket or an undecodable key', { ...object });
      continue;
    }
    try {
      logger.info('Ingested an uploaded object', { ...object, ...(await ingestObject(object.key)) });
    } catch (error) {
      logger.error('Ingest failed; the event will be retried', { ...object, error: error as Error });
      failures.push(error);
    }
  }
  if (failures.length > 0)
    throw new AggregateError(failures, `${failures.length} object(s) could not be ingested`);
}
