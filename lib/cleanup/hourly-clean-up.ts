import { pruneRateLimitWindows } from '../http/rate-limit.ts';
import { redriveMediaUnits } from '../media/redrive.ts';
import { pruneStaleConnections } from '../realtime/connections.ts';
import { pruneExpiredTickets } from '../realtime/tickets.ts';
import { forgetIdempotencyKeys } from '../videos/idempotent-create.ts';
import { sweepOrphanedObjects } from '../videos/orphaned-objects.ts';
import {
  abortStaleMultipartUploads,
  expireStaleUploads,
  ingestStuckVideos,
} from '../videos/unfinished-uploads.ts';
import { pruneViewMarks } from '../videos/views.ts';
import { runDuties } from './guarded.ts';

/**
 * The hourly clean-up as of `now`, one duty after another: prune (view marks and rate-limit windows older than an
 * hour, WebSocket connections older than API Gateway lets one live, lapsed tickets, and Idempotency-Keys older than a
 * day, first, as they need nothing else), expire stale uploads and abort stale multipart uploads, ingest videos stuck
 * in `processing` again, run media units that went silent again (or give their video up), and sweep objects no video
 * keeps. A duty or a row that fails is logged and counted in
 * `failed`; it never stops the others.
 *
 * @example
 * await runHourlyCleanUp(new Date());
 * // → { viewMarksPruned: 4, rateLimitWindowsPruned: 12, expired: 1, ingested: 0, abortedUploads: 1, …, failed: 0 }
 */
export function runHourlyCleanUp(now: Date) {
  return runDuties([
    ['prune view marks', async () => ({ viewMarksPruned: await pruneViewMarks() })],
    ['prune rate-limit windows', async () => ({ rateLimitWindowsPruned: await pruneRateLimitWindows() })],
    ['prune stale connections', async () => ({ connectionsPruned: await pruneStaleConnections(now) })],
    ['prune expired tickets', async () => ({ ticketsPruned: await pruneExpiredTickets(now) })],
    ['forget idempotency keys', async () => ({ idempotencyKeysForgotten: await forgetIdempotencyKeys() })],
    ['expire stale uploads', () => expireStaleUploads(now)],
    ['abort stale multipart uploads', () => abortStaleMultipartUploads(now)],
    ['ingest stuck videos', () => ingestStuckVideos(now)],
    ['redrive media units', () => redriveMediaUnits(now)],
    ['sweep orphaned objects', () => sweepOrphanedObjects(now)],
  ]);
}
