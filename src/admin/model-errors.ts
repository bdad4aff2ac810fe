/** Model errors for values longer than their column: `{"<field>":["is too long (maximum is N characters)"]}`. */
export function tooLong(values: Record<string, string | null | undefined>, max = 255): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(values)) if (typeof v === 'string' && v.length > max) errors[k] = [`is too long (maximum is ${max} characters)`];
  return errors;
}
