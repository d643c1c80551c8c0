import * as z from 'zod/mini';
import { lazySchema } from '../lazy-schema.ts';

/** The outline of an OpenAPI 3.1 document, for the docs endpoint's own entry in it. */
export const OpenApiDocumentShape = /* @__PURE__ */ lazySchema(() =>
  z.looseObject({
    openapi: z.string().check(z.regex(/^3\.1\.\d+$/)),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.record(z.string(), z.unknown())),
    components: z.record(z.string(), z.unknown()),
  }),
);
