// js-yaml arrives with osls (the serverless framework) and ships no types; only `load` is used.
declare module 'js-yaml' {
  export function load(text: string, options?: { filename?: string }): unknown;
}
