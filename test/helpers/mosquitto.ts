import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Where Debian puts the broker (/usr/sbin is not on every user's PATH). */
export const MOSQUITTO = ["/usr/sbin/mosquitto", "/usr/bin/mosquitto"].find(existsSync);

/** A free TCP port on loopback, as the system hands it out. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A real Mosquitto broker, run by a test on a free loopback port. */
export class Mosquitto {
  private process: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), "mosquitto-"));
  log = "";

  private constructor(
    readonly port: number,
    /** Extra lines for mosquitto.conf under the listener (e.g. TLS, password_file). */
    private readonly extraConfig: string,
  ) {}

  /** Starts Mosquitto; `extraConfig` goes under the listener line. */
  static async start(extraConfig = "allow_anonymous true", port?: number): Promise<Mosquitto> {
    if (!MOSQUITTO) throw new Error("mosquitto is not installed: apt-get install mosquitto (.ci/run does this)");
    const broker = new Mosquitto(port ?? (await freePort()), extraConfig);
    await broker.restart();
    return broker;
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  /** Starts (again) on the same port. */
  async restart(): Promise<void> {
    await this.stop();
    const config = join(this.dir, "mosquitto.conf");
    writeFileSync(config, `per_listener_settings true\npersistence false\nlistener ${this.port} 127.0.0.1\n${this.extraConfig}\n`);
    const child = spawn(MOSQUITTO!, ["-c", config], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.on("data", (d) => (this.log += d));
    child.stderr!.on("data", (d) => (this.log += d));
    this.process = child;
    const exited = new Promise<never>((_, reject) =>
      child.once("exit", (code) => reject(new Error(`mosquitto exited with ${code}:\n${this.log}`))),
    );
    exited.catch(() => {}); // only a failure while starting matters here
    await Promise.race([waitForPort(this.port, 5000), exited]);
  }

  /** Stops the broker (SIGTERM) and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  }

  /** Stops the broker and removes its files. */
  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Resolves once something accepts TCP connections on the port. */
export async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: "127.0.0.1" });
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
}
