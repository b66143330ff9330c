// The @wafer/sdk AssemblyScript transform.
//
//   asc assembly/index.ts --transform @wafer/sdk/transform ...   (wafer-build passes it for you)
//
// afterParse       gives every class in your sources JSON members (classes.js), finds the exported
//                  functions (exports.js), adds the glue entry file with wafer_invoke (glue.js), and
//                  routes `abort` to wafer.abort unless `--use abort=...` says otherwise
// afterInitialize  resolves every parameter and result type and builds the metadata (metadata.js);
//                  unsupported types stop the build with an error naming function and parameter
// afterCompile     embeds the metadata as the `wafer.meta` custom section

import { Transform } from "assemblyscript/transform";
import { injectClassMembers } from "./classes.js";
import { findFunctions, WaferError } from "./exports.js";
import { gluePath, glueSource, ABORT_ELEMENT } from "./glue.js";
import { buildMetadata } from "./metadata.js";
import { isUserEntry } from "./source.js";

export const META_SECTION = "wafer.meta";

export default class WaferTransform extends Transform {
  afterParse(parser) {
    const handled = injectClassMembers(parser);
    const entries = parser.sources.filter(isUserEntry);
    if (!entries.length) throw new WaferError(["no entry file to take functions from."]);
    const functions = findFunctions(parser, entries);
    const file = gluePath(entries);
    parser.parseFile(glueSource(functions, file), file, true);

    const options = this.program.options;
    if (!options.globalAliases) options.globalAliases = new Map();
    if (!options.globalAliases.has("abort")) options.globalAliases.set("abort", ABORT_ELEMENT);

    this.state = { functions, handled, meta: null };
  }

  afterInitialize(program) {
    const { functions, handled } = this.state;
    const { meta, problems } = buildMetadata(program, functions, handled);
    if (problems.length) throw new WaferError(problems);
    this.state.meta = meta;
  }

  afterCompile(module) {
    const { meta } = this.state;
    if (!meta) return;
    module.addCustomSection(META_SECTION, new TextEncoder().encode(JSON.stringify(meta)));
  }
}
