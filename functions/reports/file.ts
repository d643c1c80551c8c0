import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { fileReport } from '#lib/reports/reports.ts';
import { FiledReport, FileReportRequest } from '#lib/reports/schemas.ts';

/** POST /reports: 201 for a new report, 200 with the open one when the caller already reported this target. */
export const handler = route(
  {
    body: FileReportRequest,
    rateLimit: 'posting',
    responses: { 201: FiledReport, 200: FiledReport },
    // The target is in the body: one the caller may not see, or that does not exist, is 404.
    errors: [404],
    summary: 'Report a video, comment or user',
  },
  async ({ body, caller }) => {
    const { report, created } = await fileReport(caller, body);
    return json(created ? 201 : 200, report);
  },
);
