// The smallest useful plugin: greetings, a counter that shows whether instances are reused, and one
// log line per level.
import { log } from "@wafer/sdk";

/** Says hello. */
export function greet(name: string): string {
  return "Hello, " + name + "!";
}

/** Says hello to the world. */
export function hello(): string {
  return "Hello, world!";
}

let counter = 0;

/** Counts calls on this instance: always 1 with fresh instances, 1, 2, 3... when instances are reused. */
export function count(): i32 {
  return ++counter;
}

/** Logs one line at each level and returns how many it wrote. */
export function logAll(message: string): i32 {
  log.debug("debug: " + message);
  log.info("info: " + message);
  log.warn("warn: " + message);
  log.error("error: " + message);
  return 4;
}
