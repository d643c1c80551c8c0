let document: Promise<string> | undefined;

/**
 * The OpenAPI document as JSON text. Lambda bundles get it prebuilt at build time (`esbuild-plugin.ts` replaces
 * this module), so the docs function imports no other handler; run from source (tests), it is generated once.
 */
export function servedDocument() {
  document ??= import('./route-table.ts').then(async ({ generateOpenApiDocument }) =>
    JSON.stringify(await generateOpenApiDocument()),
  );
  return document;
}
