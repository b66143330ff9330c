// Failures reach the host the way docs/abi.md §3-4 says: aborts through wafer.abort with
// "message at file:line:column", traps as traps.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { guest, GUESTS_DIR } from "../testing/guests.mjs";
import { GuestAbort } from "../testing/host.mjs";

const g = await guest("faults");
const source = fs.readFileSync(path.join(GUESTS_DIR, "faults/assembly/index.ts"), "utf8");

/** "assembly/index.ts:line:column" of the first occurrence of `snippet` in the faults guest. */
function at(snippet) {
  const offset = source.indexOf(snippet);
  assert.ok(offset >= 0, snippet);
  const before = source.slice(0, offset).split("\n");
  return `assembly/index.ts:${before.length}:${before[before.length - 1].length + 1}`;
}

function abortMessage(fn, args = "[]") {
  try {
    g.callRaw(fn, args, { fresh: true });
  } catch (e) {
    assert.ok(e instanceof GuestAbort, `${fn}: expected wafer.abort, got ${e}`);
    return e.message;
  }
  assert.fail(`${fn} did not abort`);
}

test("throw_isRoutedToWaferAbort_withMessageFileLineAndColumn", () => {
  assert.equal(abortMessage("boom"), `boom at ${at('throw new Error("boom")')}`);
});

test("failedAssertion_abortsWithItsMessage", () => {
  assert.equal(abortMessage("check", "[0]"), `v must be positive at ${at("assert(v > 0")}`);
  assert.deepEqual(g.callRaw("check", "[5]"), { status: 0, text: "5" });
});

test("abortCalledDirectly_withoutArguments_abortsWithAGenericMessage", () => {
  // a direct call passes no location (as with AssemblyScript's own abort); throw and assert do
  assert.equal(abortMessage("quit"), "aborted");
});

test("envAbort_isNotImported", () => {
  const imports = WebAssembly.Module.imports(g.module).map(i => `${i.module}.${i.name}`);
  assert.ok(imports.includes("wafer.abort"));
  assert.ok(!imports.includes("env.abort"), imports.join(","));
});

test("integerDivisionByZero_traps", () => {
  assert.deepEqual(g.callRaw("divide", "[7, 2]", { fresh: true }), { status: 0, text: "3" });
  assert.throws(() => g.callRaw("divide", "[1, 0]", { fresh: true }), WebAssembly.RuntimeError);
});

test("endlessRecursion_overflowsTheStack", () => {
  assert.throws(() => g.callRaw("recurse", "[0]", { fresh: true }), e => !(e instanceof GuestAbort));
});
