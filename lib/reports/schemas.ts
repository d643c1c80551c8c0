import * as z from 'zod/mini';
import { lazySchema } from '../lazy-schema.ts';
import { Page, pageQueryFields } from '../pagination.ts';
import { VideoOwner } from '../videos/schemas.ts';

export const ReportTargetType = /* @__PURE__ */ lazySchema(() => z.enum(['video', 'comment', 'user']));
export type ReportTargetType = z.infer<typeof ReportTargetType>;
export const ReportStatus = /* @__PURE__ */ lazySchema(() => z.enum(['open', 'resolved', 'dismissed']));
export type ReportStatus = z.infer<typeof ReportStatus>;
const ReportReason = () => z.enum(['spam', 'abuse', 'sexual', 'violence', 'copyright', 'other']);

/** `POST /reports`. */
export const FileReportRequest = /* @__PURE__ */ lazySchema(() =>
  z.strictObject({
    targetType: ReportTargetType,
    targetId: z.uuid(),
    reason: ReportReason(),
    details: z.optional(z.string().check(z.trim(), z.maxLength(2000))),
  }),
);
export type FileReportRequest = z.infer<typeof FileReportRequest>;

/** What filing a report answers: the open report of this reporter on this target. */
export const FiledReport = /* @__PURE__ */ lazySchema(() => z.object({ id: z.uuid(), status: ReportStatus }));
export type FiledReport = z.infer<typeof FiledReport>;

/** One target's reports in the admins' queue: its first report, and how many there are. */
export const ReportGroup = /* @__PURE__ */ lazySchema(() =>
  z.object({
    id: z.uuid(),
    targetType: ReportTargetType,
    targetId: z.uuid(),
    reason: ReportReason(),
    details: z.nullable(z.string()),
    reporter: VideoOwner,
    reportCount: z.int(),
    status: ReportStatus,
    createdAt: z.iso.datetime(),
  }),
);
export type ReportGroup = z.infer<typeof ReportGroup>;
export const ReportPage = /* @__PURE__ */ lazySchema(() => Page(ReportGroup));

/** `GET /admin/reports?status&cursor&limit`. */
export const ListReportsQuery = /* @__PURE__ */ lazySchema(() =>
  z.object({ ...pageQueryFields(), status: z._default(ReportStatus, 'open') }),
);
export type ListReportsQuery = z.infer<typeof ListReportsQuery>;

export const ReportIdParams = /* @__PURE__ */ lazySchema(() => z.object({ id: z.uuid() }));

/** `POST /admin/reports/{id}/resolve`. */
export const ResolveReportRequest = /* @__PURE__ */ lazySchema(() =>
  z.strictObject({
    action: z.enum(['dismiss', 'remove', 'suspend']),
    note: z.optional(z.string().check(z.trim(), z.maxLength(2000))),
  }),
);
export type ResolveReportRequest = z.infer<typeof ResolveReportRequest>;
