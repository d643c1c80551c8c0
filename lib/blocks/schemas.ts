import * as z from 'zod/mini';
import { lazySchema } from '../lazy-schema.ts';

/** `{userId}` in `/users/me/blocks/{userId}`. */
export const BlockedUserParams = /* @__PURE__ */ lazySchema(() =>
  z.strictObject({ userId: z.uuid('must be a user id') }),
);

/** `GET /users/me/blocks/{userId}`: whether the caller blocked that user. */
export const BlockState = /* @__PURE__ */ lazySchema(() => z.strictObject({ blocked: z.boolean() }));
