/**
 * The instructor's dashboard: a small web server (node:http) with one page, the room's snapshot once a second as
 * server-sent events (/events), Observable Plot and d3 from node_modules (/assets/…: no CDN), and POST /scenario to
 * switch the whole class. Localhost only unless told otherwise; with an instructor password, every request needs it
 * (HTTP Basic). A switch must come from the page itself (same origin, JSON), so another web site open in the
 * instructor's browser cannot send one.
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import path from "node:path";
import { messageOf } from "../errors";
import { dashboardPage } from "./dashboard-page";
import { sameSecret, secretDigest } from "./rules";
import type { RoomSnapshot } from "./room";

export interface DashboardOptions {
  /** Interface to listen on (default 127.0.0.1: this machine only). */
  host?: string;
  /** Port (default 0: a free one). */
  port?: number;
  /** The instructor's password; when set, the browser asks for it (any user name). */
  password?: string;
  /** The room now. */
  snapshot: () => RoomSnapshot;
  /** The scenarios offered on the page, and what switching does (it may throw a RangeError with a one-line reason). */
  scenarios: readonly string[];
  switchScenario: (scenario: string) => void;
  /** Milliseconds between two snapshots sent to a page (default 1000). */
  intervalMs?: number;
}

/** A running dashboard. */
export interface Dashboard {
  /** e.g. http://127.0.0.1:8080 */
  readonly url: string;
  readonly port: number;
  /** Pages watching right now. */
  readonly watchers: number;
  close(): Promise<void>;
}

/** At most this many pages may watch at once: each costs a snapshot a second. */
const MAX_WATCHERS = 20;
/** The scripts the page loads, from the packages the project already has. */
const ASSETS: Record<string, () => string> = {
  "/assets/plot.umd.min.js": () => path.join(path.dirname(require.resolve("@observablehq/plot")), "..", "dist", "plot.umd.min.js"),
  // d3 as Plot finds it (a dependency of Plot's): its package exports only its ES module, whose folder has the UMD build.
  "/assets/d3.min.js": () =>
    path.join(path.dirname(require.resolve("d3", { paths: [path.dirname(require.resolve("@observablehq/plot"))] })), "d3.min.js"),
};

/**
 * Starts the dashboard.
 * @example const dashboard = await startDashboard({ snapshot: () => room.snapshot(), scenarios: ["nominal", "bad-night"], switchScenario });
 */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const host = options.host ?? "127.0.0.1";
  const intervalMs = options.intervalMs ?? 1000;
  const page = dashboardPage(options.scenarios);
  const assets = new Map<string, Buffer>();
  const watchers = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  const expected = options.password === undefined ? undefined : secretDigest(options.password);

  const server = createServer((request, response) => {
    try {
      if (expected && !authorised(request, expected)) {
        response.writeHead(401, { "www-authenticate": 'Basic realm="classroom", charset="UTF-8"', "content-type": "text/plain" });
        return response.end("the classroom dashboard wants the instructor's password\n");
      }
      const url = new URL(request.url ?? "/", "http://dashboard");
      if (request.method === "GET" && url.pathname === "/") return send(response, 200, "text/html; charset=utf-8", page);
      if (request.method === "GET" && url.pathname === "/events") return watch(request, response);
      if (request.method === "GET" && url.pathname === "/snapshot.json") {
        return send(response, 200, "application/json", JSON.stringify(options.snapshot()));
      }
      const asset = ASSETS[url.pathname];
      if (request.method === "GET" && asset) {
        if (!assets.has(url.pathname)) assets.set(url.pathname, readFileSync(asset()));
        return send(response, 200, "text/javascript; charset=utf-8", assets.get(url.pathname)!);
      }
      if (request.method === "POST" && url.pathname === "/scenario") return switchScenario(request, response);
      if (url.pathname === "/favicon.ico") return send(response, 204, "text/plain", "");
      send(response, 404, "text/plain", "not found\n");
    } catch (error) {
      send(response, 500, "text/plain", `${messageOf(error)}\n`);
    }
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  const watch = (request: IncomingMessage, response: ServerResponse) => {
    if (watchers.size >= MAX_WATCHERS) return send(response, 503, "text/plain", `at most ${MAX_WATCHERS} dashboards at once\n`);
    response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
    watchers.add(response);
    response.write(`data: ${JSON.stringify(options.snapshot())}\n\n`);
    request.on("close", () => watchers.delete(response));
  };
  const timer = setInterval(() => {
    if (watchers.size === 0) return;
    const data = `data: ${JSON.stringify(options.snapshot())}\n\n`;
    for (const w of watchers) w.write(data);
  }, intervalMs);
  timer.unref();

  const switchScenario = (request: IncomingMessage, response: ServerResponse) => {
    const origin = request.headers.origin;
    if (
      !String(request.headers["content-type"]).startsWith("application/json") ||
      (origin && new URL(origin).host !== request.headers.host)
    ) {
      return send(response, 403, "text/plain", "switch the scenario from the dashboard page itself\n");
    }
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      body += chunk;
      if (body.length > 1000) request.destroy(); // a scenario's name is a few bytes
    });
    request.on("end", () => {
      try {
        const scenario = (JSON.parse(body) as { scenario?: unknown }).scenario;
        if (typeof scenario !== "string" || !options.scenarios.includes(scenario)) {
          return send(
            response,
            400,
            "text/plain",
            `unknown scenario: ${JSON.stringify(scenario)} (expected ${options.scenarios.join(" or ")})\n`,
          );
        }
        options.switchScenario(scenario);
        send(response, 200, "text/plain", `switched to ${scenario}\n`);
      } catch (error) {
        send(response, 400, "text/plain", `${messageOf(error)}\n`);
      }
    });
  };

  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          `cannot start the dashboard on ${host}:${options.port ?? 0}: ${error.code === "EADDRINUSE" ? "the port is already in use" : error.message}`,
        ),
      ),
    );
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    get watchers() {
      return watchers.size;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        clearInterval(timer);
        for (const w of watchers) w.end();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.writeHead(status, { "content-type": type, "cache-control": "no-store", "x-content-type-options": "nosniff" });
  response.end(body);
}

/** Whether a request carries the instructor's password (HTTP Basic, any user name), compared in constant time. */
function authorised(request: IncomingMessage, expected: Buffer): boolean {
  const header = request.headers.authorization ?? "";
  if (!header.startsWith("Basic ")) return false;
  const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
  return sameSecret(expected, decoded.slice(decoded.indexOf(":") + 1));
}
