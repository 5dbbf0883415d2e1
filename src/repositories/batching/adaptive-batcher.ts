/**
 * Group commit for the hot partner writes (refresh rotation, game ingest, link confirmation):
 * requests of one kind that arrive while that kind's statements are busy go to the database
 * together, as ONE statement (one round trip, one commit), and each is answered on its own.
 *
 * Adaptive, never a timer: while fewer than `maxInFlight` statements of the kind are running, an
 * arrival goes at once, alone (the unbatched statement, so an idle server adds no latency); else
 * it waits, and when a statement returns, everything waiting (up to `maxBatchSize`) goes as one.
 *
 * Each member keeps the rules it has alone:
 * - members with the same `key` (the same refresh token, the same game) never share a batch nor
 *   run at once: a later one waits for the next round and sees the first as committed, as it
 *   would one after the other;
 * - a member whose request timed out (its query scope closed, src/db/database.ts) before its
 *   batch is sent is dropped from it, with the QueryScopeClosedError it would have got alone;
 * - the batch statement may send a member back (`DEFER`: it conflicts with an earlier member in
 *   a way the statement cannot order); it goes again, first, in the next batch;
 * - when the database refuses a batch statement (an error answer: nothing was committed), each
 *   member runs alone, so one request's bad input or a deadlock never fails its batch-mates and
 *   each gets the answer (or the error) it would have got alone. Any other failure (the
 *   connection broke, the commit may or may not have happened) fails every member with that
 *   error, as it would have failed each of them alone.
 */
import { currentQueryScope, QueryScopeClosedError, runInQueryScope, runOutsideQueryScope, type QueryScope } from "../../db/database.js";

/** A batch statement's answer for a member it did not carry out: send it again in a later batch. */
export const DEFER: unique symbol = Symbol("defer");

/** DATABASE_BATCHING's settings (src/config.ts). */
export interface BatchingOptions {
  /** Most members in one statement. */
  maxBatchSize: number;
  /** Most statements of this kind running at once (each holds a pool connection). */
  maxInFlight: number;
  /** Told the size of every statement sent (1: the unbatched one), e.g. for metrics. */
  observe?: (size: number) => void;
}

export interface BatcherOptions<I, O> extends BatchingOptions {
  /** Operations on the same key (a token, a game) are never batched or run together. */
  key: (input: I) => string;
  /** The unbatched statement: a batch of one, and every member of a batch the database refused. */
  one: (input: I) => Promise<O>;
  /** The batch statement: one answer per input, in the same order. */
  many: (inputs: I[]) => Promise<(O | typeof DEFER)[]>;
}

interface Member<I, O> {
  input: I;
  key: string;
  scope: QueryScope | undefined;
  resolve: (value: O) => void;
  reject: (err: unknown) => void;
}

export interface Batcher<I, O> {
  submit(input: I): Promise<O>;
}

/** Whether the database answered with an error: the statement (its own transaction) committed nothing. */
export function isRefusedByDatabase(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === "object" && depth < 3; e = (e as { cause?: unknown }).cause, depth++) {
    const { severity, code } = e as { severity?: unknown; code?: unknown };
    if (severity === "ERROR" && typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return true;
  }
  return false;
}

/** Runs `fn` in the member's request scope (a closed one refuses new queries), or in none. */
function inScope<T>(scope: QueryScope | undefined, fn: () => Promise<T>): Promise<T> {
  try {
    return scope ? runInQueryScope(scope, fn) : runOutsideQueryScope(fn);
  } catch (err) {
    return Promise.reject(err);
  }
}

export function createBatcher<I, O>(options: BatcherOptions<I, O>): Batcher<I, O> {
  const { maxBatchSize, maxInFlight } = options;
  if (!(maxBatchSize >= 1 && maxInFlight >= 1)) throw new Error("a batcher needs maxBatchSize and maxInFlight of at least 1");
  let waiting: Member<I, O>[] = [];
  const busyKeys = new Set<string>();
  let inFlight = 0;

  /** The next batch: waiting members in arrival order, one per key, none whose key is in flight. */
  function take(): Member<I, O>[] {
    const batch: Member<I, O>[] = [];
    const left: Member<I, O>[] = [];
    for (const m of waiting) {
      if (m.scope?.closed) m.reject(new QueryScopeClosedError());
      else if (batch.length < maxBatchSize && !busyKeys.has(m.key)) {
        busyKeys.add(m.key);
        batch.push(m);
      } else left.push(m);
    }
    waiting = left;
    return batch;
  }

  function pump(): void {
    while (inFlight < maxInFlight && waiting.length > 0) {
      const batch = take();
      if (batch.length === 0) return;
      inFlight++;
      void send(batch).finally(() => {
        inFlight--;
        for (const m of batch) busyKeys.delete(m.key);
        pump();
      });
    }
  }

  async function send(batch: Member<I, O>[]): Promise<void> {
    options.observe?.(batch.length);
    if (batch.length === 1) {
      const [m] = batch as [Member<I, O>];
      await inScope(m.scope, () => options.one(m.input)).then(m.resolve, m.reject);
      return;
    }
    let answers: (O | typeof DEFER)[];
    try {
      answers = await runOutsideQueryScope(() => options.many(batch.map((m) => m.input)));
      if (answers.length !== batch.length) throw new Error(`a batch of ${batch.length} got ${answers.length} answers`);
    } catch (err) {
      if (!isRefusedByDatabase(err)) {
        for (const m of batch) m.reject(err);
        return;
      }
      // Nothing was committed: each member alone, as if it had never been batched.
      await Promise.all(batch.map((m) => inScope(m.scope, () => options.one(m.input)).then(m.resolve, m.reject)));
      return;
    }
    const deferred: Member<I, O>[] = [];
    batch.forEach((m, i) => {
      const answer = answers[i]!;
      if (answer === DEFER) deferred.push(m);
      else m.resolve(answer);
    });
    if (deferred.length === batch.length) {
      for (const m of deferred) m.reject(new Error("a batch statement deferred every member"));
      return;
    }
    waiting = [...deferred, ...waiting];
  }

  return {
    submit(input: I): Promise<O> {
      const scope = currentQueryScope();
      if (scope?.closed) return Promise.reject(new QueryScopeClosedError());
      // While the database does not answer, requests keep arriving and timing out: let go of those.
      if (waiting.length >= 4 * maxBatchSize)
        waiting = waiting.filter((m) => {
          if (m.scope?.closed) m.reject(new QueryScopeClosedError());
          return !m.scope?.closed;
        });
      return new Promise<O>((resolve, reject) => {
        waiting.push({ input, key: options.key(input), scope, resolve, reject });
        pump();
      });
    },
  };
}
