import { OpenApiDocumentShape } from '#lib/docs/document-shape.ts';
import { servedDocument } from '#lib/docs/served-document.ts';
import { route } from '#lib/http/route.ts';

/** GET /openapi.json: the OpenAPI 3.1 document of this API, generated from the handlers' own schemas. */
export const handler = route(
  { auth: 'none', responses: { 200: OpenApiDocumentShape }, summary: 'The OpenAPI 3.1 document of this API' },
  async () => ({
    statusCode: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' },
    body: await servedDocument(),
  }),
);
