import AwsS3, { type AwsS3Options } from '@uppy/aws-s3';
import Uppy, { type Body, type UppyFile } from '@uppy/core';
import Dashboard from '@uppy/dashboard';
import GoldenRetriever from '@uppy/golden-retriever';
import { api, type Video, type Visibility } from './api.ts';

/** What each file carries from `POST /videos` (kept by Golden Retriever across a reload). */
export interface UploadMeta {
  [field: string]: unknown;
  /** The title typed in the file's card of the Dashboard. */
  title?: string;
  idempotencyKey?: string;
  videoId?: string;
  uploadMethod?: 'PUT' | 'MULTIPART';
  partSize?: number;
}

interface CreatedVideo {
  video: Video;
  upload: { method: 'PUT' } | { method: 'MULTIPART'; partSize: number };
}

/** The title (unless a file has its own), description and visibility every file of the next upload gets. */
export interface VideoDetailsForm {
  title(): string;
  description(): string;
  visibility(): Visibility;
}

type UploadFile = UppyFile<UploadMeta, Body>;

const GiB = 1024 * 1024 * 1024;

/** A file's title: its own (from its card in the Dashboard), else the form's, else its name without the extension. */
const titleOf = (file: UploadFile, details: VideoDetailsForm) =>
  file.meta.title?.trim() || details.title().trim() || (file.name ?? 'Untitled').replace(/\.[^.]+$/, '');

/**
 * The video id of an object key: the key the client proposes is `<videoId>/<file name>`, and the server's own is
 * `uploads/<owner>/<videoId>/<file name>`; after a reload Uppy only knows the latter.
 */
const videoIdOfKey = (key: string) => key.split('/').at(-2) ?? '';

/**
 * A stock Uppy 6 (Dashboard, `@uppy/aws-s3`, Golden Retriever) for `userId`: every file becomes a video through
 * `POST /videos` (with an `Idempotency-Key`, so a retried create never makes a second video) before its bytes go
 * straight to storage through URLs of `POST /videos/{id}/upload/sign`. Golden Retriever keeps the files (in
 * IndexedDB) and the multipart state across a reload; on resume `@uppy/aws-s3` lists the stored parts and sends only
 * the missing ones.
 */
export function createUploader(userId: string, details: VideoDetailsForm) {
  const uppy = new Uppy<UploadMeta, Body>({
    // Per user: another account on this browser never resumes someone else's files.
    id: `clipiq-upload-${userId}`,
    restrictions: { allowedFileTypes: ['video/*'] },
  });

  uppy.on('file-added', (file) => {
    if (!file.meta.idempotencyKey) uppy.setFileMeta(file.id, { idempotencyKey: crypto.randomUUID() });
  });

  uppy.addPreProcessor(async (fileIDs) => {
    for (const id of fileIDs) {
      const file = uppy.getFile(id);
      if (!file || file.meta.videoId) continue;
      const created = await api<CreatedVideo>(
        'POST',
        '/videos',
        {
          title: titleOf(file, details),
          description: details.description(),
          visibility: details.visibility(),
          fileName: file.name,
          contentType: file.type || 'application/octet-stream',
          sizeBytes: file.size,
        },
        { 'idempotency-key': file.meta.idempotencyKey ?? crypto.randomUUID() },
      );
      uppy.setFileMeta(id, {
        videoId: created.video.id,
        uploadMethod: created.upload.method,
        ...(created.upload.method === 'MULTIPART' ? { partSize: created.upload.partSize } : {}),
      });
    }
  });

  const s3Options: AwsS3Options<UploadMeta, Body> = {
    // The plan `POST /videos` made holds: multipart above the server's threshold, in its part size.
    shouldUseMultipart: (file) => file.meta.uploadMethod === 'MULTIPART',
    // Uppy hands only the size here; files of one size share one plan.
    getChunkSize: ({ size }) =>
      uppy.getFiles().find((file) => file.size === size && file.meta.partSize)?.meta.partSize ?? size,
    generateObjectKey: (file) => `${file.meta.videoId}/${file.name}`,
    signRequest: (request) =>
      api('POST', `/videos/${encodeURIComponent(videoIdOfKey(request.key))}/upload/sign`, request),
  };
  uppy.use(AwsS3, s3Options);
  uppy.use(GoldenRetriever, {
    // Its store reads these limits (default 10 MiB a file) though its type declares only the database's name.
    indexedDB: { maxFileSize: 10 * GiB, maxTotalSize: 20 * GiB } as object,
  });
  return uppy;
}

/** Shows `uppy`'s Dashboard inline in `target` (again, after the page was rendered anew). */
export function mountDashboard(uppy: ReturnType<typeof createUploader>, target: HTMLElement) {
  const previous = uppy.getPlugin('Dashboard');
  if (previous) uppy.removePlugin(previous);
  uppy.use(Dashboard, {
    inline: true,
    target,
    height: 360,
    width: '100%',
    proudlyDisplayPoweredByUppy: false,
    metaFields: [{ id: 'title', name: 'Video title', placeholder: 'The title above, else the file name' }],
  });
}
