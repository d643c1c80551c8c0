import * as z from 'zod/mini';
import { lazySchema } from '../lazy-schema.ts';

/** `GET /users/{idOrUsername}/subscription`: whether the caller follows the channel. */
export const SubscriptionState = /* @__PURE__ */ lazySchema(() =>
  z.strictObject({ subscribed: z.boolean() }),
);
