/**
 * better-auth's password hash, computed on worker threads of our own that run at a lower CPU
 * priority than the request handling (issue 13, item 6).
 *
 * better-auth hashes with node:crypto's async scrypt, on libuv's threadpool: during a flood of
 * sign-ins those threads compete for the cores on equal terms with the event loop and the
 * PostgreSQL backends that serve the partner endpoints, and a partner's refresh waited behind them.
 * Here each hash runs synchronously on a worker thread that lowered its own scheduling priority
 * (nice +10; on Linux the nice value is per thread, see setpriority(2) "Notes"): while a partner
 * request needs a core it gets it, and hashing uses what is left.
 *
 * The format is better-auth's (`@better-auth/utils/password`): scrypt N=16384, r=16, p=1, a 64-byte
 * key over the NFKC-normalised password, salted with 16 random bytes written in hex, stored as
 * `salthex:keyhex`. Hashes made here verify with better-auth's function and the other way round
 * (scrypt-workers.test.ts), so existing passwords keep working.
 *
 * The workers are shared by the whole process (like libuv's pool): started when a job finds none
 * idle, one job at a time each, and ended after IDLE_MS without work. The caller bounds how many
 * jobs run at once (PasswordHashing's queue).
 */
import { Worker } from "node:worker_threads";

/** The hashing threads' nice value above the process's: ~1/10 of a core's share against a request-handling thread. */
export const HASHING_NICE = 10;
const IDLE_MS = 30_000;

// CommonJS source for `new Worker(…, { eval: true })`: no separate file to bundle or resolve.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { randomBytes, scryptSync, timingSafeEqual } = require("node:crypto");
const os = require("node:os");
let nice = null;
// Only on Linux: there setpriority(0) changes this thread alone; elsewhere it would change the whole process.
if (process.platform === "linux") {
  try { os.setPriority(Math.min(19, os.getPriority() + workerData.nice)); nice = os.getPriority(); } catch { nice = null; }
}
parentPort.postMessage({ ready: true, nice });
const N = 16384, r = 16, p = 1, dkLen = 64;
const key = (password, salt) => scryptSync(password.normalize("NFKC"), salt, dkLen, { N, r, p, maxmem: 128 * N * r * 2 });
parentPort.on("message", (job) => {
  try {
    if (job.op === "hash") {
      const salt = randomBytes(16).toString("hex");
      parentPort.postMessage({ value: salt + ":" + key(job.password, salt).toString("hex") });
    } else {
      const [salt, stored] = String(job.hash).split(":");
      if (!salt || !stored) throw new Error("Invalid password hash");
      // As better-auth compares: the hex strings, here in constant time.
      const want = Buffer.from(stored);
      const got = Buffer.from(key(job.password, salt).toString("hex"));
      parentPort.postMessage({ value: want.length === got.length && timingSafeEqual(want, got) });
    }
  } catch (err) {
    parentPort.postMessage({ error: err && err.message ? err.message : String(err) });
  }
});
`;

type Job = { op: "hash"; password: string } | { op: "verify"; password: string; hash: string };
type Reply = { ready: true; nice: number | null } | { value: string | boolean } | { error: string };

interface HashingThread {
  worker: Worker;
  /** The nice value the thread runs at (null where it could not be changed). */
  nice: Promise<number | null>;
  idleTimer?: NodeJS.Timeout;
}

const idle: HashingThread[] = [];

function startThread(): HashingThread {
  // execArgv []: none of the process's flags (a loader, --input-type=module) applies to this CommonJS source.
  const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { nice: HASHING_NICE } });
  const nice = new Promise<number | null>((resolve, reject) => {
    worker.once("message", (m: Reply) => ("ready" in m ? resolve(m.nice) : reject(new Error("hashing thread did not start"))));
    worker.once("error", reject);
  });
  nice.catch(() => {});
  return { worker, nice };
}

// A thread keeps the process alive while it works (a script awaiting a hash must not exit
// before it), never while it idles.
function takeThread(): HashingThread {
  const thread = idle.pop() ?? startThread();
  clearTimeout(thread.idleTimer);
  thread.worker.ref();
  return thread;
}

function giveBack(thread: HashingThread): void {
  thread.worker.unref();
  thread.idleTimer = setTimeout(() => {
    const at = idle.indexOf(thread);
    if (at >= 0) idle.splice(at, 1);
    void thread.worker.terminate();
  }, IDLE_MS);
  thread.idleTimer.unref();
  idle.push(thread);
}

function run<T extends string | boolean>(job: Job): Promise<T> {
  const thread = takeThread();
  return new Promise<T>((resolve, reject) => {
    const onMessage = (m: Reply) => {
      if ("ready" in m) return; // the start-up message; the answer follows
      cleanup();
      giveBack(thread);
      if ("error" in m) reject(new Error(m.error));
      else resolve(m.value as T);
    };
    // A thread that died (out of memory, terminated) is not reused.
    const onFailure = (err: unknown) => {
      cleanup();
      reject(err instanceof Error ? err : new Error(`hashing thread stopped (${String(err)})`));
    };
    const onExit = (code: number) => onFailure(new Error(`hashing thread exited with code ${code}`));
    const cleanup = () => {
      thread.worker.off("message", onMessage);
      thread.worker.off("error", onFailure);
      thread.worker.off("exit", onExit);
    };
    thread.worker.on("message", onMessage);
    thread.worker.on("error", onFailure);
    thread.worker.on("exit", onExit);
    thread.worker.postMessage(job);
  });
}

/** better-auth's `hashPassword`, on a low-priority thread. */
export const hashPasswordOffThread = (password: string): Promise<string> => run<string>({ op: "hash", password });

/** better-auth's `verifyPassword`, on a low-priority thread. */
export const verifyPasswordOffThread = ({ hash, password }: { hash: string; password: string }): Promise<boolean> =>
  run<boolean>({ op: "verify", password, hash });

/** The nice value a hashing thread runs at (tests): starts one if none is idle. */
export async function hashingThreadNice(): Promise<number | null> {
  const thread = takeThread();
  try {
    return await thread.nice;
  } finally {
    giveBack(thread);
  }
}
