import type { Principal } from '../auth/principal.ts';
import type { SqlOrTransaction } from '../db.ts';
import { sql } from '../db.ts';
import { BadRequest, Conflict, NotFound } from '../errors.ts';
import type { ReportTargetType, ResolveReportRequest } from './schemas.ts';

interface Target {
  type: ReportTargetType;
  id: string;
}

/** Takes a video or a comment down: gone for everyone but admins (a video's owner sees it as `removed`). */
async function removeTarget(tx: SqlOrTransaction, target: Target) {
  if (target.type === 'user') throw new BadRequest('A user is suspended, not removed');
  if (target.type === 'video') {
    await tx`update videos set status = 'removed', updated_at = now() where id = ${target.id}`;
    return;
  }
  await tx`update comments set status = 'removed' where id = ${target.id}`;
  await tx`delete from notifications where comment_id = ${target.id}`;
}

/** The account a report's target belongs to: the user, the video's owner or the comment's author. */
async function accountOf(tx: SqlOrTransaction, target: Target): Promise<string | undefined> {
  const [row] =
    target.type === 'user'
      ? await tx<{ id: string }[]>`select id from users where id = ${target.id}`
      : target.type === 'video'
        ? await tx<{ id: string }[]>`select owner_id as id from videos where id = ${target.id}`
        : await tx<{ id: string }[]>`select author_id as id from comments where id = ${target.id}`;
  return row?.id;
}

/**
 * Suspends an account: it can no longer sign in or write (401), every refresh token it holds is revoked, and its
 * videos and comments are taken down as by `remove`. An admin cannot be suspended (409).
 *
 * @example
 * await suspendAccount(tx, userId);
 */
export async function suspendAccount(tx: SqlOrTransaction, userId: string) {
  const [user] = await tx<{ role: string }[]>`select role from users where id = ${userId} for no key update`;
  if (!user) return;
  if (user.role === 'admin') throw new Conflict('An admin cannot be suspended');
  await tx`update users set suspended_at = coalesce(suspended_at, now()) where id = ${userId}`;
  await tx`update refresh_tokens set revoked_at = now() where user_id = ${userId} and revoked_at is null`;
  await tx`update videos set status = 'removed', updated_at = now() where owner_id = ${userId} and status <> 'removed'`;
  await tx`update comments set status = 'removed' where author_id = ${userId} and status <> 'removed'`;
  await tx`delete from notifications where comment_id in (select id from comments where author_id = ${userId})`;
}

/**
 * Resolves every open report on the target of report `id`, for an admin: `dismiss` changes nothing else, `remove`
 * takes the video or comment down, `suspend` suspends the account behind the target (see suspendAccount). A report
 * already resolved or dismissed is a 409.
 *
 * @example
 * await resolveReport(caller, reportId, { action: 'remove', note: 'Spam link' });
 */
export async function resolveReport(
  caller: Principal,
  id: string,
  request: ResolveReportRequest,
): Promise<void> {
  await sql.begin(async (tx) => {
    const [report] = await tx<{ targetType: ReportTargetType; targetId: string; status: string }[]>`
      select target_type, target_id, status from reports where id = ${id} for update
    `;
    if (!report) throw new NotFound('No report with this id');
    if (report.status !== 'open') throw new Conflict('This report is already closed');
    const target = { type: report.targetType, id: report.targetId };
    if (request.action === 'remove') await removeTarget(tx, target);
    if (request.action === 'suspend') {
      const account = await accountOf(tx, target);
      if (account) await suspendAccount(tx, account);
    }
    await tx`
      update reports set status = ${request.action === 'dismiss' ? 'dismissed' : 'resolved'}, resolved_at = now(),
             resolved_by = ${caller.userId}, resolution_note = ${request.note || null}
      where target_type = ${target.type} and target_id = ${target.id} and status = 'open'
    `;
  });
}
