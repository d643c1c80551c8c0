import { handler as createVideoHandler } from '#functions/videos/create.ts';
import { callApi } from './lambda.ts';
import { testStack } from './stack.ts';

export interface PutUpload {
  method: 'PUT';
  url: string;
  headers: Record<string, string>;
  expiresAt: string;
}

export interface MultipartUpload {
  method: 'MULTIPART';
  uploadId: string;
  key: string;
  partSize: number;
  partCount: number;
  expiresAt: string;
}

export interface CreatedVideo<U = PutUpload | MultipartUpload> {
  video: { id: string; status: string; [field: string]: unknown };
  upload: U;
}

export interface UploadDeclaration {
  fileName?: string;
  contentType?: string;
  sizeBytes: number;
  title?: string;
  visibility?: 'public' | 'unlisted' | 'private';
}

/**
 * Creates a video through `POST /videos` as `creator` and returns the 201 body.
 *
 * @example
 * const { video, upload } = await requestUpload(creator, { sizeBytes: bytes.byteLength });
 */
export async function requestUpload<U = PutUpload>(
  creator: { accessToken: string },
  declaration: UploadDeclaration,
): Promise<CreatedVideo<U>> {
  const response = await callApi<CreatedVideo<U>>(createVideoHandler, {
    method: 'POST',
    path: '/api/v1/videos',
    token: creator.accessToken,
    body: {
      title: declaration.title ?? 'A clip',
      fileName: declaration.fileName ?? 'clip.mp4',
      contentType: declaration.contentType ?? 'video/mp4',
      sizeBytes: declaration.sizeBytes,
      ...(declaration.visibility ? { visibility: declaration.visibility } : {}),
    },
  });
  if (response.status !== 201)
    throw new Error(`POST /videos answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

/**
 * Sends bytes to a presigned PUT the way a browser does: the returned headers, Content-Length from the body.
 *
 * @example
 * const response = await putUpload(upload, bytes);
 */
export function putUpload(
  upload: PutUpload,
  bytes: Uint8Array,
  headerOverrides: Record<string, string> = {},
) {
  return fetch(upload.url, {
    method: 'PUT',
    headers: { ...upload.headers, ...headerOverrides },
    body: bytes,
  });
}

/**
 * Creates a video, uploads `bytes` through its presigned PUT and waits until ingest has run.
 *
 * @example
 * const videoId = await uploadVideo(creator, await loadSharedSample());
 */
export async function uploadVideo(
  creator: { accessToken: string },
  bytes: Uint8Array,
  declaration: Partial<UploadDeclaration> = {},
) {
  const created = await requestUpload(creator, { sizeBytes: bytes.byteLength, ...declaration });
  const response = await putUpload(created.upload, bytes);
  if (response.status !== 200) throw new Error(`PUT answered ${response.status}: ${await response.text()}`);
  await testStack().storageEventsSettled();
  return created.video.id;
}
