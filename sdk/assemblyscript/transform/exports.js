// Finds the functions a plugin offers: the functions exported by its entry file(s), in source order.
//
// Supported forms: `export function f() {}`, `export { f }`, `export { f as g }`, and re-exports
// `export { f } from "./other"` / `export * from "./other"` of functions declared with `export function`.
// Names starting with `__` are skipped (reserved); `_`-prefixed names are kept (the host hides them from
// GraphQL). `_start` and `_initialize` are module conventions, not functions to call.

import { NodeKind, CommonFlags } from "assemblyscript";
import { findSource, where } from "./source.js";

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SKIPPED = new Set(["_start", "_initialize"]);
const RESERVED = new Set(["wafer_invoke", "wafer_alloc", "memory"]);

function has(node, flag) {
  return (node.flags & flag) !== 0;
}

function isFunction(node) {
  return node.kind === NodeKind.FunctionDeclaration && !has(node, CommonFlags.Ambient) && !has(node, CommonFlags.Declare);
}

/** The function declaration `name` refers to inside `source` (declared there or imported), or null. */
function resolveLocal(parser, source, name, seen) {
  for (const statement of source.statements) {
    if (isFunction(statement) && statement.name.text === name) return statement;
    if (statement.kind === NodeKind.Import && statement.declarations) {
      for (const declaration of statement.declarations) {
        if (declaration.name.text !== name) continue;
        const target = findSource(parser, statement.internalPath);
        return target ? resolveExported(parser, target, declaration.foreignName.text, seen) : null;
      }
    }
  }
  return null;
}

/** The function declaration exported as `name` from `source`, or null. */
function resolveExported(parser, source, name, seen) {
  const key = source.internalPath + "#" + name;
  if (seen.has(key)) return null;
  seen.add(key);
  for (const statement of source.statements) {
    if (isFunction(statement) && has(statement, CommonFlags.Export) && statement.name.text === name) return statement;
    if (statement.kind !== NodeKind.Export) continue;
    if (statement.members) {
      for (const member of statement.members) {
        if (member.exportedName.text !== name) continue;
        if (statement.internalPath) {
          const target = findSource(parser, statement.internalPath);
          return target ? resolveExported(parser, target, member.localName.text, seen) : null;
        }
        return resolveLocal(parser, source, member.localName.text, seen);
      }
    } else if (statement.internalPath) {
      const target = findSource(parser, statement.internalPath);
      const found = target ? resolveExported(parser, target, name, seen) : null;
      if (found) return found;
    }
  }
  return null;
}

/** All function declarations exported by `source` as [exportName, declaration] in source order. */
function exportedFunctions(parser, source, seen) {
  const out = [];
  for (const statement of source.statements) {
    if (isFunction(statement) && has(statement, CommonFlags.Export)) {
      out.push([statement.name.text, statement]);
    } else if (statement.kind === NodeKind.Export) {
      if (statement.members) {
        for (const member of statement.members) {
          let declaration = null;
          if (!statement.internalPath) {
            declaration = resolveLocal(parser, source, member.localName.text, new Set());
          } else {
            const target = findSource(parser, statement.internalPath);
            if (target) declaration = resolveExported(parser, target, member.localName.text, new Set());
          }
          if (declaration) out.push([member.exportedName.text, declaration]);
        }
      } else if (statement.internalPath) {
        const target = findSource(parser, statement.internalPath);
        if (target && !seen.has(target)) {
          seen.add(target);
          out.push(...exportedFunctions(parser, target, seen));
        }
      }
    }
  }
  return out;
}

/**
 * The plugin's functions across all entry sources: [{ name, declaration, entry }] in index order.
 * Throws with every problem found (generic functions, bad or duplicate names).
 */
export function findFunctions(parser, entries) {
  const functions = [];
  const errors = [];
  const byName = new Map();
  for (const entry of entries) {
    for (const [name, declaration] of exportedFunctions(parser, entry, new Set([entry]))) {
      if (name.startsWith("__") || SKIPPED.has(name)) continue;
      if (RESERVED.has(name)) {
        errors.push(`${where(declaration)}: '${name}' is reserved by the Wafer ABI; rename the function.`);
        continue;
      }
      if (!NAME.test(name)) {
        errors.push(`${where(declaration)}: function name '${name}' must match [A-Za-z_][A-Za-z0-9_]*.`);
        continue;
      }
      if (declaration.typeParameters && declaration.typeParameters.length) {
        errors.push(`${where(declaration)}: function '${name}' is generic; Wafer functions cannot have type parameters.`);
        continue;
      }
      const previous = byName.get(name);
      if (previous) {
        if (previous.declaration === declaration) continue;
        errors.push(`${where(declaration)}: function name '${name}' is exported twice (also at ${where(previous.declaration)}).`);
        continue;
      }
      const fn = { name, declaration, entry };
      byName.set(name, fn);
      functions.push(fn);
    }
  }
  if (errors.length) throw new WaferError(errors);
  return functions;
}

/** A build error that lists every problem; printed by asc as the failure message. */
export class WaferError extends Error {
  constructor(problems) {
    const message = "Wafer: " + (problems.length === 1 ? problems[0] : problems.length + " problems:\n  " + problems.join("\n  "));
    super(message);
    this.name = "WaferError";
    this.stack = message;
  }
}
