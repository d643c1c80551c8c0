import type { Principal } from '../auth/principal.ts';
import { findVisibleComment } from '../comments/find-comment.ts';
import { sql } from '../db.ts';
import { BadRequest, NotFound } from '../errors.ts';
import {
  afterCursor,
  decodeCursor,
  type Page,
  pageLimit,
  TimeCursor,
  timeKeyText,
  toPage,
} from '../pagination.ts';
import { findVisibleVideo } from '../videos/find-video.ts';
import type {
  FiledReport,
  FileReportRequest,
  ListReportsQuery,
  ReportGroup,
  ReportStatus,
  ReportTargetType,
} from './schemas.ts';

/** A target the reporter can see: a video or comment they may see, or another user (404 otherwise). */
async function checkReportable(caller: Principal, type: ReportTargetType, id: string) {
  if (type === 'video') await findVisibleVideo(caller, id);
  else if (type === 'comment') await findVisibleComment(caller, id);
  else {
    if (id === caller.userId) throw new BadRequest('You cannot report yourself');
    const [user] = await sql`select id from users where id = ${id} and suspended_at is null`;
    if (!user) throw new NotFound('No user with this id');
  }
}

/**
 * Files a report on a video, comment or user the caller can see. A reporter has one open report per target: filing
 * again answers the open one (`created: false`) instead of adding another.
 *
 * @example
 * const { report, created } = await fileReport(caller, { targetType: 'video', targetId, reason: 'spam' });
 */
export async function fileReport(
  caller: Principal,
  request: FileReportRequest,
): Promise<{ report: FiledReport; created: boolean }> {
  await checkReportable(caller, request.targetType, request.targetId);
  const target = sql`${caller.userId}, ${request.targetType}::report_target, ${request.targetId}::uuid`;
  const [created] = await sql<FiledReport[]>`
    insert into reports (reporter_id, target_type, target_id, reason, details)
    values (${target}, ${request.reason}, ${request.details || null})
    on conflict (reporter_id, target_type, target_id) where status = 'open' do nothing
    returning id, status
  `;
  if (created) return { report: created, created: true };
  const [open] = await sql<FiledReport[]>`
    select id, status from reports
    where (reporter_id, target_type, target_id) = (${target}) and status = 'open'
  `;
  // The open report was resolved between the two statements: file this one afresh.
  return open ? { report: open, created: false } : fileReport(caller, request);
}

interface ReportGroupRow extends Omit<ReportGroup, 'reporter' | 'createdAt'> {
  reporterId: string;
  reporterUsername: string;
  reporterDisplayName: string;
  createdAt: Date;
  sortKey: TimeCursor;
}

/**
 * The admins' queue: reports with `status`, one item per target (its first report, with `reportCount` the number
 * of such reports on it), most recently reported target first.
 *
 * @example
 * const page = await listReports({ status: 'open', limit: 20 });
 */
export async function listReports(query: ListReportsQuery): Promise<Page<ReportGroup>> {
  const after = decodeCursor(query.cursor, TimeCursor);
  const rows = await sql<ReportGroupRow[]>`
    select g.id, g.target_type, g.target_id, g.reason, g.details, g.status, g.created_at, g.report_count,
           u.id as reporter_id, u.username as reporter_username, u.display_name as reporter_display_name,
           json_build_array(${timeKeyText(sql`g.created_at`)}, g.id) as sort_key
    from (
      select r.*, (count(*) over target)::int as report_count, row_number() over (target order by created_at, id) as rank
      from reports r where r.status = ${query.status}
      window target as (partition by r.target_type, r.target_id)
    ) g
    join users u on u.id = g.reporter_id
    where g.rank = 1 ${afterCursor(sql`g.created_at, g.id`, after)}
    order by g.created_at desc, g.id desc
    ${pageLimit(query.limit)}
  `;
  return toPage(
    rows,
    query.limit,
    (row) => row.sortKey,
    (row) => ({
      id: row.id,
      targetType: row.targetType,
      targetId: row.targetId,
      reason: row.reason,
      details: row.details,
      reporter: { id: row.reporterId, username: row.reporterUsername, displayName: row.reporterDisplayName },
      reportCount: row.reportCount,
      status: row.status as ReportStatus,
      createdAt: row.createdAt.toISOString(),
    }),
  );
}
