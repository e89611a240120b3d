/**
 * Asking the simulated feed for another scenario from a cell: a request on its control topic, confirmed by the
 * retained status. The built-in feed obeys; `npm run feed --url …` only with --control; the real ISIS feed never.
 */
import type { Scenario } from "../beam/simulator";
import { parseStatus, TOPICS } from "../feed/topics";
import { sleep } from "../kernel/session";
import { MQTTClient, type Message } from "../mqtt/client";
import { Note } from "./exercise";

/** How long to wait for the feed's status to confirm the switch. */
const CONFIRM_MS = 5000;

/**
 * Asks the feed to simulate `scenario` and waits (at most 5 s) until its retained status says it does.
 * @returns one line saying what happened, also when the feed did not switch (it is not ours, or not allowed to).
 * @example await requestScenario("bad-night") // "the feed now simulates bad-night (its status says so)"
 */
export async function requestScenario(scenario: Scenario): Promise<Note> {
  let now: Scenario | undefined;
  const client = new MQTTClient(TOPICS.status, { qos: 1 });
  client.onMessage = (message: Message) => {
    const status = parseStatus(message.payload); // a message that is not a status is rejected and counted
    if (status.online) now = status.scenario;
  };
  await client.connect();
  try {
    await client.publish(TOPICS.control, JSON.stringify({ scenario }), { qos: 1 });
    for (const deadline = Date.now() + CONFIRM_MS; now !== scenario && Date.now() < deadline;) await sleep(50);
  } finally {
    await client.disconnect();
  }
  if (now === scenario) return new Note(`the feed now simulates ${scenario} (its status says so)`);
  const seen = now === undefined ? "no status from the feed" : `its status still says ${now}`;
  return new Note(
    `the feed did not switch to ${scenario} within ${CONFIRM_MS / 1000} s (${seen}): it is the real ISIS feed, or a feed ` +
      "started without --control. Your alarm then only fires if the beam really goes bad.",
  );
}
