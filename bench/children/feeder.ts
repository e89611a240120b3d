/**
 * The embedded broker and/or the simulated feed, as `npm run feed` runs them (aedes and the feed in one
 * process), controlled by the benchmark over stdin:
 *   --broker            start the embedded broker (startBroker) and print its URL
 *   --url URL           publish into that broker instead (e.g. Mosquitto)
 * commands: {"cmd":"feed","rate":50[,"topic":T]} (re)starts the feed; {"cmd":"stopFeed"}; {"cmd":"stats"}; {"cmd":"exit"}.
 */
import { parseArgs } from "node:util";
import type { EmbeddedBroker } from "../../src/mqtt/broker";
import type { Feed } from "../../src/feed/feed";
import { cpuSecondsSelf, emit, memoryMb, onCommands } from "../lib/child-io";
import { lm } from "../lib/module";

const { startBroker, startFeed } = lm;

const { values } = parseArgs({
  options: { broker: { type: "boolean" }, url: { type: "string" }, topic: { type: "string" }, "max-seconds": { type: "string" } },
});

async function main() {
  const broker: EmbeddedBroker | undefined = values.broker ? await startBroker() : undefined;
  const url = values.url ?? broker?.url;
  if (!url) throw new Error("feeder: give --broker or --url");
  let feed: Feed | undefined;
  let feedErrors = 0;

  const stopFeed = async () => {
    const f = feed;
    feed = undefined;
    if (f) await f.stop();
    return f;
  };
  onCommands(
    async (command) => {
      if (command.cmd === "feed") {
        await stopFeed();
        const topic = typeof command.topic === "string" ? command.topic : values.topic;
        feed = await startFeed({ url, topic, rate: Number(command.rate), seed: 1, onError: () => feedErrors++ });
        emit("feeding", { rate: feed.rate });
      } else if (command.cmd === "stopFeed") {
        const f = await stopFeed();
        emit("feedStopped", { published: f?.published ?? 0, skipped: f?.skipped ?? 0 });
      } else if (command.cmd === "stats") {
        emit("stats", {
          cpuSeconds: cpuSecondsSelf(),
          memory: memoryMb(),
          published: feed?.published ?? 0,
          skipped: feed?.skipped ?? 0,
          feedErrors,
          clients: broker?.connectedClients ?? 0,
        });
      }
    },
    Number(values["max-seconds"] ?? 3600),
    async () => {
      await stopFeed();
      await broker?.close();
    },
  );
  emit("ready", { url, pid: process.pid });
}

main().catch((error: unknown) => {
  process.stderr.write(`feeder: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
