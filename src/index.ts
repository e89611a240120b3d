export * from "./layout";
export * from "./errors";
export * from "./decode";
export * from "./settings";
export * from "./analysis";
