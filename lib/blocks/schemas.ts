import * as z from 'zod/mini';
import { lazySchema } from '../lazy-schema.ts';

/** `{userId}` in `/users/me/blocks/{userId}`. */
export const BlockedUserParams = /* @__PURE__ */ lazySchema(() =>
  z.strictObject({ userId: z.uuid('must be a user id') }),
);
