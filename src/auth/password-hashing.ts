/**
 * Password hashing with bounded concurrency. better-auth's scrypt (N=16384, r=16: ~32 MB and
 * ~50–100 ms of a core each, then on libuv's threadpool) ran for every sign-in and sign-up at once: a
 * flood of them filled the threadpool and the cores, requests timed out with a message blaming
 * the database, and the handlers that had already answered 503 kept hashing. Here every hash and
 * verification goes through one queue (`PASSWORD_HASH_CONCURRENCY` at once, a wait of at most
 * `PASSWORD_HASH_MAX_WAIT_MS`); overflow answers 503 `temporarily_unavailable` "Too many sign-ins
 * at once" with Retry-After, and a request whose client went away or that already answered 503
 * leaves the queue without hashing. The hashes run on threads of lower CPU priority than request
 * handling (scrypt-workers.ts), so the partner endpoints keep their cores during a flood.
 *
 * better-auth calls `hash(password)` / `verify({hash, password})` without the request, so the
 * request's signal and the refusal travel with the request's query scope (its one
 * AsyncLocalStorage, src/db/database.ts), set around better-auth's handler (`runPasswordWork`).
 */
import { APIError } from "better-auth/api";
import { currentQueryScope, type QueryScope, runInQueryScope } from "../db/database.js";
import { OAuthError } from "../domain/errors.js";
import { hashPasswordOffThread, verifyPasswordOffThread } from "./scrypt-workers.js";
import { createWorkQueue, WorkRefused } from "./work-queue.js";

export const PASSWORD_BUSY_MESSAGE = "Too many sign-ins at once; try again in a few seconds";

interface PasswordWorkScope {
  signal: AbortSignal;
  refused?: OAuthError;
}
/** Keyed by the request's query scope (one AsyncLocalStorage for the whole request, see currentQueryScope). */
const scopes = new WeakMap<QueryScope, PasswordWorkScope>();

/**
 * Runs better-auth's handling of one request with its signal (aborted when the client went away
 * or the request timed out). When its password work was refused, the answer is our 503, whatever
 * better-auth made of the error.
 */
export async function runPasswordWork(signal: AbortSignal, handle: () => Promise<Response>): Promise<Response> {
  const scope: PasswordWorkScope = { signal };
  const request = currentQueryScope();
  let res: Response;
  if (request) {
    scopes.set(request, scope);
    res = await handle();
  } else {
    // Not inside requestTimeout's scope (direct calls in tests): open one.
    const own: QueryScope = { closed: false };
    scopes.set(own, scope);
    res = await runInQueryScope(own, handle);
  }
  if (scope.refused) throw scope.refused;
  return res;
}

export interface PasswordHashing {
  hash(password: string): Promise<string>;
  verify(data: { hash: string; password: string }): Promise<boolean>;
  /**
   * Admission at the door, before better-auth reads the body, queries the database or writes a
   * session: a request that would only be refused at the queue costs nothing. Returns the release
   * to call when the request has answered, or `undefined` (refuse now with `busyError()`).
   */
  admit(): (() => void) | undefined;
  busyError(): OAuthError;
}

/** A hash's time before one has been measured (better-auth's scrypt: ~50–100 ms of a core). */
const ASSUMED_HASH_MS = 100;

/**
 * How many password requests may be inside at once: the ones hashing, plus as many as the queue
 * can serve within its wait limit at the measured hash time. Beyond that a request would only
 * wait and be refused, after having cost a body parse, a user lookup and a connection from the
 * pool that the partner endpoints need (issue 13, item 6).
 */
export function admissionCapacity(concurrency: number, maxWaitMs: number, averageMs: number): number {
  const rounds = Math.max(1, Math.floor(maxWaitMs / (averageMs > 0 ? averageMs : ASSUMED_HASH_MS)));
  return concurrency * (rounds + 1);
}

export function createPasswordHashing(options: {
  concurrency: number;
  maxWaitMs: number;
  /** better-auth's scrypt on our low-priority threads by default (scrypt-workers.ts; tests give a slow fake). */
  scrypt?: { hash(password: string): Promise<string>; verify(data: { hash: string; password: string }): Promise<boolean> };
}): PasswordHashing {
  const queue = createWorkQueue(options);
  const scrypt = options.scrypt ?? { hash: hashPasswordOffThread, verify: verifyPasswordOffThread };
  const retryAfter = String(Math.max(1, Math.ceil((2 * options.maxWaitMs) / 1000)));
  const busyError = () => new OAuthError("temporarily_unavailable", PASSWORD_BUSY_MESSAGE, 503, { "Retry-After": retryAfter });
  let admitted = 0;

  async function queued<T>(work: () => Promise<T>): Promise<T> {
    const request = currentQueryScope();
    const scope = request && scopes.get(request);
    try {
      return await queue.run(work, scope?.signal);
    } catch (err) {
      if (!(err instanceof WorkRefused)) throw err;
      const refusal = busyError();
      if (scope) scope.refused = refusal;
      // better-auth answers an APIError quietly (anything else it prints as a server error);
      // runPasswordWork then answers with `refusal`.
      throw new APIError("SERVICE_UNAVAILABLE", { message: PASSWORD_BUSY_MESSAGE, code: "TEMPORARILY_UNAVAILABLE" });
    }
  }

  return {
    hash: (password) => queued(() => scrypt.hash(password)),
    verify: (data) => queued(() => scrypt.verify(data)),
    admit() {
      if (admitted >= admissionCapacity(Math.max(1, Math.floor(options.concurrency)), options.maxWaitMs, queue.stats().averageMs)) return undefined;
      admitted++;
      let released = false;
      return () => {
        if (!released) admitted--;
        released = true;
      };
    },
    busyError,
  };
}
