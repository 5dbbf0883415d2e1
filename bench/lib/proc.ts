/**
 * What the benchmarks read from /proc (Linux; every reader answers 0 elsewhere): CPU time of the
 * whole machine, of PostgreSQL's processes and of one process, and a process's resident memory.
 */
import { readdirSync, readFileSync } from "node:fs";

const TICK_MS = 10; // USER_HZ = 100

/** CPU milliseconds used so far by processes named `postgres` (exited backends are not counted). */
export function postgresCpu(): number {
  let ticks = 0;
  try {
    for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        if (!stat.includes("(postgres)")) continue;
        const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        ticks += Number(f[11]) + Number(f[12]);
      } catch {
        // the process ended meanwhile
      }
    }
  } catch {
    return 0;
  }
  return ticks * TICK_MS;
}

/** Busy CPU milliseconds of the whole machine so far (/proc/stat). */
export function machineCpu(): number {
  try {
    const [, ...fields] = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/);
    const [user, nice, system, , , irq, softirq, steal] = fields.map(Number) as number[];
    return (user! + nice! + system! + irq! + softirq! + steal!) * TICK_MS;
  } catch {
    return 0;
  }
}

/** CPU milliseconds (user + system) used so far by one process. */
export function processCpu(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/** A field of /proc/<pid>/status in MB (VmRSS: resident now, VmHWM: peak resident); 0 if unreadable. */
export function statusMb(pid: number, field: "VmRSS" | "VmHWM"): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Samples a process's VmRSS every `everyMs` until stopped; `stop()` returns the largest sample in MB. */
export function sampleRss(pid: number, everyMs = 200): { stop(): number } {
  let max = statusMb(pid, "VmRSS");
  const timer = setInterval(() => {
    max = Math.max(max, statusMb(pid, "VmRSS"));
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(max, statusMb(pid, "VmRSS"));
    },
  };
}
