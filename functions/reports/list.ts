import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { listReports } from '#lib/reports/reports.ts';
import { ListReportsQuery, ReportPage } from '#lib/reports/schemas.ts';

/** GET /admin/reports: the reports queue, one item per target. */
export const handler = route(
  {
    roles: ['admin'],
    query: ListReportsQuery,
    responses: { 200: ReportPage },
    summary: 'List reports, grouped per target (admin)',
  },
  async ({ query }) => json(200, await listReports(query)),
);
