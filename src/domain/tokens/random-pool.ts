/**
 * Random bytes for tokens and IVs, taken from a buffer the CSPRNG refills.
 *
 * Why: every `crypto.randomBytes` call has a fixed cost of ~5 µs on this machine whatever its size
 * (4 KiB cost as much as 32 bytes), and a token rotation needs four (two tokens, two IVs). Node's
 * own `crypto.randomUUID` keeps an entropy cache for the same reason.
 *
 * The rules this module enforces:
 *  - every byte comes from `randomFillSync`, the same CSPRNG as `randomBytes`;
 *  - every byte is handed out at most once: it is copied into a fresh buffer and wiped from the
 *    pool, so no two callers share memory and nothing handed out stays behind in the pool;
 *  - a request larger than a quarter of the pool is served by `randomBytes` directly.
 */
import { randomBytes, randomFillSync } from "node:crypto";

const POOL_SIZE = 4096;
const pool = Buffer.alloc(POOL_SIZE);
let offset = POOL_SIZE; // empty: the first call fills it

export function secureRandomBytes(size: number): Buffer {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`secureRandomBytes: bad size ${size}`);
  if (size > POOL_SIZE / 4) return randomBytes(size);
  if (offset + size > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const out = Buffer.allocUnsafe(size);
  pool.copy(out, 0, offset, offset + size);
  pool.fill(0, offset, offset + size);
  offset += size;
  return out;
}
