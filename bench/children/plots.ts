/**
 * Measurement 4 in a process of its own: bench/plots.ts (the per-pulse plotting benchmark against the
 * original's matplotlib code) run once, its per-pulse times printed as {"event":"result", …}.
 *   --pulses N --mpl-pulses M --warmup W
 */
import { parseArgs } from "node:util";
import { emit } from "../lib/child-io";
import { benchPlots } from "../plots";

const { values } = parseArgs({
  options: {
    pulses: { type: "string", default: "20" },
    "mpl-pulses": { type: "string", default: "6" },
    warmup: { type: "string", default: "3" },
  },
});

benchPlots({ pulses: Number(values.pulses), mplPulses: Number(values["mpl-pulses"]), warmup: Number(values.warmup) })
  .then((bench) => {
    emit("result", { timings: bench.timings, matplotlibSkipped: bench.matplotlibSkipped });
    process.exit(0);
  })
  .catch((error: unknown) => {
    process.stderr.write(`plots: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
