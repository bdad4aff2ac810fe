import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { preparedQuery, withoutPreparedStatements } from './prepared-statements';

/** A data source (never connected) whose pool records the statements it is given. */
function dataSource() {
  const ds = new DataSource({ type: 'postgres', url: 'postgres://nobody@127.0.0.1:1/none' });
  const sent: { name?: string; text: string; values: unknown[] }[] = [];
  const pool = {
    query: jest.fn(async (config: { name?: string; text: string; values: unknown[] }) => {
      if (config.text.includes('fail')) throw Object.assign(new Error('relation "fail" does not exist'), { code: '42P01' });
      sent.push(config);
      return { rows: [{ n: config.values[0] }] };
    }),
  };
  (ds.driver as unknown as { master: unknown }).master = pool;
  const unnamed = jest.spyOn(ds, 'query').mockResolvedValue([{ unnamed: true }]);
  return { ds, sent, pool, unnamed };
}

describe('preparedQuery', () => {
  it('runs a statement named after its text: the same text, the same name; another text, another name', async () => {
    const { ds, sent } = dataSource();
    expect(await preparedQuery(ds, 'SELECT $1::int AS n', [1])).toEqual([{ n: 1 }]);
    await preparedQuery(ds.manager, 'SELECT $1::int AS n', [2]);
    await preparedQuery(ds, 'SELECT $1::int + 1 AS n', [3]);
    expect(sent.map((s) => s.values)).toEqual([[1], [2], [3]]);
    expect(sent[0].name).toMatch(/^gia_[0-9a-f]{24}$/);
    expect(sent[1].name).toBe(sent[0].name);
    expect(sent[2].name).not.toBe(sent[0].name);
  });

  it("runs unnamed inside a transaction (the transaction's own connection) and where names are off", async () => {
    const { ds, pool, unnamed } = dataSource();
    const inTransaction = new EntityManager(ds, {} as never); // bound to a query runner, as in a transaction
    expect(await preparedQuery(inTransaction, 'SELECT 1', [])).toEqual([{ unnamed: true }]);
    withoutPreparedStatements(ds);
    expect(await preparedQuery(ds, 'SELECT 1', [])).toEqual([{ unnamed: true }]);
    expect(unnamed).toHaveBeenCalledWith('SELECT 1', []);
    expect(pool.query).not.toHaveBeenCalled();
  });

  it("fails as TypeORM's query does: a QueryFailedError carrying the driver's error", async () => {
    const { ds } = dataSource();
    const err = await preparedQuery(ds, 'SELECT * FROM fail', []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryFailedError);
    expect((err as QueryFailedError & { driverError: { code: string } }).driverError.code).toBe('42P01');
  });
});
