// The hello guest: a call end to end, instance state, and logging at every level.
import { test } from "node:test";
import assert from "node:assert/strict";
import { guest } from "../testing/guests.mjs";

const g = await guest("hello");

test("greet_returnsTheGreeting", () => {
  assert.equal(g.call("greet", "Wafer"), "Hello, Wafer!");
  assert.equal(g.call("greet", "Wörld 😀 \"q\""), "Hello, Wörld 😀 \"q\"!");
  assert.equal(g.call("hello"), "Hello, world!");
});

test("counter_restartsOnFreshInstances_andCountsOnAReusedOne", () => {
  assert.deepEqual([1, 2, 3].map(() => g.callRaw("count", "[]", { fresh: true }).text), ["1", "1", "1"]);
  g.instantiate();
  assert.deepEqual([1, 2, 3].map(() => g.callRaw("count", "[]").text), ["1", "2", "3"]);
});

test("log_writesOneLinePerLevel_withLevelNumbers", () => {
  g.logs = [];
  assert.equal(g.call("logAll", "é 😀"), 4);
  assert.deepEqual(g.logs, [
    { level: 0, message: "debug: é 😀" },
    { level: 1, message: "info: é 😀" },
    { level: 2, message: "warn: é 😀" },
    { level: 3, message: "error: é 😀" },
  ]);
});
