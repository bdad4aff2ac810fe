/** PostgreSQL unique-violation detection, so a lost race maps to the documented 409/400 and never to a 500. */
export function uniqueViolation(err: unknown): string | null {
  const e = err as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const code = e?.code ?? e?.driverError?.code;
  if (code !== '23505') return null;
  return e.constraint ?? e.driverError?.constraint ?? '';
}

/** The SQLSTATE of a PostgreSQL "data exception" (class 22: a value the column cannot take), else null. */
export function dataException(err: unknown): string | null {
  const e = err as { code?: unknown; driverError?: { code?: unknown } };
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code) ? code : null;
}
