/** The exercises of lesson 04 (setting up): `lesson04.<exercise>.check(answer)`, `.hint()`, `.solution()`. */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { exercise, Verdict } from "./exercise";
import { show } from "./feedback";

const PROJECT = path.resolve(__dirname, "..", ".."); // src/lessons/ under tsx, dist/lessons/ when built: both two levels down

/** The version of a package installed in this project's node_modules, or undefined. */
function installedVersion(name: string): string | undefined {
  const file = path.join(PROJECT, "node_modules", name, "package.json");
  if (!existsSync(file)) return undefined;
  try {
    return (JSON.parse(readFileSync(file, "utf8")) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** The dependencies package.json asks for, name → range. */
function askedFor(): Record<string, string> {
  try {
    return (
      (JSON.parse(readFileSync(path.join(PROJECT, "package.json"), "utf8")) as { dependencies?: Record<string, string> }).dependencies ?? {}
    );
  } catch {
    return {};
  }
}

export const lesson04 = {
  whichPackage: exercise<[unknown]>({
    task: "Which package lets Jupyter run TypeScript (it is the 'kernel' of these notebooks)?",
    check: (answer) => {
      if (typeof answer !== "string") return `write the package name as text in quotes, e.g. "mqtt" (you gave ${show(answer)}).`;
      const name = answer.trim().toLowerCase();
      if (name === "tslab") return true;
      if (name === "mqtt") return "mqtt is the package that talks to the broker. Which one runs your TypeScript cells?";
      if (name === "typescript") return "TypeScript is the language. Which package connects it to Jupyter?";
      if (name.includes("jupyter")) return "Jupyter is the notebook app itself. Which package gives it a TypeScript kernel?";
      if (name === "learning-mqtt") return "learning-mqtt is this project's own module, full of helpers. Look for the kernel in the table.";
      return `${show(answer)} is not one of the packages in the table above.`;
    },
    praise: "tslab is the TypeScript kernel: it runs every code cell you see.",
    hints: ["Look at the table: the package whose job is 'runs the code cells'.", "Its name starts with ts (for TypeScript)."],
    solution: 'const kernelPackage = "tslab";',
  }),

  mqttVersion: exercise<[unknown]>({
    task: 'Which version of the mqtt package is installed? Write it as text, e.g. "1.2.3".',
    check: (answer) => {
      const installed = installedVersion("mqtt");
      if (installed === undefined) return new Verdict("incorrect", "mqtt is not installed here: run npm install in the project folder.");
      if (typeof answer !== "string") return `write the version as text in quotes, e.g. "1.2.3" (you gave ${show(answer)}).`;
      const given = answer.trim().replace(/^v/, "");
      if (given === installed) return true;
      const asked = askedFor()["mqtt"];
      if (asked !== undefined && given === asked.trim()) {
        return `${asked} is what package.json ASKS for (a range: "this version or a newer compatible one"). Which version did npm actually install?`;
      }
      const other = Object.keys(askedFor()).find((name) => name !== "mqtt" && installedVersion(name) === given);
      if (other) return `${given} is the installed version of ${other}, not of mqtt.`;
      return `the installed mqtt is not ${show(answer)}: look at the mqtt line of the table, column "installed".`;
    },
    praise: "that is the version in node_modules/mqtt — the code that actually runs.",
    hints: ["The table has a row for mqtt.", "Use the 'installed' column, not the 'asked for' one, and put the version in quotes."],
    solution: 'const mqttVersion = installedVersion("mqtt"); // or type it from the table, e.g. "5.16.0"',
  }),
};
