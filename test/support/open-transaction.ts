/**
 * Race tests (PostgreSQL only): what another request's statement holds while the code under test
 * runs. `openTransaction` runs `work` in a transaction on a second connection and keeps it open,
 * with its locks, until `commit()`; `stillWaiting` tells whether an operation is blocked on them.
 */
import postgres from "postgres";

export interface OpenTransaction {
  /** Commits the held transaction and waits for it. */
  commit(): Promise<void>;
  /** Commits if not yet done and closes the second connection (for `finally`). */
  close(): Promise<void>;
}

export async function openTransaction(url: string, work: (tx: postgres.TransactionSql) => Promise<unknown>): Promise<OpenTransaction> {
  const other = postgres(url, { max: 1, onnotice: () => {} });
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let worked = () => {};
  const ready = new Promise<void>((resolve) => (worked = resolve));
  const done = other.begin(async (tx) => {
    await work(tx);
    worked();
    await released;
  });
  try {
    await Promise.race([ready, done]);
  } catch (err) {
    await other.end();
    throw err;
  }
  return {
    async commit() {
      release();
      await done;
    },
    async close() {
      release();
      await done.catch(() => {});
      await other.end();
    },
  };
}

/** True when `operation` has not settled after `ms`: it waits for a lock someone holds. */
export async function stillWaiting(operation: Promise<unknown>, ms = 300): Promise<boolean> {
  let settled = false;
  operation.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setTimeout(resolve, ms));
  return !settled;
}
