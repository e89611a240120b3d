/**
 * A classroom as `npm run classroom` runs it (the embedded broker with the classroom's rules and the feed in one
 * process, no dashboard), for bench/classroom.ts: --students N --passwords FILE --rate HZ (raw pulses; the compact
 * topics at 50 Hz). Commands: {"cmd":"stats"} → the feed's pulses so far and this process's CPU; {"cmd":"exit"}.
 */
import { parseArgs } from "node:util";
import { startClassroom } from "../../src/classroom/classroom";
import { studentNames } from "../../src/classroom/passwords";
import { cpuSecondsSelf, emit, onCommands } from "../lib/child-io";

const { values } = parseArgs({
  options: { students: { type: "string" }, passwords: { type: "string" }, rate: { type: "string" }, "max-seconds": { type: "string" } },
});

async function main() {
  const classroom = await startClassroom({
    students: studentNames(values.students ?? "30"),
    passwordsFile: values.passwords!,
    rate: Number(values.rate ?? 1),
    seed: 1,
    dashboard: false,
  });
  onCommands(
    (command) => {
      if (command.cmd === "stats") {
        emit("stats", {
          published: classroom.feed.published,
          skipped: classroom.feed.skipped,
          clients: classroom.broker.connectedClients,
          cpuSeconds: cpuSecondsSelf(),
        });
      }
    },
    Number(values["max-seconds"] ?? 1800),
    () => classroom.close(),
  );
  emit("ready", { url: classroom.broker.url, pid: process.pid });
}

main().catch((error: unknown) => {
  process.stderr.write(`classroom-broker: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
