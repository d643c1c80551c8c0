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
  z.enum([
    'too_large',
    'size_mismatch',
    'not_a_video',
    'type_mismatch',
    'unreadable',
    'unsupported_codec',
    'processing_failed',
  ]),
);
export type RejectionReason = z.infer<typeof RejectionReason>;

/** `{id}` in the path of every route about one video. */
export const VideoIdParams = /* @__PURE__ */ lazySchema(() => z.object({ id: z.uuid() }));

/** `GET /videos/{id}/like`: whether the caller likes the video. */
export const LikeState = /* @__PURE__ */ lazySchema(() => z.strictObject({ liked: z.boolean() }));

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
  /** The poster, once the video is ready: the same URL for five minutes, so browsers cache it. */
  thumbnailUrl: z.optional(z.url()),
  /** While renditions are still being made. */
  processing: z.optional(
    z.object({
      stage: z.enum(['verifying', 'transcoding', 'packaging']),
      percent: z.int().check(z.minimum(0), z.maximum(100)),
      etaSeconds: z.optional(z.int()),
      renditions: z.array(z.object({ height: z.int(), status: z.enum(['pending', 'ready', 'failed']) })),
    }),
  ),
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
  z.object({
    url: z.url(),
    hls: z.url(),
    poster: z.url(),
    storyboard: z.url(),
    expiresAt: z.iso.datetime(),
  }),
);

/** `GET /videos/{id}/media/{file}`: a file of the video's media, by the signed URL `playback` handed out. */
export const MediaFileParams = /* @__PURE__ */ lazySchema(() =>
  z.object({ id: z.uuid(), file: z.string().check(z.maxLength(200)) }),
);
export const SignedMediaQuery = /* @__PURE__ */ lazySchema(() =>
  z.object({
    // Optional here so that a URL without them is the same 404 as a wrong one, telling nothing.
    expires: z.optional(z.coerce.number().check(z.int(), z.positive())),
    signature: z.optional(z.string().check(z.maxLength(64))),
  }),
);

/** `PUT /videos/{id}/poster`: cut the poster again from this moment. */
export const PosterRequest = /* @__PURE__ */ lazySchema(() =>
  z.strictObject({ atSeconds: z.number().check(z.nonnegative(), z.maximum(1_000_000)) }),
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

/** `GET /users/me/videos?cursor&limit&status`: the caller's own videos, optionally of one status. */
export const MyVideosQuery = /* @__PURE__ */ lazySchema(() =>
  z.object({ ...pageQueryFields(), status: z.optional(VideoStatus) }),
);
export type MyVideosQuery = z.infer<typeof MyVideosQuery>;

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

/** `POST /videos/{id}/upload/sign`: the request object `@uppy/aws-s3` 6 hands its `signRequest` option. */
export const SignUploadRequestBody = /* @__PURE__ */ lazySchema(() =>
  z.strictObject({
    method: z.enum(['PUT', 'POST', 'GET', 'DELETE']),
    /** The key the client proposes; the URL is always for the video's own key. */
    key: z.string().check(z.minLength(1), z.maxLength(1024)),
    uploadId: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
    partNumber: z.optional(z.int().check(z.minimum(1), z.maximum(MAX_PARTS))),
    /** The file's type as the browser saw it; the URL signs the type declared at create time. */
    contentType: z.optional(z.string().check(z.maxLength(255))),
    /** Part of Uppy's request type; upload URLs always live 15 minutes. */
    expiresIn: z.optional(z.int().check(z.positive())),
  }),
);
export type SignUploadRequestBody = z.output<typeof SignUploadRequestBody>;

/** What `signRequest` returns to Uppy: the URL, the video's key, the headers to send as signed. */
export const SignedUploadRequest = /* @__PURE__ */ lazySchema(() =>
  z.object({
    url: z.url(),
    key: z.string(),
    headers: z.record(z.string(), z.string()),
    expiresAt: z.iso.datetime(),
  }),
);

/** `GET /users/me/usage`: storage and today's uploads against their limits, and the largest videos. */
export const Usage = /* @__PURE__ */ lazySchema(() =>
  z.object({
    storage: z.object({ usedBytes: z.int(), limitBytes: z.int() }),
    daily: z.object({ usedBytes: z.int(), limitBytes: z.int(), resetsAt: z.iso.datetime() }),
    largest: z.array(z.object({ id: z.uuid(), title: z.string(), sizeBytes: z.int() })),
  }),
);
export type Usage = z.infer<typeof Usage>;

/** One of `GET /users/me/uploads`: a video waiting for its bytes, its upload plan and the parts already stored. */
export const ResumableUpload = /* @__PURE__ */ lazySchema(() =>
  z.object({
    video: Video,
    upload: z.object({
      method: z.enum(['PUT', 'MULTIPART']),
      key: z.string(),
      uploadId: z.optional(z.string()),
      partSize: z.optional(z.int()),
      partCount: z.optional(z.int()),
      parts: UploadedParts,
      /** When the clean-up expires the unfinished upload. */
      expiresAt: z.iso.datetime(),
    }),
  }),
);
export type ResumableUpload = z.infer<typeof ResumableUpload>;
export const ResumableUploadPage = /* @__PURE__ */ lazySchema(() => Page(ResumableUpload));

/** Sort key of search results (rank, then newest, then id), and the oldest candidate of the first page. */
export const SearchCursor = /* @__PURE__ */ lazySchema(() =>
  z.tuple([z.number().check(z.nonnegative()), TimeKey(), z.uuid(), TimeKey(), z.uuid()]),
);
export type SearchCursor = z.infer<typeof SearchCursor>;
