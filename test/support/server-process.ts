/**
 * A real server process: src/main.ts as `npm run dev` runs it (node with tsx's loader), with the
 * environment given and nothing inherited but PATH. Resolves once it logs that it listens.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface ServerProcess {
  url: string;
  /** Everything it wrote so far (JSON log lines). */
  output(): string;
  /** SIGTERM, then waits for the exit; resolves with its exit code. */
  stop(): Promise<number | null>;
}

export async function startServerProcess(env: Record<string, string>, options: { name: string; timeoutMs?: number }): Promise<ServerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: ROOT,
    // eslint-disable-next-line no-restricted-properties -- the child needs PATH only
    env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const timeoutMs = options.timeoutMs ?? 90_000;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${options.name} not listening after ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const poll = setInterval(() => {
      const m = /listening on (http:\/\/\S+?)"/.exec(output);
      if (m) {
        clearTimeout(timer);
        clearInterval(poll);
        resolve(m[1]!);
      }
    }, 50);
    void exited.then((code) => {
      clearTimeout(timer);
      clearInterval(poll);
      reject(new Error(`${options.name} exited (${code}) before listening:\n${output}`));
    });
  });
  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}
