/**
 * How far the work behind the requests falls behind while requests run: sampled every 100 ms from
 * a connection of its own, the oldest audit entry not yet linked into the chain (by its `at`, when
 * its decision wrote it, so the figure includes the decision's own wait for its commit), the
 * notifications waiting in the outbox, and the notes of requests whose evaluation rows wait to be
 * projected (migration 085).
 */
import pg from 'pg';

export interface BackgroundLag {
  /** The longest any entry was seen waiting for its link, from the moment its decision wrote it. */
  unlinkedMaxMs: number;
  /** The most notifications seen waiting to be sent, and the longest one of them had waited. */
  pendingPeak: number;
  pendingOldestMs: number;
  /** The most evaluation notes seen waiting for the projector. */
  unprojectedPeak: number;
}

const SAMPLE_EVERY_MS = 100;

export async function sampleBackgroundLag<T>(databaseUrl: string, work: () => Promise<T>): Promise<{ result: T; lag: BackgroundLag }> {
  const db = new pg.Client({ connectionString: databaseUrl, application_name: 'bench: background lag' });
  await db.connect();
  const lag: BackgroundLag = { unlinkedMaxMs: 0, pendingPeak: 0, pendingOldestMs: 0, unprojectedPeak: 0 };
  let running = true;
  const sampling = (async () => {
    while (running) {
      const { rows } = await db.query<{ unlinked_ms: number; pending: number; pending_ms: number; unprojected: number }>(
        `select (select coalesce(extract(epoch from clock_timestamp() - min(at)) * 1000, 0) from audit_entries where seq is null)::float8 as unlinked_ms,
                (select count(*) from outbox where status = 'pending')::int as pending,
                (select coalesce(extract(epoch from clock_timestamp() - min(created_at)) * 1000, 0) from outbox where status = 'pending')::float8 as pending_ms,
                (select count(*) from evaluation_pending)::int as unprojected`,
      );
      const [row] = rows;
      if (row) {
        lag.unlinkedMaxMs = Math.max(lag.unlinkedMaxMs, row.unlinked_ms);
        lag.pendingPeak = Math.max(lag.pendingPeak, row.pending);
        lag.pendingOldestMs = Math.max(lag.pendingOldestMs, row.pending_ms);
        lag.unprojectedPeak = Math.max(lag.unprojectedPeak, row.unprojected);
      }
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_EVERY_MS));
    }
  })();
  try {
    return { result: await work(), lag };
  } finally {
    running = false;
    await sampling;
    await db.end();
  }
}

/** The worst of several runs. */
export function worstLag(lags: readonly BackgroundLag[]): BackgroundLag {
  return {
    unlinkedMaxMs: Math.max(0, ...lags.map((l) => l.unlinkedMaxMs)),
    pendingPeak: Math.max(0, ...lags.map((l) => l.pendingPeak)),
    pendingOldestMs: Math.max(0, ...lags.map((l) => l.pendingOldestMs)),
    unprojectedPeak: Math.max(0, ...lags.map((l) => l.unprojectedPeak)),
  };
}
