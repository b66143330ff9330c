// Gives every class in the user's sources the two members the JSON layer (assembly/internal/json.ts)
// calls to read and write instances:
//
//   __wafer_field(): bool          sets the field named by the member key being read, if it has one
//                                  (falling back to the base class), and reports whether it did
//   __wafer_write(id: u32): void   writes the fields of class `id` (the declared type: a subclass
//                                  instance is written as its declared class), base fields first
//
// The members are inserted as text before each class's closing brace, on the same line, so line numbers
// in the user's code (and in abort messages) do not move; the file is then parsed again. Field values
// are read and written through generic functions whose type argument is inferred from the field itself,
// so the generated code never has to name a type.

import { NodeKind, CommonFlags, DecoratorKind } from "assemblyscript";
import { isUserSource, reparse } from "./source.js";

export const JSON_MODULE = "@wafer/sdk/assembly/internal/json";
const NS = "__wafer_json";

function has(node, flag) {
  return (node.flags & flag) !== 0;
}

/** Class declarations in a list of statements, including those inside namespaces, in source order. */
function classesIn(statements, out = []) {
  for (const statement of statements) {
    if (statement.kind === NodeKind.ClassDeclaration) out.push(statement);
    else if (statement.kind === NodeKind.NamespaceDeclaration) classesIn(statement.members, out);
  }
  return out;
}

function isInjectable(declaration) {
  if (has(declaration, CommonFlags.Ambient) || has(declaration, CommonFlags.Declare)) return false;
  if (declaration.typeParameters && declaration.typeParameters.length) return false;
  if (declaration.decorators && declaration.decorators.some(d => d.decoratorKind === DecoratorKind.Unmanaged)) return false;
  return !declaration.members.some(m => m.name && (m.name.text === "__wafer_field" || m.name.text === "__wafer_write"));
}

/** The instance fields a class declares itself (including constructor parameter properties). */
function ownFields(declaration) {
  return declaration.members
    .filter(m => m.kind === NodeKind.FieldDeclaration && !has(m, CommonFlags.Static))
    .map(m => ({ name: m.name.text, readonly: has(m, CommonFlags.Readonly) }));
}

function members(className, fields) {
  const lit = s => JSON.stringify(s);
  const read = fields.map(f => {
    const value = `${NS}.readLike(this.${f.name})`;
    const assign = f.readonly
      ? `${NS}.setField(changetype<usize>(this), offsetof<${className}>(${lit(f.name)}), ${value});`
      : `this.${f.name} = ${value};`;
    return `if (${NS}.keyIs(${lit(f.name)})) { ${assign} return true; }`;
  }).join(" ");
  const write = fields.map(f => `${NS}.writeField(${lit(JSON.stringify(f.name) + ":")}, this.${f.name});`).join(" ");
  return ` __wafer_field(): bool { ${read} if (isDefined(super.__wafer_field)) return super.__wafer_field(); return false; }` +
    ` __wafer_write(__id: u32): void { if (__id != 0 && __id != idof<${className}>()) {` +
    ` if (isDefined(super.__wafer_write)) { super.__wafer_write(__id); return; } unreachable(); }` +
    ` if (isDefined(super.__wafer_write)) super.__wafer_write(0); ${write} } `;
}

/**
 * Adds the members to every injectable class in every user source and parses the changed sources
 * again. Returns a Map from the (new) ClassDeclaration nodes to the own field names handled for them.
 */
export function injectClassMembers(parser) {
  const handled = new Map();
  for (const source of parser.sources.slice()) {
    if (!isUserSource(source)) continue;
    const classes = classesIn(source.statements).filter(isInjectable);
    if (!classes.length) continue;
    let text = source.text;
    const plans = classes.map(declaration => {
      let close = declaration.range.end - 1;
      while (close > declaration.range.start && text[close] !== "}") close--;
      return { declaration, close, fields: ownFields(declaration) };
    });
    for (const plan of plans.slice().sort((a, b) => b.close - a.close)) {
      text = text.slice(0, plan.close) + members(plan.declaration.name.text, plan.fields) + text.slice(plan.close);
    }
    text += `\nimport * as ${NS} from ${JSON.stringify(JSON_MODULE)};\n`;
    const fresh = reparse(parser, source, text);
    const freshClasses = classesIn(fresh.statements).filter(d => d.members.some(m => m.name && m.name.text === "__wafer_field"));
    if (freshClasses.length !== plans.length) throw new Error(`@wafer/sdk: internal error re-parsing ${source.normalizedPath}`);
    freshClasses.forEach((declaration, i) => handled.set(declaration, plans[i].fields.map(f => f.name)));
  }
  return handled;
}
