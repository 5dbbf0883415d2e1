import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/index.js";
import { TEST_ENV } from "../support/test-app.js";

describe("cli (embedded database)", () => {
  it("adds, lists, rotates and removes clients; the secret is printed once and never listed", async () => {
    const env = { ...TEST_ENV, LOG_LEVEL: "silent", DATA_DIR: mkdtempSync(join(tmpdir(), "swl-cli-")) };
    const run = async (...args: string[]) => {
      const lines: string[] = [];
      const code = await runCli(args, env, (l) => lines.push(l));
      return { code, text: lines.join("\n") };
    };
    const added = await run("clients", "add", "--id", "karabast", "--name", "Karabast", "--redirect-uri", "https://karabast.example/cb");
    expect(added.code).toBe(0);
    const secret = /client_secret: (\S+)/.exec(added.text)![1]!;
    expect(secret).toMatch(/^swbs_[A-Za-z0-9_-]{43}$/);

    const dup = await run("clients", "add", "--id", "karabast", "--name", "K", "--redirect-uri", "https://karabast.example/cb");
    expect(dup.code).toBe(1);
    expect(dup.text).toMatch(/already exists/);
    const bad = await run("clients", "add", "--id", "x y", "--name", "K", "--redirect-uri", "javascript:alert(1)");
    expect(bad.code).toBe(1);

    const list = await run("clients", "list");
    expect(list.text).toContain("karabast\tKarabast");
    expect(list.text).not.toContain(secret);

    const rotated = await run("clients", "rotate-secret", "karabast");
    expect(rotated.text).toMatch(/previous secret stays valid/);
    expect(await run("clients", "list")).toMatchObject({ text: expect.stringContaining("secrets=2") });
    const dropped = await run("clients", "rotate-secret", "karabast", "--drop-old");
    expect(dropped.text).toMatch(/Only the new secret/);

    expect((await run("clients", "remove", "karabast")).text).toMatch(/removed/);
    expect((await run("clients", "remove", "karabast")).text).toMatch(/no client/);
    expect((await run("nonsense")).code).toBe(2);
  }, 180_000); // each command opens the embedded database and checks migrations, as a real CLI run does
});
