/**
 * src/classroom/: a class of students on one broker that they cannot abuse — the rules (rules.ts), the class list
 * and its passwords (passwords.ts), the room as the instructor sees it (room.ts) and its dashboard (dashboard.ts,
 * dashboard-page.ts), the same rules for Mosquitto and bridges between rooms (mosquitto.ts), and this file, which
 * starts them together. It may import kernel/, beam/, mqtt/, plots/, feed/, live/ and the cross-cutting files.
 */
import { randomBytes } from "node:crypto";
import { SCENARIOS, type Scenario } from "../beam/simulator";
import { startFeed, type Feed } from "../feed/feed";
import { startBroker, type EmbeddedBroker } from "../mqtt/broker";
import { startDashboard, type Dashboard } from "./dashboard";
import { classPasswords } from "./passwords";
import { Room } from "./room";
import { classroomRules, FEED_USER } from "./rules";

export interface ClassroomOptions {
  /** The students' user names (see studentNames). */
  students: readonly string[];
  /** Where the passwords are kept: `user:password` lines, mode 0600 (made, or reused for the names already in it). */
  passwordsFile: string;
  /** The broker's interface (default 127.0.0.1; "0.0.0.0" for a room) and port (default 0: a free one). */
  host?: string;
  port?: number;
  /** Raw pulses per second (default 1, the course feed's rate); it must divide compactRate. */
  rate?: number;
  /** Pulses per second of the machine, on the compact topics (summary, envelope): default 50. */
  compactRate?: number;
  scenario?: Scenario;
  seed?: number;
  /** The link the room's traffic goes out on, in bytes per second (default 100 Mbit/s). */
  linkBytesPerS?: number;
  /** The dashboard's interface (default 127.0.0.1), port (default 0) and the instructor's password; false: none. */
  dashboard?: { host?: string; port?: number; password?: string } | false;
  /** Told about the feed's connection problems. */
  onError?: (line: string) => void;
}

/** A running classroom. */
export interface Classroom {
  readonly broker: EmbeddedBroker;
  readonly feed: Feed;
  readonly room: Room;
  readonly dashboard: Dashboard | undefined;
  /** The students' user names (their passwords are in the passwords file only). */
  readonly students: readonly string[];
  /** The scenario the class sees now. */
  readonly scenario: Scenario;
  /** Switches the whole class to another scenario, from the next pulse on. */
  switchScenario(scenario: Scenario): void;
  /** Stops the dashboard, the feed and the broker. Safe to call twice. */
  close(): Promise<void>;
}

/** Default link: a 100 Mbit/s switch port. */
const DEFAULT_LINK = 100e6 / 8;
/** A laptop that stops reading may hold up the room's deliveries this long before the broker drops it. */
const DRAIN_TIMEOUT_MS = 5000;

/**
 * Starts a classroom: the embedded broker with the classroom's rules, the simulated feed publishing into it as
 * FEED_USER, the room's bookkeeping and the dashboard.
 * @example
 * const room = await startClassroom({ students: studentNames("30"), passwordsFile: "classroom-passwords.txt", host: "0.0.0.0" });
 * console.log(room.broker.url, room.dashboard?.url);
 */
export async function startClassroom(options: ClassroomOptions): Promise<Classroom> {
  const passwords = classPasswords(options.passwordsFile, options.students);
  const feedPassword = randomBytes(18).toString("base64url"); // the feed lives in this process: it needs no file
  const users = new Map([...passwords, [FEED_USER, feedPassword]]);
  const feedSettings = { username: FEED_USER, password: feedPassword };
  const rate = options.rate ?? 1;
  const compactRate = options.compactRate ?? 50;
  const pulseEvery = compactRate / rate;
  if (!(rate > 0 && Number.isInteger(pulseEvery))) {
    throw new RangeError(`invalid rate: ${rate} raw pulses per second must divide the machine's ${compactRate} (e.g. 1, 2, 5, 10, 25, 50)`);
  }
  const firstScenario: Scenario = options.scenario ?? "nominal";
  let feed: Feed | undefined; // set once the feed runs; the room asks it for its counts
  const room = new Room(
    () => broker.clients(),
    () => ({ rate, compactRate, scenario: feed?.scenario ?? firstScenario, published: feed?.published ?? 0, skipped: feed?.skipped ?? 0 }),
    options.linkBytesPerS ?? DEFAULT_LINK,
  );
  const broker = await startBroker({
    host: options.host,
    port: options.port,
    rules: classroomRules(users),
    events: room.events,
    drainTimeoutMs: DRAIN_TIMEOUT_MS,
  });
  const sampler = setInterval(() => room.sample(), 1000);
  sampler.unref();
  let dashboard: Dashboard | undefined;
  try {
    const running = await startFeed({
      // On a broker that listens everywhere, the feed beside it connects over loopback.
      url: broker.host === "0.0.0.0" || broker.host === "::" ? `mqtt://127.0.0.1:${broker.port}` : broker.url,
      rate: compactRate,
      pulseEvery,
      envelope: true,
      scenario: firstScenario,
      seed: options.seed,
      settings: feedSettings,
      onError: options.onError,
    });
    feed = running;
    if (options.dashboard !== false) {
      dashboard = await startDashboard({
        ...options.dashboard,
        snapshot: () => room.snapshot(),
        scenarios: SCENARIOS,
        switchScenario: (s) => running.setScenario(s as Scenario),
      });
    }
  } catch (error) {
    clearInterval(sampler);
    await feed?.stop();
    await broker.close();
    throw error;
  }
  const running = feed;
  let closing: Promise<void> | undefined;
  return {
    broker,
    feed: running,
    room,
    dashboard,
    students: [...options.students],
    get scenario() {
      return running.scenario;
    },
    switchScenario: (next) => running.setScenario(next), // from the next pulse on, with a new retained status
    close() {
      closing ??= (async () => {
        clearInterval(sampler);
        await dashboard?.close();
        await running.stop();
        await broker.close();
      })();
      return closing;
    },
  };
}
