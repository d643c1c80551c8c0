import * as z from 'zod/mini';
import { lazySchema } from '../lazy-schema.ts';
import { Page } from '../pagination.ts';
import { Video, VideoOwner, VideoVisibility } from '../videos/schemas.ts';

/** The most videos one playlist holds. */
export const MAX_PLAYLIST_ITEMS = 5000;

// Plain text: stored and answered as given, never markup; control characters (a NUL among them) are refused, but a
// description keeps its line breaks and tabs.
const Title = () =>
  z
    .string()
    .check(
      z.trim(),
      z.minLength(1),
      z.maxLength(200),
      z.regex(/^\P{Cc}*$/u, 'must be plain text on one line'),
    );
const Description = () =>
  z.string().check(z.maxLength(5000), z.regex(/^[\P{Cc}\t\n\r]*$/u, 'must be plain text'));

/** `{id}` in the path of every route about one playlist. */
export const PlaylistIdParams = /* @__PURE__ */ lazySchema(() => z.strictObject({ id: z.uuid() }));

/** `{id}/items/{videoId}`: one video of a playlist. */
export const PlaylistItemParams = /* @__PURE__ */ lazySchema(() =>
  z.strictObject({ id: z.uuid(), videoId: z.uuid() }),
);

/** The `playlist` object of the contract. */
export const Playlist = /* @__PURE__ */ lazySchema(() =>
  z.object({
    id: z.uuid(),
    title: z.string(),
    description: z.string(),
    visibility: VideoVisibility,
    owner: VideoOwner,
    videoCount: z.int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  }),
);
export type Playlist = z.infer<typeof Playlist>;
export const PlaylistPage = /* @__PURE__ */ lazySchema(() => Page(Playlist));

export const CreatePlaylistBody = /* @__PURE__ */ lazySchema(() =>
  z.strictObject({
    title: Title(),
    description: z._default(Description(), ''),
    visibility: z._default(VideoVisibility, 'public'),
  }),
);
export type CreatePlaylistBody = z.output<typeof CreatePlaylistBody>;

/** `PATCH /playlists/{id}`: only these three fields; anything else (owner, counts) is a 400. */
export const EditPlaylistBody = /* @__PURE__ */ lazySchema(() =>
  z.strictObject({
    title: z.optional(Title()),
    description: z.optional(Description()),
    visibility: z.optional(VideoVisibility),
  }),
);
export type EditPlaylistBody = z.output<typeof EditPlaylistBody>;

/** A position asked for: 1 is the top; one beyond the end means the end. */
const Position = () => z.int().check(z.minimum(1));

export const AddPlaylistItemBody = /* @__PURE__ */ lazySchema(() =>
  z.strictObject({ videoId: z.uuid(), position: z.optional(Position()) }),
);
export type AddPlaylistItemBody = z.output<typeof AddPlaylistItemBody>;

export const MovePlaylistItemBody = /* @__PURE__ */ lazySchema(() =>
  z.strictObject({ position: Position() }),
);
export type MovePlaylistItemBody = z.output<typeof MovePlaylistItemBody>;

/** One video of a playlist at its position. */
export const PlaylistItem = /* @__PURE__ */ lazySchema(() => z.object({ position: z.int(), video: Video }));
export type PlaylistItem = z.infer<typeof PlaylistItem>;
export const PlaylistItemPage = /* @__PURE__ */ lazySchema(() => Page(PlaylistItem));

/** The sort key of a playlist's items: the position of the last one shown. */
export const PositionCursor = /* @__PURE__ */ lazySchema(() =>
  z.tuple([z.int().check(z.minimum(1), z.maximum(MAX_PLAYLIST_ITEMS))]),
);
export type PositionCursor = z.infer<typeof PositionCursor>;
