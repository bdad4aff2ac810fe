import { Client } from 'pg';

export interface SentStatement {
  text: string;
  /** The prepared statement's name; absent for a statement sent unnamed. */
  name?: string;
}

/**
 * The SQL statements the application sends to PostgreSQL while `work` runs, as the pg driver sees them (TypeORM's
 * queries and the hot paths' prepared statements alike): one entry per round trip. The outbox relay's polling,
 * which runs on its own timer, is left out.
 */
export async function statementsDuring(work: () => Promise<unknown>): Promise<SentStatement[]> {
  const spy = jest.spyOn(Client.prototype as unknown as { query: (...args: unknown[]) => unknown }, 'query');
  try {
    await work();
    return spy.mock.calls
      .map(([config]) => (typeof config === 'string' ? { text: config } : (config as SentStatement)))
      .map(({ text, name }) => (name ? { text: text.replace(/\s+/g, ' '), name } : { text: text.replace(/\s+/g, ' ') }))
      .filter(({ text }) => !/\bjob_outbox\b/.test(text));
  } finally {
    spy.mockRestore();
  }
}

/** Whether prepared statements are in use: on PostgreSQL, not on the embedded database. */
export const preparedStatementsExpected = (): boolean => !!process.env.DATABASE_URL;
