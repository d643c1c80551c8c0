import { isDeepStrictEqual } from 'node:util';
import { type $ZodType, toJSONSchema } from 'zod/v4/core';

export type JsonSchema = Record<string, unknown>;

const DEFS_REF = '#/$defs/';
const COMPONENTS_REF = '#/components/schemas/';

/**
 * Converts zod schemas to OpenAPI 3.1 schema objects (JSON Schema 2020-12, zod 4's own output). Schemas named with
 * `.meta({ id })` and recursive ones become shared `components.schemas` entries instead of per-schema `$defs`,
 * because `#/$defs/…` would resolve against the document root, not the embedded schema.
 *
 * @example
 * const components: Record<string, JsonSchema> = {};
 * const toSchema = schemaConverter(components);
 * toSchema(Session, 'output', 'authLogin');     // { type: 'object', properties: { user: { $ref: … } … } }
 */
export function schemaConverter(components: Record<string, JsonSchema>) {
  return (schema: $ZodType, io: 'input' | 'output', context: string): JsonSchema => {
    const { $schema, $defs, ...root } = toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
    const names = new Map<string, string>();
    for (const id of Object.keys(($defs ?? {}) as Record<string, unknown>)) {
      // Zod numbers anonymous (recursive) definitions from 0 in every conversion: qualify them per use.
      names.set(id, id.startsWith('__schema') ? `${context}_${io}${id.slice('__schema'.length)}` : id);
    }
    const rewrite = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(rewrite);
      if (typeof value !== 'object' || value === null) return value;
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => {
          if (key !== '$ref' || typeof item !== 'string') return [key, rewrite(item)];
          if (item === '#') throw new Error(`${context}: a self-recursive root schema cannot be documented`);
          const id = item.startsWith(DEFS_REF) ? item.slice(DEFS_REF.length) : undefined;
          return [key, id ? `${COMPONENTS_REF}${names.get(id) ?? id}` : item];
        }),
      );
    };
    const definitions = Object.entries(($defs ?? {}) as Record<string, unknown>);
    // A name already taken by a different schema (the input form of a named schema with defaults, say) gets an
    // `_input`/`_output` suffix; references are rewritten again until every name is settled.
    for (let settled = false; !settled; ) {
      settled = true;
      for (const [id, definition] of definitions) {
        const name = names.get(id) ?? id;
        const existing = components[name];
        if (!existing || isDeepStrictEqual(existing, rewrite(definition))) continue;
        if (name.endsWith(`_${io}`))
          throw new Error(`Two different schemas are named ${id}: give them distinct ids`);
        names.set(id, `${name}_${io}`);
        settled = false;
      }
    }
    for (const [id, definition] of definitions)
      components[names.get(id) ?? id] = rewrite(definition) as JsonSchema;
    return rewrite(root) as JsonSchema;
  };
}
