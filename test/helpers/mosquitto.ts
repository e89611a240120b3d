import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
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
    /** A whole mosquitto.conf to use instead (e.g. one that `npm run classroom -- --mosquitto-config` wrote). */
    private readonly configFile?: string,
  ) {}

  /** Starts Mosquitto from a config file of its own, which must listen on 127.0.0.1:`port`. */
  static async fromConfigFile(configFile: string, port: number): Promise<Mosquitto> {
    if (!MOSQUITTO) throw new Error("mosquitto is not installed: `npm test` installs it (scripts/system-packages.json)");
    const broker = new Mosquitto(port, "", configFile);
    await broker.restart();
    return broker;
  }

  /** Starts Mosquitto; `extraConfig` goes under the listener line. */
  static async start(extraConfig = "allow_anonymous true", port?: number): Promise<Mosquitto> {
    if (!MOSQUITTO) throw new Error("mosquitto is not installed: `npm test` installs it (scripts/system-packages.json)");
    const broker = new Mosquitto(port ?? (await freePort()), extraConfig);
    await broker.restart();
    return broker;
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  /** The same port as mqtts:// (for a broker started with tlsListener()), reached by `host`. */
  tlsUrl(host = "127.0.0.1"): string {
    return `mqtts://${host}:${this.port}`;
  }

  /** Starts (again) on the same port. */
  async restart(): Promise<void> {
    await this.stop();
    const config = this.configFile ?? join(this.dir, "mosquitto.conf");
    if (!this.configFile) {
      writeFileSync(config, `per_listener_settings true\npersistence false\nlistener ${this.port} 127.0.0.1\n${this.extraConfig}\n`);
    }
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

/** Where Debian puts mosquitto_passwd (it comes with the mosquitto package). */
export const MOSQUITTO_PASSWD = ["/usr/bin/mosquitto_passwd", "/usr/sbin/mosquitto_passwd"].find(existsSync);

/** Throwaway TLS material made with openssl: a CA and server certificates signed by it. */
export interface Certificates {
  readonly dir: string;
  /** The CA certificate (PEM): what MQTT_CA points to. */
  readonly ca: string;
  /** A server certificate for CN 127.0.0.1 with SAN DNS:localhost and IP:127.0.0.1, and its key. */
  readonly cert: string;
  readonly key: string;
  /** A server certificate for "localhost" only (no IP address in it), and its key. */
  readonly localhostCert: string;
  readonly localhostKey: string;
  /** Another CA that signed nothing here: trusting it must not be enough. */
  readonly otherCa: string;
  /** Removes the files. */
  remove(): void;
}

/** Makes a throwaway CA and server certificates with openssl (a second or so). */
export function makeCertificates(): Certificates {
  const dir = mkdtempSync(join(tmpdir(), "tls-"));
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  const ca = (name: string) =>
    openssl(
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.crt`,
      "-days",
      "2",
      "-subj",
      `/CN=Throwaway ${name}`,
    );
  const server = (name: string, cn: string, san: string) => {
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${cn}`);
    writeFileSync(file(`${name}.ext`), `subjectAltName=${san}\n`);
    openssl(
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      "ca.crt",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      `${name}.crt`,
      "-days",
      "2",
      "-extfile",
      `${name}.ext`,
    );
  };
  ca("ca");
  ca("other-ca");
  server("server", "127.0.0.1", "DNS:localhost,IP:127.0.0.1");
  server("localhost", "localhost", "DNS:localhost");
  readableByBroker(dir);
  return {
    dir,
    ca: file("ca.crt"),
    cert: file("server.crt"),
    key: file("server.key"),
    localhostCert: file("localhost.crt"),
    localhostKey: file("localhost.key"),
    otherCa: file("other-ca.crt"),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A Mosquitto password file with one user, made by mosquitto_passwd (the password is stored hashed). */
export function makePasswordFile(dir: string, user: string, password: string): string {
  if (!MOSQUITTO_PASSWD) throw new Error("mosquitto_passwd is not installed (it comes with Debian's mosquitto package)");
  const path = join(dir, "passwd");
  execFileSync(MOSQUITTO_PASSWD, ["-b", "-c", path, user, password], { stdio: ["ignore", "ignore", "pipe"] });
  readableByBroker(dir);
  return path;
}

/** mosquitto.conf lines for a TLS listener, optionally with a password file (and then no anonymous users). */
export function tlsListener(cert: string, key: string, passwordFile?: string): string {
  const auth = passwordFile ? `allow_anonymous false\npassword_file ${passwordFile}` : "allow_anonymous true";
  return `certfile ${cert}\nkeyfile ${key}\n${auth}`;
}

/**
 * Mosquitto started as root drops to the "mosquitto" user before it reads certificates and password files:
 * let it read these throwaway files (a private temporary folder is 0700 otherwise).
 */
function readableByBroker(dir: string): void {
  chmodSync(dir, 0o755);
  for (const name of readdirSync(dir)) chmodSync(join(dir, name), 0o644);
}
