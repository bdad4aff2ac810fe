import { types } from 'pg';

/**
 * bigint columns come back as JSON numbers (ids stay far below 2^53) and `date` columns as `YYYY-MM-DD`
 * strings, never as Date objects shifted by a time zone.
 */
export function installPgTypeParsers(): void {
  types.setTypeParser(types.builtins.INT8, (value: string) => Number(value));
  types.setTypeParser(types.builtins.DATE, (value: string) => value);
}
