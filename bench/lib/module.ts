/**
 * The module under test, through its front door as the notebooks import it. bench/run.ts compiles src/ and
 * the benchmark's children together with tsc (out/bench/build), so children run the compiled JavaScript,
 * as the notebooks do (the package's dist/), with plain node. By hand (or with --source) they run through
 * tsx instead — slower: tsx turns every imported constant into a getter call.
 */
import * as learningMqtt from "../../src/index";

// Taken out once, here: hot loops then call plain functions, not properties of the module object.
export const lm: typeof learningMqtt = { ...learningMqtt };
