import { z } from 'zod';
import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';

/** A route whose handler fails unexpectedly, with a cause. */
export const failing = route({ auth: 'none', rateLimit: 'none', responses: { 204: null } }, async () => {
  throw new Error('the widget cache is corrupt', { cause: new Error('checksum mismatch in block 7') });
});

/** A signed-in route that takes a password and answers with a presigned-looking URL. */
export const echo = route(
  {
    body: z.strictObject({ password: z.string() }),
    rateLimit: 'none',
    responses: { 200: z.object({ url: z.string() }) },
  },
  async () => json(200, { url: 'https://bucket.example/uploads/x?X-Amz-Signature=abc123signature' }),
);
