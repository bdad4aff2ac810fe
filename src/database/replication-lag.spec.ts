import { isConnectionError, replicaName } from './read-replicas';
import { parseLsn, replicationLagSeconds, WalSample } from './replication-lag';

const lsn = (text: string) => parseLsn(text)!;

describe('replication lag by WAL position', () => {
  const t0 = 1_700_000_000_000;
  // the primary wrote at t0+1s and t0+5s, and was idle otherwise
  const samples: WalSample[] = [
    { lsn: lsn('0/3000060'), at: t0 },
    { lsn: lsn('0/3000200'), at: t0 + 2000 },
    { lsn: lsn('0/3000200'), at: t0 + 4000 },
    { lsn: lsn('0/3000900'), at: t0 + 6000 },
  ];

  it('parses LSNs as 64-bit positions', () => {
    expect(parseLsn('16/B374D848')).toBe(0x16b374d848n);
    expect(parseLsn('0/0')).toBe(0n);
    expect(parseLsn('garbage')).toBeNull();
    expect(parseLsn(null)).toBeNull();
  });

  it('a replica at the latest primary position has no lag, however old its last replayed transaction', () => {
    const lag = replicationLagSeconds(
      samples,
      { replayLsn: lsn('0/3000900'), receiveLsn: lsn('0/3000900'), replayAgeSeconds: 3600 },
      t0 + 6100,
    );
    expect(lag).toBe(0);
  });

  it('a replica behind is as old as the latest primary position it has replayed', () => {
    // replayed what the primary had at t0+4s (not the write of t0+5s): 3 s behind at t0+7s
    const lag = replicationLagSeconds(
      samples,
      { replayLsn: lsn('0/3000200'), receiveLsn: lsn('0/3000900'), replayAgeSeconds: 6 },
      t0 + 7000,
    );
    expect(lag).toBe(3);
  });

  it('a replica behind every retained sample is at least as old as the oldest', () => {
    const lag = replicationLagSeconds(
      samples,
      { replayLsn: lsn('0/3000000'), receiveLsn: lsn('0/3000900'), replayAgeSeconds: 2 },
      t0 + 10_000,
    );
    expect(lag).toBe(10);
    expect(replicationLagSeconds(samples, { replayLsn: lsn('0/3000000'), receiveLsn: null, replayAgeSeconds: 30 }, t0 + 10_000)).toBe(30);
  });

  it('without primary samples: caught up when everything received is replayed, else the replay age', () => {
    expect(replicationLagSeconds([], { replayLsn: lsn('0/5'), receiveLsn: lsn('0/5'), replayAgeSeconds: 900 }, t0)).toBe(0);
    expect(replicationLagSeconds([], { replayLsn: lsn('0/4'), receiveLsn: lsn('0/5'), replayAgeSeconds: 12 }, t0)).toBe(12);
    expect(replicationLagSeconds([], { replayLsn: null, receiveLsn: null, replayAgeSeconds: null }, t0)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('replica connection errors', () => {
  it('retries on the primary for network failures, connection SQLSTATEs and recovery conflicts only', () => {
    expect(isConnectionError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isConnectionError({ message: 'x', driverError: { code: '57P01' } })).toBe(true);
    expect(isConnectionError({ message: 'x', driverError: { code: '08006' } })).toBe(true);
    expect(isConnectionError({ message: 'canceling statement due to conflict with recovery', driverError: { code: '40001' } })).toBe(true);
    expect(isConnectionError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionError({ message: 'syntax error', driverError: { code: '42601' } })).toBe(false);
    expect(isConnectionError({ message: 'duplicate key', driverError: { code: '23505' } })).toBe(false);
  });

  it('names a replica by host, port and database, never by its credentials', () => {
    expect(replicaName('postgres://gia:s3cret@db-replica.internal:6432/gitlab')).toBe('db-replica.internal:6432/gitlab');
    expect(replicaName('postgresql://10.0.0.5/gitlab')).toBe('10.0.0.5:5432/gitlab');
  });
});
