/**
 * A short text summary of a V8 CPU profile (.cpuprofile, as written by `node --cpu-prof` or the
 * inspector): where the server's busy time went, by category and by function. Each sample is
 * charged to the innermost frame that belongs to a known category (so a native `writev` counts
 * as a socket write, a `Buffer.concat` inside the token vault as crypto).
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const SOCKET_WRITE = new Set(["writev", "writeUtf8String", "writeBuffer", "writeLatin1String", "writeAsciiString", "writeGeneric", "writevGeneric", "handleWriteReq"]);
const CRYPTO_NATIVE = new Set(["digest", "update", "final", "randomFillSync", "randomBytes", "createHmac", "createHash", "createCipheriv", "createDecipheriv", "hkdfSync", "timingSafeEqual", "Hmac", "Hash", "Cipheriv", "Decipheriv", "CipherBase"]);

/** The category of one frame, or null when the frame says nothing specific. */
function category(fn: string, url: string): string | null {
  if (fn === "(idle)") return "idle";
  if (fn === "(garbage collector)") return "garbage collector";
  if (fn === "(program)") return "V8/native (program)";
  if (url.includes("/node_modules/postgres/")) return "postgres.js driver";
  if (url.includes("drizzle-orm")) return "drizzle ORM";
  if (url.includes("/node_modules/hono/") || url.includes("@hono/node-server")) return "hono + node-server";
  if (url.includes("/node_modules/zod/")) return "zod validation";
  if (url.includes("pino") || url.includes("sonic-boom") || url.includes("/src/logger")) return "logging (pino)";
  if (url.includes("better-auth") || url.includes("better-call") || url.includes("@noble") || url.includes("jose")) return "better-auth";
  if (url.includes("internal/crypto") || url === "node:crypto" || (url === "" && CRYPTO_NATIVE.has(fn))) return "crypto";
  if (SOCKET_WRITE.has(fn) || url.includes("stream_base_commons")) return "socket writes";
  if (/node:(net|http|_http)|internal\/(net|http|streams|stream_base)|_http_/.test(url)) return "node http/net/streams";
  if (url === "" && /^(JSON\.)?(parse|stringify)$/.test(fn)) return "JSON";
  if (url.includes("/src/")) return "app code (src/)";
  if (url.includes("/bench/server-routes")) return "bench-only routes";
  return null;
}

export function summariseProfile(file: string, top = 15): string {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + (profile.timeDeltas[i] ?? 0));

  const charge = (id: number): string => {
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur)!;
      const c = category(n.callFrame.functionName, n.callFrame.url);
      if (c) return c;
    }
    const leaf = byId.get(id)!.callFrame;
    return leaf.url ? "other JavaScript" : "other native";
  };

  const cats = new Map<string, number>();
  const fns = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  for (const [id, us] of self) {
    const c = charge(id);
    if (c === "idle") {
      idle += us;
      continue;
    }
    busy += us;
    cats.set(c, (cats.get(c) ?? 0) + us);
    const f = byId.get(id)!.callFrame;
    const where = f.url ? `${f.url.replace(/^file:\/\/.*?\/(node_modules|src|bench)\//, "$1/")}:${f.lineNumber + 1}` : "native";
    const key = `${f.functionName || "(anonymous)"} (${where})`;
    fns.set(key, (fns.get(key) ?? 0) + us);
  }
  const pct = (us: number) => `${((100 * us) / busy).toFixed(1)}%`;
  const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  return [
    `Busy ${(busy / 1e6).toFixed(2)} s, idle ${(idle / 1e6).toFixed(2)} s of the server's main thread.`,
    "",
    "| category (busy time) | share |",
    "|---|---:|",
    ...sorted(cats).map(([c, us]) => `| ${c} | ${pct(us)} |`),
    "",
    `| top ${top} functions by self time | share |`,
    "|---|---:|",
    ...sorted(fns)
      .slice(0, top)
      .map(([f, us]) => `| \`${f.replace(/\|/g, "\\|")}\` | ${pct(us)} |`),
  ].join("\n");
}
