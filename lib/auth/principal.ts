import * as z from 'zod/mini';
import { lazySchema } from '../lazy-schema.ts';

export const ROLES = ['viewer', 'creator', 'admin'] as const;
/** A user's role; a token's role is checked with {@link isRole}, no schema needed. */
export const Role = /* @__PURE__ */ lazySchema(() => z.enum(ROLES));
export type Role = z.infer<typeof Role>;

export const isRole = (value: unknown): value is Role => ROLES.includes(value as Role);

/** Who is calling: the verified subject of an access token. */
export interface Principal {
  userId: string;
  role: Role;
}
