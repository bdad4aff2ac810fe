/**
 * Replication lag from WAL positions. The probe samples the primary's WAL write position (`pg_current_wal_lsn()`)
 * before it reads each replica's replay position (`pg_last_wal_replay_lsn()`). A replica that has replayed a
 * sampled position holds everything the primary held at that moment, so its lag is the age of the latest such
 * sample (exact to within one probe interval). An idle primary does not make a caught-up replica look late, as
 * `now() - pg_last_xact_replay_timestamp()` alone would.
 */

/** A primary WAL position and when it was read (ms since the epoch). */
export interface WalSample {
  lsn: bigint;
  at: number;
}

export interface ReplicaPosition {
  /** `pg_last_wal_replay_lsn()`, null when nothing was replayed yet. */
  replayLsn: bigint | null;
  /** `pg_last_wal_receive_lsn()`, null when not streaming. */
  receiveLsn: bigint | null;
  /** Seconds since `pg_last_xact_replay_timestamp()`, null when no transaction was replayed yet. */
  replayAgeSeconds: number | null;
}

/** `16/B374D848` → 0x16B374D848. Null for null or a malformed value. */
export function parseLsn(text: string | null | undefined): bigint | null {
  if (!text) return null;
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text.trim());
  if (!m) return null;
  return (BigInt(`0x${m[1]}`) << 32n) + BigInt(`0x${m[2]}`);
}

/**
 * Lag in seconds of a replica, given the primary's samples in time order (all read before the replica's
 * position) and the current time.
 */
export function replicationLagSeconds(samples: readonly WalSample[], replica: ReplicaPosition, now: number): number {
  const { replayLsn, receiveLsn, replayAgeSeconds } = replica;
  if (samples.length === 0) {
    // no primary position known: caught up when everything received is replayed, else the replay age
    if (replayLsn !== null && receiveLsn !== null && replayLsn >= receiveLsn) return 0;
    return replayAgeSeconds ?? Number.POSITIVE_INFINITY;
  }
  if (replayLsn === null) return replayAgeSeconds ?? Number.POSITIVE_INFINITY;
  const latest = samples[samples.length - 1];
  if (replayLsn >= latest.lsn) return 0;
  for (let i = samples.length - 1; i >= 0; i--) {
    if (samples[i].lsn <= replayLsn) return Math.max(0, (now - samples[i].at) / 1000);
  }
  // behind every retained sample: at least as old as the oldest one
  return Math.max((now - samples[0].at) / 1000, replayAgeSeconds ?? 0);
}
