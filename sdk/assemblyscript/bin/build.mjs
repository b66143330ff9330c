// Builds Wafer plugins with the AssemblyScript compiler's JS API, in-process (no shell, no npx).
//
//   import { buildPlugin } from "@wafer/sdk/build";
//   const result = await buildPlugin("path/to/plugin", { outDir: "out" });
//
// A plugin is a folder with wafer.json ({"name": ...}) and assembly/index.ts. The result is
// <outDir>/<name>.wasm and <outDir>/<name>.wafer.json (a copy of wafer.json).

import "./v8flags.mjs"; // first: before the compiler (and binaryen) load
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseJsonc } from "./jsonc.mjs";
import * as asc from "assemblyscript/asc";
import WaferTransform, { META_SECTION } from "../transform/index.js";
import { ABORT_ELEMENT } from "../transform/glue.js";

/** Root of this SDK package; `@wafer/sdk` imports in plugins resolve here. */
export const SDK_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const NAME = /^[a-z0-9][a-z0-9._-]*$/i;

/** The options every plugin is compiled with (release build). */
export function compilerOptions(projectDir, outFile) {
  return [
    "assembly/index.ts",
    "--baseDir", projectDir,
    "--outFile", outFile,
    "-O3",
    "--runtime", "incremental",
    "--use", `abort=${ABORT_ELEMENT}`,
    "--noColors",
    "--disableWarning", "235", // "only variables, functions and enums become exports": classes are exported for metadata
  ];
}

/**
 * File reader for asc: `node_modules/@wafer/sdk/...` always resolves to this SDK (so the transform and
 * the guest runtime are the same version, and plugins outside an npm project, like the test guests,
 * build too); everything else is read from disk.
 */
function readFile(filename, baseDir) {
  const full = path.resolve(baseDir, filename);
  const m = /[\\/]node_modules[\\/]@wafer[\\/]sdk[\\/](.*)$/.exec(full);
  const file = m ? path.join(SDK_ROOT, m[1]) : full;
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

/** Reads and checks <projectDir>/wafer.json. */
export function readManifest(projectDir) {
  const file = path.join(projectDir, "wafer.json");
  let manifest;
  try {
    manifest = parseJsonc(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${file}: ${e.code === "ENOENT" ? "not found" : e.message}`);
  }
  if (typeof manifest.name !== "string" || !NAME.test(manifest.name)) {
    throw new Error(`${file}: "name" must be a plugin name (letters, digits, '.', '_', '-')`);
  }
  return manifest;
}

/**
 * Compiles one plugin. Resolves to { name, wasm, manifest, wasmBytes, meta, ms, warnings }; rejects with
 * an Error carrying asc's diagnostics when compilation fails.
 */
export async function buildPlugin(projectDir, { outDir } = {}) {
  const started = performance.now();
  projectDir = path.resolve(projectDir);
  const manifest = readManifest(projectDir);
  outDir = path.resolve(outDir ?? path.join(projectDir, "build"));
  const outFile = path.join(outDir, `${manifest.name}.wasm`);

  let binary = null;
  const stdout = asc.createMemoryStream();
  const stderr = asc.createMemoryStream();
  const { error } = await asc.main(compilerOptions(projectDir, outFile), {
    stdout,
    stderr,
    readFile,
    writeFile(filename, contents) {
      if (path.resolve(projectDir, filename) === outFile) binary = contents;
    },
    listFiles: () => [],
    transforms: [WaferTransform],
  });
  const diagnostics = stderr.toString().trim();
  if (error || !binary) {
    const failure = new Error(`${manifest.name}: build failed\n${diagnostics || (error && error.message) || "no output"}`);
    failure.diagnostics = diagnostics;
    throw failure;
  }
  const sections = WebAssembly.Module.customSections(new WebAssembly.Module(binary), META_SECTION);
  if (sections.length !== 1) throw new Error(`${manifest.name}: the module has ${sections.length} '${META_SECTION}' sections`);
  const meta = JSON.parse(new TextDecoder().decode(sections[0]));

  fs.mkdirSync(outDir, { recursive: true });
  const wasm = outFile;
  const manifestOut = path.join(outDir, `${manifest.name}.wafer.json`);
  fs.writeFileSync(wasm, binary);
  fs.copyFileSync(path.join(projectDir, "wafer.json"), manifestOut);
  return {
    name: manifest.name,
    wasm,
    manifest: manifestOut,
    wasmBytes: binary.length,
    meta,
    ms: Math.round(performance.now() - started),
    warnings: diagnostics,
  };
}
