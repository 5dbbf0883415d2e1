/**
 * A throwaway PostgreSQL primary and streaming replica for the read-replica suite: `initdb` into a
 * temporary folder (replication from loopback trusted), `pg_basebackup -R` for the replica, both
 * started with `pg_ctl` on free ports with their sockets in that folder; `close()` stops both and
 * removes the folder. The machine's own server (5432) is not touched.
 *
 * initdb refuses to run as root: as root, every server command runs as the `postgres` OS user
 * (`runuser -u postgres --`) in a folder it owns. `replicaClusterUnavailable()` says why the
 * cluster cannot be made here (no server binaries, root without a postgres user), or null.
 */
import { execFile } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import postgres from "postgres";
import { freePort } from "../resilience/support.js";

const run = promisify(execFile);
const BIN_NAMES = ["initdb", "pg_ctl", "pg_basebackup", "postgres"];

/** The newest /usr/lib/postgresql/<version>/bin holding every binary the cluster needs. */
function findBinDir(): string | null {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = join(root, v, "bin");
    if (BIN_NAMES.every((name) => existsSync(join(bin, name)))) return bin;
  }
  return null;
}

const isRoot = () => process.getuid?.() === 0;

/** The postgres OS user's uid and gid, from /etc/passwd. */
function postgresUser(): { uid: number; gid: number } | null {
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith("postgres:"));
  if (!line) return null;
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

export function replicaClusterUnavailable(): string | null {
  if (!findBinDir()) return `no PostgreSQL server binaries (${BIN_NAMES.join(", ")}) under /usr/lib/postgresql/*/bin (apt-get install postgresql)`;
  if (isRoot() && !postgresUser()) return "running as root and there is no postgres OS user to run initdb as (initdb refuses root)";
  if (isRoot() && !existsSync("/usr/sbin/runuser") && !existsSync("/sbin/runuser")) return "running as root without runuser to run initdb as the postgres user";
  return null;
}

export interface ReplicaCluster {
  primaryUrl: string;
  replicaUrl: string;
  /** Direct superuser connections (not through any proxy) for checks and replay control. */
  primary: postgres.Sql;
  replica: postgres.Sql;
  stopReplica(): Promise<void>;
  startReplica(): Promise<void>;
  /** Replica stops applying WAL (it lags behind the primary) until resumeReplay(). */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** Waits until the replica has applied everything the primary has written so far. */
  caughtUp(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReplicaCluster(): Promise<ReplicaCluster> {
  const bin = findBinDir();
  if (!bin) throw new Error(replicaClusterUnavailable() ?? "no PostgreSQL binaries");
  const owner = isRoot() ? postgresUser() : null;
  const dir = mkdtempSync(join(tmpdir(), "swl-replica-"));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const primaryDir = join(dir, "primary");
  const replicaDir = join(dir, "replica");
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];

  const pg = async (name: string, args: string[]) => {
    const [file, argv] = owner ? ["runuser", ["-u", "postgres", "--", join(bin, name), ...args]] : [join(bin, name), args];
    try {
      await run(file, argv, { cwd: dir, timeout: 60_000 });
    } catch (err) {
      const logs = ["primary.log", "replica.log"].map((f) => join(dir, f)).filter(existsSync);
      const tail = logs.map((f) => `${f}:\n${readFileSync(f, "utf8").split("\n").slice(-15).join("\n")}`).join("\n");
      throw new Error(`${name} ${args.join(" ")} failed: ${err instanceof Error ? err.message : String(err)}\n${tail}`, { cause: err });
    }
  };
  // As root the server's files must be the postgres user's: written here, then handed over.
  const append = (file: string, text: string) => {
    appendFileSync(file, text);
    if (owner) chownSync(file, owner.uid, owner.gid);
  };
  const start = (dataDir: string, log: string) => pg("pg_ctl", ["-D", dataDir, "-l", join(dir, log), "-w", "-t", "60", "start"]);
  const stop = (dataDir: string) => pg("pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "-t", "60", "stop"]);

  let primaryUp = false;
  let replicaUp = false;
  const url = (port: number) => `postgres://postgres@127.0.0.1:${port}/postgres`;
  const clients: postgres.Sql[] = [];
  const cleanup = async () => {
    await Promise.all(clients.map((c) => c.end({ timeout: 1 }).catch(() => {})));
    if (replicaUp) await stop(replicaDir).catch(() => {});
    if (primaryUp) await stop(primaryDir).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await pg("initdb", ["-D", primaryDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"]);
    writeFileSync(
      join(primaryDir, "pg_hba.conf"),
      ["local all all trust", "local replication all trust", "host all all 127.0.0.1/32 trust", "host replication all 127.0.0.1/32 trust", ""].join("\n"),
    );
    if (owner) chownSync(join(primaryDir, "pg_hba.conf"), owner.uid, owner.gid);
    append(
      join(primaryDir, "postgresql.conf"),
      [
        "",
        "listen_addresses = '127.0.0.1'",
        `port = ${primaryPort}`,
        `unix_socket_directories = '${dir}'`,
        "wal_level = replica",
        "max_wal_senders = 4",
        "max_connections = 60",
        "shared_buffers = 16MB",
        "fsync = off",
        "synchronous_commit = off",
        "",
      ].join("\n"),
    );
    await start(primaryDir, "primary.log");
    primaryUp = true;

    await pg("pg_basebackup", ["-h", "127.0.0.1", "-p", String(primaryPort), "-U", "postgres", "-D", replicaDir, "-R", "-X", "stream", "-c", "fast"]);
    append(join(replicaDir, "postgresql.conf"), `\nport = ${replicaPort}\nhot_standby = on\n`);
    await start(replicaDir, "replica.log");
    replicaUp = true;

    const primary = postgres(url(primaryPort), { max: 1, onnotice: () => {} });
    const replica = postgres(url(replicaPort), { max: 1, onnotice: () => {} });
    clients.push(primary, replica);
    const [standby] = await replica<{ recovering: boolean }[]>`select pg_is_in_recovery() as recovering`;
    if (!standby?.recovering) throw new Error("the replica is not in recovery: it is not a standby");

    return {
      primaryUrl: url(primaryPort),
      replicaUrl: url(replicaPort),
      primary,
      replica,
      async stopReplica() {
        await stop(replicaDir);
        replicaUp = false;
      },
      async startReplica() {
        await start(replicaDir, "replica.log");
        replicaUp = true;
      },
      async pauseReplay() {
        await replica`select pg_wal_replay_pause()`;
      },
      async resumeReplay() {
        await replica`select pg_wal_replay_resume()`;
      },
      async caughtUp(timeoutMs = 20_000) {
        const [{ lsn } = { lsn: "" }] = await primary<{ lsn: string }[]>`select pg_current_wal_lsn()::text as lsn`;
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const [row] = await replica<{ done: boolean }[]>`select coalesce(pg_last_wal_replay_lsn() >= ${lsn}::pg_lsn, false) as done`;
          if (row?.done) return;
          if (Date.now() > deadline) throw new Error(`the replica did not replay up to ${lsn} within ${timeoutMs} ms`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      },
      close: cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
