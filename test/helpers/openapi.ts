import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  operationId: string;
  /** Scheme names of the (single) security requirement: one name, or two for kas-agent routes. */
  schemes: string[];
  op: Record<string, unknown>;
}

export function loadOpenApi(): { paths: Record<string, Record<string, Record<string, unknown>>>; components: Record<string, unknown> } {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', 'openapi', 'openapi.json'), 'utf8'));
}

/** Every operation of the committed document. */
export function operations(): Operation[] {
  const doc = loadOpenApi();
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const security = (op.security as Record<string, string[]>[] | undefined) ?? [];
      out.push({ method: method as Operation['method'], path, operationId: String(op.operationId), schemes: Object.keys(security[0] ?? {}), op });
    }
  }
  return out;
}

/** A concrete URL for a templated path: ids become `1`, other parameters a plausible word. */
export function samplePath(path: string, values: Record<string, string> = {}): string {
  return path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(values[name] ?? (/id$/i.test(name) ? '1' : 'sample')));
}
