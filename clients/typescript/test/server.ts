// Starts a real `tally serve` (the CLI jar that mvn builds) on a new SQLite ledger in a temp folder, signing a
// checkpoint after every entry with a key made by `tally keygen`, whose verifier key the tests pin.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../../../..");
export const ADMIN_KEY = "ts-client-admin-key-0123456789abcdef";

export interface Served {
  baseUrl: string;
  port: number;
  verifierKey: string;
  stop(): Promise<void>;
}

function java(): string {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, "bin", "java") : "java";
}

function jar(): string {
  const path = process.env.TALLY_JAR ?? join(ROOT, "tally-cli", "target", "tally.jar");
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: build it first (./test.sh does: mvn verify, then these tests)`);
  }
  return path;
}

/** Starts the server; `extraYaml` lines are appended to its configuration (a fraud policy, say). */
export async function serve(extraYaml: string[] = []): Promise<Served> {
  const dir = mkdtempSync(join(tmpdir(), "tally-ts-"));
  const keygen = spawnSync(java(), ["-jar", jar(), "keygen", "--out", join(dir, "keys"), "--name", "tally.example/ts-test"], {
    encoding: "utf8",
  });
  if (keygen.status !== 0) throw new Error(`tally keygen failed: ${keygen.stderr}`);
  const config = join(dir, "tally.yaml");
  writeFileSync(
    config,
    [
      `db: ${join(dir, "tally.db")}`,
      "host: 127.0.0.1",
      "port: 0",
      "checkpoints:",
      `  private_key: ${join(dir, "keys", "checkpoint.key")}`,
      "  every_entries: 1",
      "audit:",
      "  enabled: false",
      ...extraYaml,
      "",
    ].join("\n"),
  );
  const child: ChildProcess = spawn(java(), ["-jar", jar(), "serve", "--config", config], {
    env: { ...process.env, TALLY_ADMIN_KEY: ADMIN_KEY },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  const port = await new Promise<number>((ok, fail) => {
    let out = "";
    const timer = setTimeout(() => fail(new Error(`tally serve did not start in 60 s: ${stderr}`)), 60_000);
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /on http:\/\/[^:]+:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(Number(m[1]));
      }
    });
    child.on("exit", (code) => fail(new Error(`tally serve exited with ${code}: ${stderr}`)));
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    verifierKey: readFileSync(join(dir, "keys", "checkpoint.pub"), "utf8").trim(),
    stop: () =>
      new Promise<void>((ok) => {
        child.on("exit", () => ok());
        child.kill("SIGTERM");
      }),
  };
}
