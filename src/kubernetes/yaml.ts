/**
 * A small YAML emitter for policy documents (kubernetes.md §2.11): block style, every string double-quoted
 * (JSON escapes are valid YAML), so the output parses back to exactly the input.
 */
export function toYamlDocument(value: unknown): string {
  const inline = scalar(value);
  return inline !== null ? `--- ${inline}\n` : `---\n${block(value, 0)}`;
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const RESERVED_KEYS = new Set(['true', 'false', 'yes', 'no', 'on', 'off', 'null', 'y', 'n', '~']);

function key(k: string): string {
  return PLAIN_KEY.test(k) && !RESERVED_KEYS.has(k.toLowerCase()) ? k : JSON.stringify(k);
}

/** The inline form of a scalar or an empty container; null for a non-empty container. */
function scalar(value: unknown): string | null {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return value.length === 0 ? '[]' : null;
  if (typeof value === 'object') return Object.keys(value as object).length === 0 ? '{}' : null;
  return JSON.stringify(String(value));
}

function block(value: unknown, indent: number): string {
  const pad = ' '.repeat(indent);
  let out = '';
  if (Array.isArray(value)) {
    for (const item of value) {
      const inline = scalar(item);
      if (inline !== null) {
        out += `${pad}- ${inline}\n`;
      } else {
        const nested = block(item, indent + 2);
        out += `${pad}- ${nested.slice(indent + 2)}`;
      }
    }
    return out;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const inline = scalar(v);
    out += inline !== null ? `${pad}${key(k)}: ${inline}\n` : `${pad}${key(k)}:\n${block(v, indent + 2)}`;
  }
  return out;
}
