import { Logger } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError, TypeORMError } from 'typeorm';
import { loadConfig } from '../config/config';
import { ReadReplicas } from './read-replicas';

/** A router over one replica (never connected: the units of work below decide what each server answers). */
function router() {
  const primaryManager = { name: 'primary' } as unknown as EntityManager;
  const primary = { manager: primaryManager } as unknown as DataSource;
  const config = loadConfig({
    DATABASE_URL: 'postgres://postgres@127.0.0.1:1/gia',
    DATABASE_READ_REPLICA_URLS: 'postgres://gia:secret@127.0.0.1:2/gia',
    DATABASE_REPLICA_MAX_LAG_SECONDS: '3',
  });
  const replicas = new ReadReplicas(primary, config);
  const replica = (replicas as unknown as { replicas: { dataSource: DataSource; status: { in_rotation: boolean; up: boolean } }[] })
    .replicas[0];
  const replicaManager = { name: 'replica' } as unknown as EntityManager;
  Object.defineProperty(replica.dataSource, 'isInitialized', { value: true });
  Object.defineProperty(replica.dataSource, 'manager', { value: replicaManager });
  const putInRotation = () => Object.assign(replica.status, { up: true, in_rotation: true, lag_seconds: 0 });
  return { replicas, primaryManager, replicaManager, putInRotation };
}

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2'), { code: 'ECONNREFUSED' });

describe('ReadReplicas.read', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose']));

  it('uses the primary until a probe put the replica in rotation, then the replica', async () => {
    const { replicas, primaryManager, replicaManager, putInRotation } = router();
    expect(replicas.statuses()).toEqual([
      { name: '127.0.0.1:2/gia', up: false, in_rotation: false, lag_seconds: null, reason: 'not probed yet' },
    ]);
    expect(await replicas.read(async (m) => m)).toBe(primaryManager);
    putInRotation();
    expect(await replicas.read(async (m) => m)).toBe(replicaManager);
  });

  it('retries a read that failed with a connection error on the primary and takes the replica out of rotation', async () => {
    const { replicas, primaryManager, replicaManager, putInRotation } = router();
    putInRotation();
    const seen: EntityManager[] = [];
    const answer = await replicas.read(async (m) => {
      seen.push(m);
      if (m === replicaManager) throw refused();
      return 'from the primary';
    });
    expect(answer).toBe('from the primary');
    expect(seen).toEqual([replicaManager, primaryManager]);
    expect(replicas.statuses()[0]).toMatchObject({ up: false, in_rotation: false, lag_seconds: null, reason: expect.stringContaining('ECONNREFUSED') });
    // out of rotation: the next read goes straight to the primary
    expect(await replicas.read(async (m) => m)).toBe(primaryManager);
  });

  it('lets any other error through without a retry', async () => {
    const { replicas, replicaManager, putInRotation } = router();
    putInRotation();
    let calls = 0;
    const syntax = Object.assign(new Error('syntax error'), { driverError: { code: '42601' } });
    await expect(
      replicas.read(async () => {
        calls++;
        throw syntax;
      }),
    ).rejects.toBe(syntax);
    expect(calls).toBe(1);
    expect(await replicas.read(async (m) => m)).toBe(replicaManager);
  });

  it('answers from the primary when the replica fails below the statement, keeping the replica in rotation', async () => {
    const { replicas, primaryManager, replicaManager, putInRotation } = router();
    putInRotation();
    const seen: EntityManager[] = [];
    const answer = await replicas.read(async (m) => {
      seen.push(m);
      if (m === replicaManager) throw new TypeORMError('the data source is being closed');
      return 'from the primary';
    });
    expect(answer).toBe('from the primary');
    expect(seen).toEqual([replicaManager, primaryManager]);
    expect(replicas.statuses()[0]).toMatchObject({ in_rotation: true });
  });

  it('lets a statement error of the database and the application\'s own errors through without a retry', async () => {
    const { replicas, putInRotation } = router();
    putInRotation();
    const denied = new QueryFailedError('SELECT 1', [], Object.assign(new Error('permission denied'), { code: '42501' }));
    const notFound = new Error('404 Project Not Found');
    for (const thrown of [denied, notFound]) {
      let calls = 0;
      await expect(
        replicas.read(async () => {
          calls++;
          throw thrown;
        }),
      ).rejects.toBe(thrown);
      expect(calls).toBe(1);
    }
  });
});
