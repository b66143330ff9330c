import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseJsonc } from "../bin/jsonc.mjs";
import { readManifest } from "../bin/build.mjs";

test("comments and trailing commas are accepted like the runtime accepts them", () => {
  const text = `{
    // the plugin's name
    "name": "hello", /* block */
    "url": "http://a/b//c", "star": "/* not a comment */",
    "escaped": "quote \\" // still a string",
    "list": [1, 2, /* last */ 3,],
    "emoji": "😀 // x", "nested": {"a": 1, // trailing
    },
  }`;
  assert.deepEqual(parseJsonc(text), {
    name: "hello", url: "http://a/b//c", star: "/* not a comment */", escaped: 'quote " // still a string',
    list: [1, 2, 3], emoji: "😀 // x", nested: { a: 1 },
  });
});

test("malformed JSON is still refused with the parser's message", () => {
  assert.throws(() => parseJsonc(`{"name": }`), SyntaxError);
  assert.throws(() => parseJsonc(`{"name": "x" /* open`), /unterminated/);
});

test("readManifest reads a wafer.json with comments", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wafer-jsonc-"));
  fs.writeFileSync(path.join(dir, "wafer.json"), `{\n  // hi\n  "name": "commented",\n}\n`);
  assert.equal(readManifest(dir).name, "commented");
  fs.writeFileSync(path.join(dir, "wafer.json"), `{"name": "bad name!"}`);
  assert.throws(() => readManifest(dir), /must be a plugin name/);
});
