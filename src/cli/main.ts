/**
 * The command line of the operator commands (src/cli/index.ts): `npm run cli -- <command>` runs
 * this file with tsx; `npm run build` bundles it into dist/server/cli.js, which a production
 * install (no tsx) runs with plain node: `node dist/server/cli.js <command>`.
 */
import { ConfigError } from "../config.js";
import { runCli } from "./index.js";

runCli(process.argv.slice(2), process.env, (line) => console.log(line)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : `error: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
