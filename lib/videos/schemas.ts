import * as z from 'zod/mini';
import { lazySchema } from '../lazy-schema.ts';
import { Page, pageQueryFields, TimeKey } from '../pagination.ts';
import { MAX_PARTS } from './upload-policy.ts';

export const VideoVisibility = /* @__PURE__ */ lazySchema(() => z.enum(['public', 'unlisted', 'private']));
export type VideoVisibility = z.infer<typeof VideoVisibility>;
export const VideoStatus = /* @__PURE__ */ lazySchema(() =>
  z.enum(['awaiting_upload', 'processing', 'ready', 'rejected', 'removed']),
);
export type VideoStatus = z.infer<typeof VideoStatus>;
/** Who may comment on a video: anyone (`open`), anyone but held for the owner (`approval`), nobody (`closed`). */
export const CommentPolicy = /* @__PURE__ */ lazySchema(() => z.enum(['open', 'approval', 'closed']));
export type CommentPolicy = z.infer<typeof CommentPolicy>;
export const RejectionReason = /* @__PURE__ */ lazySchema(() =>
  z.enum(['too_large', 'size_mismatch', 'not_a_video', 'type_mismatch', 'unreadable', 'processing_failed']),
);
export type RejectionReason = z.infer<typeof RejectionReason>;

/** `{id}` in the path of every route about one video. */
export const VideoIdParams = /* @__PURE__ */ lazySchema(() => z.object({ id: z.uuid() }));

/** A video's `owner`, and a notification's `actor`. */
export const VideoOwner = /* @__PURE__ */ lazySchema(() =>
  z.object({ id: z.uuid(), username: z.string(), displayName: z.string() }),
);

/** The fields of the `video` object of the API contract. */
export const videoFields = () => ({
  id: z.uuid(),
  title: z.string(),
  description: z.string(),
  visibility: VideoVisibility,
  status: VideoStatus,
  rejectionReason: z.optional(RejectionReason),
  owner: VideoOwner,
  sizeBytes: z.optional(z.int()),
  contentType: z.optional(z.string()),
  durationSeconds: z.optional(z.number()),
  width: z.optional(z.int()),
  height: z.optional(z.int()),
  viewCount: z.int(),
  likeCount: z.int(),
  commentCount: z.int(),
  commentPolicy: CommentPolicy,
  createdAt: z.iso.datetime(),
  publishedAt: z.optional(z.iso.datetime()),
});

/** The `video` object. */
export const Video = /* @__PURE__ */ lazySchema(() => z.object(videoFields()));
export type Video = z.infer<typeof Video>;

export const VideoPage = /* @__PURE__ */ lazySchema(() => Page(Video));

export const CreateVideoBody = /* @__PURE__ */ lazySchema(() =>
  z.strictObject({
    title: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
    description: z._default(z.string().check(z.maxLength(5000)), ''),
    visibility: z._default(VideoVisibility, 'public'),
    fileName: z.string().check(z.trim(), z.minLength(1), z.maxLength(255)),
    // Any text here; an unaccepted type is a 415, not a 400.
    contentType: z.string().check(z.minLength(1), z.maxLength(255)),
    sizeBytes: z.int().check(z.positive(), z.maximum(Number.MAX_SAFE_INTEGER)),
  }),
);
export type CreateVideoBody = z.output<typeof CreateVideoBody>;

const putUpload = () =>
  z.object({
    method: z.literal('PUT'),
    url: z.url(),
    headers: z.record(z.string(), z.string()),
    expiresAt: z.iso.datetime(),
  });

const multipartUpload = () =>
  z.object({
    method: z.literal('MULTIPART'),
    uploadId: z.string(),
    key: z.string(),
    partSize: z.int(),
    partCount: z.int(),
    /** When the clean-up may abort the unfinished upload. */
    expiresAt: z.iso.datetime(),
  });

export const CreatedVideo = /* @__PURE__ */ lazySchema(() =>
  z.object({ video: Video, upload: z.discriminatedUnion('method', [putUpload(), multipartUpload()]) }),
);
export type CreatedVideo = z.infer<typeof CreatedVideo>;

/** `PATCH /videos/{id}`: only these four fields; anything else (status, owner, counts) is a 400. */
export const EditVideoRequest = /* @__PURE__ */ lazySchema(() =>
  z.strictObject({
    title: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
    description: z.optional(z.string().check(z.maxLength(5000))),
    visibility: z.optional(VideoVisibility),
    commentPolicy: z.optional(CommentPolicy),
  }),
);
export type EditVideoRequest = z.infer<typeof EditVideoRequest>;

export const Playback = /* @__PURE__ */ lazySchema(() =>
  z.object({ url: z.url(), expiresAt: z.iso.datetime() }),
);

/** The contract's `video`, plus `playback` once it is ready and visible to the caller. */
export const VideoDetails = /* @__PURE__ */ lazySchema(() =>
  z.object({ ...videoFields(), playback: z.optional(Playback) }),
);
export type VideoDetails = z.infer<typeof VideoDetails>;

/** `GET /videos?cursor&limit&owner&q`; a blank `q` lists instead of searching. */
export const ListVideosQuery = /* @__PURE__ */ lazySchema(() =>
  z.object({
    ...pageQueryFields(),
    owner: z.optional(z.uuid('must be a user id')),
    q: z.optional(
      z.pipe(
        z.string().check(z.maxLength(200)),
        z.transform((q) => q.trim()),
      ),
    ),
  }),
);
export type ListVideosQuery = z.infer<typeof ListVideosQuery>;

const multipartFields = () => ({
  id: z.uuid(),
  uploadId: z.string().check(z.minLength(1), z.maxLength(1024)),
});
export const MultipartParams = /* @__PURE__ */ lazySchema(() => z.object(multipartFields()));
export const PartParams = /* @__PURE__ */ lazySchema(() =>
  z.object({
    ...multipartFields(),
    partNumber: z.coerce.number().check(z.int(), z.minimum(1), z.maximum(MAX_PARTS)),
  }),
);

export const SignedPart = /* @__PURE__ */ lazySchema(() =>
  z.object({ url: z.url(), expiresAt: z.iso.datetime() }),
);
export const UploadedParts = /* @__PURE__ */ lazySchema(() =>
  z.array(z.object({ PartNumber: z.int(), ETag: z.string(), Size: z.number() })),
);

export const CompleteUploadBody = /* @__PURE__ */ lazySchema(() =>
  z.strictObject({
    parts: z
      .array(
        z.strictObject({
          PartNumber: z.int().check(z.minimum(1), z.maximum(MAX_PARTS)),
          ETag: z.string().check(z.minLength(1), z.maxLength(128)),
        }),
      )
      .check(
        z.minLength(1),
        z.maxLength(MAX_PARTS),
        z.refine(
          (parts) =>
            parts.every(
              (part, index) => index === 0 || part.PartNumber > (parts[index - 1]?.PartNumber ?? 0),
            ),
          'parts must be in ascending PartNumber order without repeats',
        ),
      ),
  }),
);
export type CompleteUploadBody = z.output<typeof CompleteUploadBody>;
export const CompletedUpload = /* @__PURE__ */ lazySchema(() => z.object({ location: z.string() }));

/** Sort key of search results (rank, then newest, then id), and the oldest candidate of the first page. */
export const SearchCursor = /* @__PURE__ */ lazySchema(() =>
  z.tuple([z.number().check(z.nonnegative()), TimeKey(), z.uuid(), TimeKey(), z.uuid()]),
);
export type SearchCursor = z.infer<typeof SearchCursor>;
