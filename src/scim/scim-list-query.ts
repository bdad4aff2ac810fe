import { ScimResource } from './scim-user.presenter';

/** Query parameters of the SCIM routes, as the client sent them (first occurrence wins). */
export interface ScimQuery {
  filter?: string;
  startIndex?: string;
  count?: string;
  attributes?: string;
  excludedAttributes?: string;
}

export interface ScimListResponse {
  schemas: string[];
  totalResults: number;
  itemsPerPage: number;
  startIndex: number;
  Resources: ScimResource[];
}

/** The page a list asks for: `startIndex` is 1-based. */
export interface ListWindow {
  startIndex: number;
  count: number;
}

/** Base-10 integer parameter, or undefined when absent or unparseable. */
function intQuery(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*[+-]?\d+\s*$/.test(value)) return undefined;
  // beyond 2^53 the value is clamped, so it still renders as a JSON integer
  const n = Number(value.trim());
  return Math.max(-Number.MAX_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, n));
}

/** startIndex below 1 (or unreadable) is 1; count defaults to 20 and is kept within 0..100. */
export function listWindow(query: ScimQuery): ListWindow {
  const start = intQuery(query.startIndex);
  const requested = intQuery(query.count);
  return {
    startIndex: start === undefined || start < 1 ? 1 : start,
    count: requested === undefined ? 20 : Math.min(100, Math.max(0, requested)),
  };
}
