import type { Principal } from '../auth/principal.ts';
import { sql } from '../db.ts';
import { config } from '../environment.ts';
import { HttpError, NotFound } from '../errors.ts';
import type { Usage } from './schemas.ts';

/** A user's quotas and what counts against them (every video that is not rejected, by its declared size). */
export interface QuotaStanding {
  storageUsedBytes: number;
  storageLimitBytes: number;
  dailyUsedBytes: number;
  dailyLimitBytes: number;
}

/**
 * The columns of {@link QuotaStanding}, read from `users`: the user's own limits or the configured defaults, and
 * the daily count only when it is today's (a UTC day). Compose it: sql`select ${quotaColumns} from users …`.
 */
export const quotaColumns = sql`
  storage_used_bytes,
  coalesce(storage_limit_bytes, ${config.defaultQuotas.storageLimitBytes}) as storage_limit_bytes,
  case when daily_upload_day = (now() at time zone 'utc')::date then daily_upload_bytes else 0 end
    as daily_used_bytes,
  coalesce(daily_upload_limit_bytes, ${config.defaultQuotas.dailyUploadLimitBytes}) as daily_limit_bytes
`;

/** When today's (UTC) upload count starts again from zero. */
export function dailyQuotaResetsAt(now: Date) {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)).toISOString();
}

/**
 * The 403 for an upload of `sizeBytes` that does not fit the standing, or undefined when it fits: the storage
 * quota first, then the day's. Each is its own problem type, apart from the 413 of a single upload's size limit.
 *
 * @example
 * const refusal = quotaRefusal(standing, 17_834, new Date()); if (refusal) throw refusal;
 */
export function quotaRefusal(standing: QuotaStanding, sizeBytes: number, now: Date) {
  if (standing.storageUsedBytes + sizeBytes > standing.storageLimitBytes) {
    return new HttpError(403, 'Storage quota exceeded', 'storage-quota', {
      detail: `This upload needs ${sizeBytes} bytes; ${Math.max(0, standing.storageLimitBytes - standing.storageUsedBytes)} of your ${standing.storageLimitBytes} are left`,
      members: { limitBytes: standing.storageLimitBytes, usedBytes: standing.storageUsedBytes },
    });
  }
  if (standing.dailyUsedBytes + sizeBytes > standing.dailyLimitBytes) {
    return new HttpError(403, 'Daily upload quota exceeded', 'daily-upload-quota', {
      detail: `This upload needs ${sizeBytes} bytes; ${Math.max(0, standing.dailyLimitBytes - standing.dailyUsedBytes)} of today's ${standing.dailyLimitBytes} are left`,
      members: {
        limitBytes: standing.dailyLimitBytes,
        usedBytes: standing.dailyUsedBytes,
        resetsAt: dailyQuotaResetsAt(now),
      },
    });
  }
  return undefined;
}

/** How many of the largest videos the usage lists. */
const LARGEST_LISTED = 10;

/**
 * The caller's storage and daily upload usage against their limits, and their largest videos (not rejected, up to
 * 10, largest first): what `GET /users/me/usage` shows.
 *
 * @example
 * const { storage, daily, largest } = await getUsage(caller);
 */
export async function getUsage(caller: Principal): Promise<Usage> {
  const [standing] = await sql<
    QuotaStanding[]
  >`select ${quotaColumns} from users where id = ${caller.userId}`;
  if (!standing) throw new NotFound('This account no longer exists');
  const largest = await sql<{ id: string; title: string; sizeBytes: number }[]>`
    select id, title, declared_size_bytes as size_bytes from videos
    where owner_id = ${caller.userId} and status <> 'rejected'
    order by declared_size_bytes desc, id limit ${LARGEST_LISTED}
  `;
  return {
    storage: { usedBytes: standing.storageUsedBytes, limitBytes: standing.storageLimitBytes },
    daily: {
      usedBytes: standing.dailyUsedBytes,
      limitBytes: standing.dailyLimitBytes,
      resetsAt: dailyQuotaResetsAt(new Date()),
    },
    largest: [...largest],
  };
}
