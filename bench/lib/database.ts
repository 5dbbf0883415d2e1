/** A fresh database per benchmark run on BENCH_DATABASE_URL's server, dropped at the end. */
import { randomBytes } from "node:crypto";
import postgres from "postgres";

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface BenchDatabase {
  name: string;
  url: string;
  /** The server's version string, e.g. "15.20". */
  serverVersion: string;
  drop(): Promise<void>;
}

export async function createBenchDatabase(prefix = "swl_bench"): Promise<BenchDatabase> {
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  let serverVersion: string;
  try {
    await admin.unsafe(`create database ${name}`);
    const [row] = await admin.unsafe<{ server_version: string }[]>("show server_version");
    serverVersion = row?.server_version ?? "?";
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    serverVersion,
    async drop() {
      if (process.env.BENCH_KEEP) {
        console.log(`kept database ${name} (BENCH_KEEP)`);
        return;
      }
      const a = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await a.end();
      }
    },
  };
}
