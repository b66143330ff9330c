// The build entry points: the project template as `wafer new` copies it, and the wafer-build command.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { buildPlugin } from "../bin/build.mjs";
import { Guest } from "../testing/host.mjs";
import { SDK_DIR } from "../testing/guests.mjs";

const run = promisify(execFile);

/** A copy of the template with its placeholders filled in, as `wafer new <name>` makes it. */
function newProject(name) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wafer-template-"));
  fs.cpSync(path.join(SDK_DIR, "template"), dir, { recursive: true });
  for (const file of ["package.json", "wafer.json", "README.md"]) {
    const p = path.join(dir, file);
    fs.writeFileSync(p, fs.readFileSync(p, "utf8").replaceAll("__NAME__", name).replaceAll("__SDK_TARBALL__", "vendor/wafer-sdk.tgz"));
  }
  return dir;
}

test("template_hasTheFilesWaferNewCopies_withPlaceholders", () => {
  for (const file of ["package.json", "wafer.json", "assembly/index.ts", "assembly/tsconfig.json", "_gitignore", "README.md"]) {
    assert.ok(fs.existsSync(path.join(SDK_DIR, "template", file)), file);
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(SDK_DIR, "template/package.json"), "utf8"));
  assert.equal(pkg.dependencies["@wafer/sdk"], "file:__SDK_TARBALL__"); // wafer new copies the SDK's tarball into the project
  assert.equal(pkg.scripts.build, "wafer-build");
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(SDK_DIR, "template/wafer.json"), "utf8")), { name: "__NAME__" });
});

test("template_buildsAndItsFunctionsWork", async () => {
  const dir = newProject("bookshop");
  const result = await buildPlugin(dir);
  assert.equal(result.wasm, path.join(dir, "build", "bookshop.wasm"));
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, "build", "bookshop.wafer.json"), "utf8")), { name: "bookshop" });
  const g = new Guest(result.wasm);
  assert.deepEqual(g.meta.functions.map(f => f.name), ["greet", "findBooks", "describeBook"]);
  assert.equal(g.call("greet", "Ada"), "Hello, Ada!");
  assert.deepEqual(g.call("findBooks", "PRAG").map(b => b.title), ["The Pragmatic Programmer"]);
  assert.equal(g.call("describeBook", { title: "T", author: "A", year: 2000, tags: [] }), "T by A (2000)");
});

test("waferBuild_command_writesWasmAndManifest_andReportsSize", async () => {
  const dir = newProject("cli-check");
  const { stdout } = await run(process.execPath, [path.join(SDK_DIR, "bin/wafer-build.mjs"), dir]);
  assert.match(stdout, /built cli-check: .*cli-check\.wasm \(\d+\.\d KiB, 3 functions\) in \d+ ms/);
  assert.ok(fs.statSync(path.join(dir, "build", "cli-check.wasm")).size > 1000);
  assert.ok(fs.existsSync(path.join(dir, "build", "cli-check.wafer.json")));
});

test("waferBuild_command_exitsNonZeroWithDiagnostics", async () => {
  const fixture = path.join(SDK_DIR, "test/fixtures/syntax-error");
  await assert.rejects(run(process.execPath, [path.join(SDK_DIR, "bin/wafer-build.mjs"), fixture]), e => {
    assert.equal(e.code, 1);
    assert.match(e.stderr, /ERROR TS1109/);
    return true;
  });
});
