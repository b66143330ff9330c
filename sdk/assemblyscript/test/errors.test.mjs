// Builds that must fail, and fail with messages that name the function, parameter and type.
import { test } from "node:test";
import assert from "node:assert/strict";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildPlugin } from "../bin/build.mjs";

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures");

async function buildError(name) {
  await assert.rejects(buildPlugin(path.join(fixtures, name), { outDir: path.join(os.tmpdir(), "wafer-sdk-fixtures") }), e => {
    buildError.message = e.message;
    return true;
  });
  return buildError.message;
}

test("unsupportedTypes_failTheBuild_namingFunctionParameterAndType", async () => {
  const message = await buildError("bad-types");
  const lines = message.split("\n");
  const has = (...parts) => assert.ok(lines.some(l => parts.every(p => l.includes(p))), `no line with ${parts.join(" + ")} in:\n${message}`);
  has("assembly/index.ts(11,", "function 'counts', parameter 'm'", "Map<");
  has("function 'today', result", "Date");
  has("function 'apply', parameter 'f'", "function and external reference types are not supported");
  has("function 'schedule', parameter 'e'", "Date", "in field 'Event.when'");
  has("function 'tags', parameter 's'", "Set<");
  has("function 'useB', parameter 'item'", "class 'Item' at assembly/b.ts(1,1) has the same name as class 'Item' at assembly/a.ts(1,1)", "rename one");
  has("function 'boxed', parameter 'b'", "Box<string> | null", "Box is for bool, integers and floats");
  assert.ok(!message.includes("'fine'"), "supported functions are not reported");
  assert.ok(!message.includes("'useA'"), "the first class named Item is fine");
});

test("genericFunction_failsTheBuild", async () => {
  const message = await buildError("bad-generic");
  assert.match(message, /function 'identity' is generic/);
  assert.match(message, /assembly\/index\.ts\(1,1\)/);
});

test("compileErrors_areReportedWithAscDiagnostics", async () => {
  const message = await buildError("syntax-error");
  assert.match(message, /syntax-error: build failed/);
  assert.match(message, /ERROR TS1109: Expression expected/);
  assert.match(message, /in assembly\/index\.ts\(2,/);
});
