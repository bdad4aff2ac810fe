/**
 * SQL over the instance settings row for a query that reads it in the same round trip as another module's tables
 * (the `/allowed` hot path). This module writes the SQL over its table; the caller composes it.
 */
export const ApplicationSettingsSql = {
  /** A FROM item that always yields one row: the settings row as `alias`, its columns null when the row is missing. */
  row(alias: string): string {
    return `(SELECT 1) one LEFT JOIN application_settings ${alias} ON ${alias}.id = 1`;
  },
} as const;
