// Empties dist/ before a build, so that a module moved or deleted in src/ does not live on in the build.
import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

rmSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "dist"), { recursive: true, force: true });
