import * as z from 'zod/mini';

export const Role = z.enum(['viewer', 'creator', 'admin']);
export type Role = z.infer<typeof Role>;

/** Who is calling: the verified subject of an access token. */
export interface Principal {
  userId: string;
  role: Role;
}
