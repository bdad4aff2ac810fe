/**
 * Anything that runs raw SQL: the DataSource, an EntityManager (a transaction's, or one bound to a read
 * replica) or a QueryRunner. Repository methods take one as their last, optional argument so a caller decides
 * where a read runs (inside its transaction, or on a replica) without the repository knowing.
 */
export interface Queryable {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(sql: string, parameters?: any[]): Promise<any>;
}
