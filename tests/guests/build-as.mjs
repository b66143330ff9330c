#!/usr/bin/env node
// Builds every AssemblyScript test guest: node tests/guests/build-as.mjs <outdir>
//
// Each folder in tests/guests/assemblyscript/ with a wafer.json is a plugin; the result is
// <outdir>/<plugin>.wasm and <outdir>/<plugin>.wafer.json. Installs the SDK's dependencies first if
// sdk/assemblyscript/node_modules is missing (npm ci). All plugins compile in this one process, one
// after another, reusing the loaded compiler.

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const sdk = path.resolve(here, "../../sdk/assemblyscript");
const guests = path.join(here, "assemblyscript");

const outDir = process.argv[2];
if (!outDir) {
  console.error("usage: node tests/guests/build-as.mjs <outdir>");
  process.exit(2);
}

const started = performance.now();
if (!fs.existsSync(path.join(sdk, "node_modules", "assemblyscript"))) {
  console.log("installing SDK dependencies (npm ci in sdk/assemblyscript)...");
  execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: sdk, stdio: "inherit" });
}

const { buildPlugin } = await import(pathToFileURL(path.join(sdk, "bin", "build.mjs")).href);

const plugins = fs.readdirSync(guests, { withFileTypes: true })
  .filter(d => d.isDirectory() && fs.existsSync(path.join(guests, d.name, "wafer.json")))
  .map(d => d.name)
  .sort();

let failed = 0;
for (const plugin of plugins) {
  try {
    const r = await buildPlugin(path.join(guests, plugin), { outDir });
    console.log(`  ${r.name.padEnd(12)} ${String(r.wasmBytes).padStart(7)} bytes  ${String(r.meta.functions.length).padStart(3)} functions  ${r.ms} ms`);
  } catch (e) {
    failed++;
    console.error(e.message);
  }
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`${plugins.length - failed} of ${plugins.length} AssemblyScript guests built into ${path.resolve(outDir)} in ${seconds} s`);
process.exit(failed ? 1 : 0);
