/**
 * Validates the responses the e2e tests receive against the committed OpenAPI document: for every response whose
 * operation documents that status with a JSON schema, the body must match it. Violations are collected and fail
 * the test file (test/setup/contract-check.ts).
 */
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { loadOpenApi } from './openapi';

interface Route {
  method: string;
  regex: RegExp;
  template: string;
  responses: Record<string, { content?: Record<string, { schema?: object }> }>;
}

let routes: Route[] | undefined;
let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();
export const contractViolations: string[] = [];

function init(): void {
  if (routes) return;
  const doc = loadOpenApi();
  ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'openapi', components: doc.components }, 'openapi');
  routes = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+').replace(/\{[^}]+\}/g, '[^/]+');
    for (const [method, op] of Object.entries(item)) {
      routes.push({ method, regex: new RegExp(`^${pattern}/?$`), template, responses: (op.responses ?? {}) as Route['responses'] });
    }
  }
  // most specific (longest literal) templates first
  routes.sort((a, b) => b.template.replace(/\{[^}]+\}/g, '').length - a.template.replace(/\{[^}]+\}/g, '').length);
}

function rewriteRefs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rewriteRefs);
  if (schema && typeof schema === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(schema)) out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `openapi${v}` : rewriteRefs(v);
    // OpenAPI 3.0 `nullable` only means something next to `type`
    if ('nullable' in out && !('type' in out)) {
      const { nullable, ...rest } = out;
      return nullable ? { anyOf: [rest, { type: 'null' }] } : rest;
    }
    return out;
  }
  return schema;
}

export function checkResponse(method: string, url: string, status: number, contentType: string | undefined, body: unknown): void {
  init();
  const path = url.replace(/^https?:\/\/[^/]+/, '').split('?')[0];
  const route = routes!.find((r) => r.method === method.toLowerCase() && r.regex.test(path));
  if (!route) return;
  const response = route.responses[String(status)];
  const content = response?.content;
  if (!content || !(contentType ?? '').includes('json')) return;
  const media = Object.keys(content).find((k) => (contentType ?? '').startsWith(k)) ?? Object.keys(content)[0];
  const schema = content[media]?.schema;
  if (!schema) return;
  const key = `${route.method} ${route.template} ${status} ${media}`;
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv!.compile(rewriteRefs(schema) as object);
    compiled.set(key, validate);
  }
  if (!validate(body)) {
    contractViolations.push(`${key}: ${ajv!.errorsText(validate.errors)} — body ${JSON.stringify(body).slice(0, 300)}`);
  }
}
