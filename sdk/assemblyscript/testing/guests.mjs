// Builds the test guests (tests/guests/assemblyscript/*) once and shares them between test files:
// the output goes to a temp folder named after a hash of the SDK and guest sources, so an unchanged
// tree is built only once, and concurrent test processes never see a half-written folder.

import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildPlugin } from "../bin/build.mjs";
import { Guest } from "./host.mjs";

export const SDK_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const GUESTS_DIR = path.resolve(SDK_DIR, "../../tests/guests/assemblyscript");

function filesUnder(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "build") continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) filesUnder(full, out);
    else out.push(full);
  }
  return out;
}

function sourceHash() {
  const hash = crypto.createHash("sha256");
  const files = [
    ...filesUnder(path.join(SDK_DIR, "assembly")),
    ...filesUnder(path.join(SDK_DIR, "transform")),
    ...filesUnder(path.join(SDK_DIR, "bin")),
    ...filesUnder(GUESTS_DIR),
  ].sort();
  for (const file of files) hash.update(file).update(fs.readFileSync(file));
  return hash.digest("hex").slice(0, 16);
}

let ready = null;

/** Builds (or reuses) all test guests; resolves to the output folder. */
export function buildGuests() {
  ready ??= (async () => {
    const outDir = path.join(os.tmpdir(), `wafer-sdk-guests-${sourceHash()}`);
    if (fs.existsSync(outDir)) return outDir;
    const tmp = `${outDir}.${process.pid}.tmp`;
    fs.rmSync(tmp, { recursive: true, force: true });
    for (const name of fs.readdirSync(GUESTS_DIR)) {
      if (fs.existsSync(path.join(GUESTS_DIR, name, "wafer.json"))) {
        await buildPlugin(path.join(GUESTS_DIR, name), { outDir: tmp });
      }
    }
    try {
      fs.renameSync(tmp, outDir);
    } catch {
      fs.rmSync(tmp, { recursive: true, force: true }); // another process finished first
    }
    return outDir;
  })();
  return ready;
}

/** A Guest for the built test plugin `name`. */
export async function guest(name) {
  const dir = await buildGuests();
  return new Guest(path.join(dir, `${name}.wasm`));
}
