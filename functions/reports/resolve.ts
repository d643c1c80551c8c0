import { noContent } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { resolveReport } from '#lib/reports/resolve-report.ts';
import { ReportIdParams, ResolveReportRequest } from '#lib/reports/schemas.ts';

/** POST /admin/reports/{id}/resolve: dismiss, remove the content, or suspend its account. */
export const handler = route(
  {
    roles: ['admin'],
    params: ReportIdParams,
    body: ResolveReportRequest,
    responses: { 204: null },
    errors: [409],
    summary: "Resolve a target's reports (admin)",
  },
  async ({ params, body, caller }) => {
    await resolveReport(caller, params.id, body);
    return noContent();
  },
);
