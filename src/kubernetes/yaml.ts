import { dump } from 'js-yaml';

/**
 * A policy document as YAML, emitted by js-yaml: a `---` document start, block style,
 * strings quoted wherever a YAML 1.1 or 1.2 reader could take them for another type, so the output parses back
 * to exactly the input. A scalar or an empty container sits on the `---` line, as Ruby's `to_yaml` writes it.
 */
export function toYamlDocument(value: unknown): string {
  const text = dump(value ?? null, { lineWidth: -1, noRefs: true });
  const inline = value === null || value === undefined || typeof value !== 'object' || Object.keys(value).length === 0;
  return inline ? `--- ${text}` : `---\n${text}`;
}
