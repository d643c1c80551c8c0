import * as z from 'zod/mini';

export const ROLES = ['viewer', 'creator', 'admin'] as const;
/** A part of lazily built schemas, so lazy too; a token's role is checked with {@link isRole}, no schema needed. */
export const Role = z.lazy(() => z.enum(ROLES));
export type Role = z.infer<typeof Role>;

export const isRole = (value: unknown): value is Role => ROLES.includes(value as Role);

/** Who is calling: the verified subject of an access token. */
export interface Principal {
  userId: string;
  role: Role;
}
