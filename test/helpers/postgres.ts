/**
 * A private PostgreSQL server for the tests that keep Pulumi state in a database, as teams do with
 * Pulumi's `postgres://` backend: Debian's `postgresql` binaries (installed here with apt-get when
 * they are missing and the tests run as root, as on CI; otherwise the error says what to install), a
 * fresh cluster in a temporary folder on a free loopback port, trust
 * authentication, stopped and removed after. PostgreSQL refuses to run as root, so as root the
 * cluster belongs to the `postgres` user the package creates.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

export interface Postgres {
  /** The backend URL for `pulumi login` / PULUMI_BACKEND_URL. */
  url: string;
  stop(): void;
}

/** The folder of initdb and pg_ctl, installing Debian's package first when root may and must. */
function binDir(): string {
  try {
    return findBinDir();
  } catch (e) {
    if (process.getuid?.() !== 0 || !fs.existsSync("/usr/bin/apt-get")) throw e;
    const apt = (args: string[]) =>
      execFileSync("apt-get", args, {
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
      });
    try {
      apt(["install", "-y", "postgresql"]);
    } catch {
      apt(["update"]);
      apt(["install", "-y", "postgresql"]);
    }
    return findBinDir();
  }
}

/** The newest /usr/lib/postgresql/<version>/bin, else the PATH's. */
function findBinDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((v) => fs.existsSync(path.join(root, v, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0] !== undefined) return path.join(root, versions[0], "bin");
  try {
    return path.dirname(execFileSync("sh", ["-c", "command -v initdb"], { encoding: "utf8" }).trim());
  } catch {
    throw new Error(
      "PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin or on the PATH): apt-get install -y postgresql",
    );
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startPostgres(): Promise<Postgres> {
  const bin = binDir();
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pcl-pg-"));
  const data = path.join(dir, "data");
  // As root the cluster runs as `postgres`, which needs the folder (sockets and log go there too).
  const run = (cmd: string, args: string[]) =>
    execFileSync(asRoot ? "runuser" : cmd, asRoot ? ["-u", "postgres", "--", cmd, ...args] : args, {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  if (asRoot) execFileSync("chown", ["postgres:", dir]);
  const port = await freePort();
  try {
    run(path.join(bin, "initdb"), ["-D", data, "-U", "pulumi", "--auth=trust", "--no-sync", "-E", "UTF8"]);
    run(path.join(bin, "pg_ctl"), [
      "-D",
      data,
      "-l",
      path.join(dir, "log"),
      "-o",
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      "-w",
      "start",
    ]);
  } catch (e) {
    const log = fs.existsSync(path.join(dir, "log")) ? fs.readFileSync(path.join(dir, "log"), "utf8") : "";
    fs.rmSync(dir, { recursive: true, force: true });
    const err = e as { stderr?: string; message: string };
    throw new Error(`could not start PostgreSQL: ${err.stderr || err.message}\n${log}`);
  }
  return {
    url: `postgres://pulumi@127.0.0.1:${port}/postgres?sslmode=disable`,
    stop() {
      try {
        run(path.join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
