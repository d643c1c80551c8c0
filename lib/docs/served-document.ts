let document: Promise<string> | undefined;

/**
 * The OpenAPI document as JSON text. Lambda bundles get it prebuilt at build time (`tools/esbuild/openapi-document.ts`
 * replaces this module), so the docs function imports no other handler; run from source (tests), it is generated
 * once by the generator in `tools/openapi/`.
 */
export function servedDocument() {
  document ??= import('#tools/openapi/route-table.ts').then(async ({ generateOpenApiDocument }) =>
    JSON.stringify(await generateOpenApiDocument()),
  );
  return document;
}
