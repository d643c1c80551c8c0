import * as z from 'zod/mini';
import { sql } from '#lib/db.ts';
import { ServiceUnavailable } from '#lib/errors.ts';
import { problemResponse } from '#lib/http/problem.ts';
import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { lazySchema } from '#lib/lazy-schema.ts';
import { logger } from '#lib/log.ts';
import { checkBucket } from '#lib/storage.ts';

const PROBE_TIMEOUT_MS = 2000;
/**
 * How long one probe's answer is reused, 200 and 503 alike: a flood of GET /health reaches the database and the
 * bucket once per window, which matters most during an outage, and a recovery shows within the window.
 */
const REPORT_REUSE_MS = 5000;

async function probe(part: string, check: () => Promise<unknown>) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${part} did not answer within ${PROBE_TIMEOUT_MS} ms`)),
      PROBE_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([check(), timeout]);
    return 'ok' as const;
  } catch (error) {
    logger.warn(`Health check: ${part} is down`, error as Error);
    return 'down' as const;
  } finally {
    clearTimeout(timer);
  }
}

async function probeParts() {
  return {
    database: await probe('database', () => sql`select 1`),
    storage: await probe('storage', checkBucket),
  };
}

/** The parts' states, probed at most once per window; calls during a probe wait for that probe. */
let latest: { parts: ReturnType<typeof probeParts>; until: number } | undefined;
function currentParts() {
  if (latest === undefined || Date.now() >= latest.until) {
    latest = { parts: probeParts(), until: Date.now() + REPORT_REUSE_MS };
  }
  return latest.parts;
}

const HealthReport = /* @__PURE__ */ lazySchema(() =>
  z.object({ status: z.literal('ok'), database: z.literal('ok'), storage: z.literal('ok') }),
);

/**
 * GET /health: 200 when database and storage answer; otherwise 503 problem+json naming the failing part. The answer
 * is up to five seconds old.
 */
export const handler = route(
  {
    auth: 'none',
    rateLimit: 'none',
    responses: { 200: HealthReport },
    summary: 'Whether the database and the videos bucket answer (503 names the failing part)',
  },
  async () => {
    const parts = await currentParts();
    const down = Object.entries(parts)
      .filter(([, state]) => state === 'down')
      .map(([part]) => part);
    if (down.length === 0) return json(200, { status: 'ok', ...parts });
    return problemResponse(new ServiceUnavailable(`Unavailable: ${down.join(', ')}`), parts);
  },
);
