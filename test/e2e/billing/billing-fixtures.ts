import { Namespace } from '../../../src/namespaces/entities/namespace.entity';
import { UsersService } from '../../../src/identity/users.service';
import { User } from '../../../src/identity/entities/user.entity';
import { TestApp } from '../../helpers/test-app';

/** Fixtures shared by the billing e2e files. */
export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Today (UTC) shifted by days / years, as `YYYY-MM-DD`. */
export function dayOffset(days: number, years = 0): string {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() + years);
  d.setUTCDate(d.getUTCDate() + days);
  return isoDate(d);
}

export async function personalNamespace(t: TestApp, user: User): Promise<Namespace> {
  return (await t.get<UsersService>(UsersService).personalNamespace(user.id)) as Namespace;
}

export async function count(t: TestApp, sql: string, params: unknown[] = []): Promise<number> {
  const rows: { n: string | number }[] = await t.dataSource.query(`SELECT count(*) AS n FROM (${sql}) q`, params);
  return Number(rows[0].n);
}
