#!/usr/bin/env node
// wafer-build [projectDir]: compiles <projectDir>/assembly/index.ts into build/<name>.wasm (with the
// wafer.meta section) and copies wafer.json to build/<name>.wafer.json.

import path from "node:path";
import { buildPlugin } from "./build.mjs";

const args = process.argv.slice(2);
if (args.includes("-h") || args.includes("--help") || args.length > 1) {
  console.log("usage: wafer-build [projectDir]\n\nBuilds <projectDir>/assembly/index.ts into <projectDir>/build/<name>.wasm.");
  process.exit(args.length > 1 ? 2 : 0);
}
const projectDir = path.resolve(args[0] ?? ".");

try {
  const result = await buildPlugin(projectDir);
  if (result.warnings) console.error(result.warnings);
  const rel = p => path.relative(process.cwd(), p) || ".";
  console.log(`built ${result.name}: ${rel(result.wasm)} (${(result.wasmBytes / 1024).toFixed(1)} KiB, ` +
    `${result.meta.functions.length} functions) in ${result.ms} ms`);
  console.log(`      ${rel(result.manifest)}`);
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
