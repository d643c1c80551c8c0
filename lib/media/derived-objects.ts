import { readFile } from 'node:fs/promises';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { bucket, s3 } from '../storage.ts';
import { derivedKeys } from './derived-keys.ts';

/** Writes a file of a unit's temp folder (or text) under `key`; the same unit writes the same key again. */
export async function putDerivedObject(key: string, body: string | { path: string }, contentType: string) {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: typeof body === 'string' ? body : await readFile(body.path),
      ContentType: contentType,
    }),
  );
}

/** The text of a derived object (a playlist, a track). */
export async function readDerivedText(key: string): Promise<string> {
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await response.Body?.transformToString('utf8')) ?? '';
}

/** A presigned GET valid for `seconds`. */
export function presignDerivedGet(key: string, seconds: number): Promise<string> {
  return getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: seconds });
}

/**
 * Deletes every object under a video's derived folder, a thousand per request; returns how many went.
 *
 * @example
 * await deleteDerivedObjects(videoId); // → 14
 */
export async function deleteDerivedObjects(videoId: string): Promise<number> {
  let deleted = 0;
  for (;;) {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: derivedKeys(videoId).folder, MaxKeys: 1000 }),
    );
    const keys = (page.Contents ?? []).flatMap(({ Key }) => (Key ? [{ Key }] : []));
    if (keys.length === 0) return deleted;
    await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
    deleted += keys.length;
  }
}
