import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { Usage } from '#lib/videos/schemas.ts';
import { getUsage } from '#lib/videos/upload-quota.ts';

/** GET /users/me/usage: the caller's storage and daily upload usage against their quotas, largest videos first. */
export const handler = route(
  { responses: { 200: Usage }, summary: 'Your storage and daily upload usage, and your largest videos' },
  async ({ caller }) => json(200, await getUsage(caller)),
);
