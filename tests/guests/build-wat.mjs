// Builds the WAT test fixtures: every tests/guests/wat/<name>.wat becomes <outdir>/<name>.wasm, with a
// `wafer.meta` custom section holding the JSON of the sibling <name>.meta.json (docs/abi.md §1).
//
// Usage: node tests/guests/build-wat.mjs <outdir>
// Needs the `wabt` package: `npm ci --prefix tests/guests` once.

import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, resolve, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';

const here = dirname(fileURLToPath(import.meta.url));
const watDir = join(here, 'wat');
const outDir = process.argv[2] ? resolve(process.argv[2]) : null;
if (!outDir) {
  console.error('usage: node tests/guests/build-wat.mjs <outdir>');
  process.exit(2);
}

/** Unsigned LEB128 encoding of a non-negative integer. */
function leb128(value) {
  const bytes = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return Uint8Array.from(bytes);
}

/** A custom section: id 0, LEB128 section size, LEB128 name length, name bytes, payload. */
function customSection(name, payload) {
  const nameBytes = new TextEncoder().encode(name);
  const nameLength = leb128(nameBytes.length);
  const contentLength = nameLength.length + nameBytes.length + payload.length;
  return Buffer.concat([Buffer.from([0]), leb128(contentLength), nameLength, nameBytes, payload]);
}

const wabt = await wabtInit();
await mkdir(outDir, { recursive: true });
// Build output never belongs in git.
await writeFile(join(outDir, '.gitignore'), '*\n');

const sources = (await readdir(watDir)).filter((f) => f.endsWith('.wat')).sort();
let failures = 0;
for (const file of sources) {
  const name = basename(file, '.wat');
  try {
    const text = await readFile(join(watDir, file), 'utf8');
    const module = wabt.parseWat(file, text, { mutable_globals: true, sat_float_to_int: true, sign_extension: true, bulk_memory: true });
    let binary;
    try {
      module.resolveNames();
      module.validate();
      binary = Buffer.from(module.toBinary({ log: false, write_debug_names: true }).buffer);
    } finally {
      module.destroy();
    }

    const metaPath = join(watDir, `${name}.meta.json`);
    if (existsSync(metaPath)) {
      const json = await readFile(metaPath, 'utf8');
      JSON.parse(json); // fail here, not in the test, on a typo
      binary = Buffer.concat([binary, customSection('wafer.meta', Buffer.from(json.trim(), 'utf8'))]);
    }

    await writeFile(join(outDir, `${name}.wasm`), binary);
  } catch (err) {
    failures++;
    console.error(`${file}: ${err.message ?? err}`);
  }
}

console.log(`built ${sources.length - failures} of ${sources.length} WAT fixtures into ${outDir}`);
process.exit(failures === 0 ? 0 : 1);
