// Builds the `wafer.meta` document (docs/abi.md §1) from the compiler's resolved program, and rejects
// types the ABI cannot carry with an error naming the function and parameter.

import { ElementKind, TypeKind } from "assemblyscript";
import { docComment, where, isUserSource } from "./source.js";

export const SDK_NAME = "assemblyscript/0.1.0";

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const BOX_SUFFIX = "@wafer/sdk/assembly/box/Box";

const VALUE_TYPES = new Map([
  [TypeKind.Bool, "bool"],
  [TypeKind.I8, "i8"], [TypeKind.I16, "i16"], [TypeKind.I32, "i32"], [TypeKind.I64, "i64"],
  [TypeKind.U8, "u8"], [TypeKind.U16, "u16"], [TypeKind.U32, "u32"], [TypeKind.U64, "u64"],
  [TypeKind.Isize, "i32"], [TypeKind.Usize, "u32"], // wasm32
  [TypeKind.F32, "f32"], [TypeKind.F64, "f64"],
]);

class TypeError_ extends Error {}

/** A type as a user would write it: `Map<string, i32>`, `Person | null`. */
function display(type, program) {
  let text;
  const cls = type.isReference ? type.getClass() : null;
  if (!cls) return type.toString();
  if (cls === program.stringInstance) text = "string";
  else if (cls.typeArguments && cls.typeArguments.length) {
    text = `${cls.prototype.name}<${cls.typeArguments.map(t => display(t, program)).join(", ")}>`;
  } else text = cls.name;
  return type.isNullableReference ? text + " | null" : text;
}

/**
 * @param program     the initialized program
 * @param functions   [{ name, declaration, entry }] from findFunctions, in index order
 * @param handled     Map ClassDeclaration -> own field names the generated members cover
 * @returns { meta, problems } where problems lists every unsupported use found
 */
export function buildMetadata(program, functions, handled) {
  const problems = [];
  const types = [];               // in order of first use
  const byName = new Map();       // type name -> Class
  const done = new Set();         // Classes already described
  const resolver = program.resolver;

  function describe(type) {
    if (type.isReference) {
      const cls = type.getClass();
      if (!cls) throw new TypeError_(`unsupported type ${type.toString()} (function and external reference types are not supported)`);
      const suffix = type.isNullableReference ? "?" : "";
      if (cls === program.stringInstance) return "string" + suffix;
      if (cls.prototype === program.arrayPrototype) {
        return describe(cls.typeArguments[0]) + "[]" + suffix;
      }
      if (cls.prototype.internalName.endsWith(BOX_SUFFIX)) {
        const inner = cls.typeArguments[0];
        if (inner.isReference || !VALUE_TYPES.has(inner.kind)) {
          throw new TypeError_(`unsupported type ${display(type, program)} (Box is for bool, integers and floats; strings, arrays and classes are nullable with \`| null\`)`);
        }
        return VALUE_TYPES.get(inner.kind) + suffix;
      }
      return describeClass(cls) + suffix;
    }
    const name = VALUE_TYPES.get(type.kind);
    if (!name) throw new TypeError_(`unsupported type ${type.toString()}`);
    return name;
  }

  function describeClass(cls) {
    const declaration = cls.prototype.declaration;
    const source = declaration.range.source;
    const shown = display(cls.type, program);
    if (!isUserSource(source)) {
      throw new TypeError_(`unsupported type ${shown} (only string, Array<T>, Box<T> and classes declared in your sources are supported; Map, Set, Date, typed arrays and other library classes are not)`);
    }
    if (cls.typeArguments && cls.typeArguments.length) throw new TypeError_(`unsupported type ${shown} (generic classes are not supported)`);
    if (cls.isInterface) throw new TypeError_(`unsupported type ${shown} (interfaces are not supported; use a class)`);
    const name = cls.name;
    const existing = byName.get(name);
    if (existing && existing !== cls) {
      throw new TypeError_(`class '${name}' at ${where(declaration)} has the same name as class '${name}' at ${where(existing.prototype.declaration)} (type names must be unique in a plugin: rename one)`);
    }
    if (done.has(cls)) return name;
    if (!NAME.test(name)) throw new TypeError_(`class '${name}': type names must match [A-Za-z_][A-Za-z0-9_]*`);
    byName.set(name, cls);
    done.add(cls);
    const entry = { name, fields: [] };
    types.push(entry);

    // The generated members must cover exactly the fields the compiler laid out.
    const covered = new Set();
    for (let c = cls; c; c = c.base) {
      const d = c.prototype.declaration;
      if (!isUserSource(d.range.source)) continue;
      const own = handled.get(d);
      if (!own) throw new TypeError_(`unsupported class '${c.name}' at ${where(d)} (generic, @unmanaged and ambient classes are not supported)`);
      for (const f of own) covered.add(f);
    }
    const fields = [];
    for (const member of cls.members ? cls.members.values() : []) {
      // fields are bound property prototypes whose resolved instance has a memory offset
      const property = member.kind === ElementKind.PropertyPrototype && member.isField ? member.instance : null;
      if (property && property.memoryOffset >= 0) fields.push(property);
    }
    fields.sort((a, b) => a.memoryOffset - b.memoryOffset);
    for (const field of fields) {
      if (!covered.has(field.name)) {
        throw new TypeError_(`unsupported field '${field.name}' of class '${name}' (it comes from a base class outside your sources)`);
      }
      if (!NAME.test(field.name)) throw new TypeError_(`field '${name}.${field.name}': field names must match [A-Za-z_][A-Za-z0-9_]*`);
      let type;
      try {
        type = describe(field.type);
      } catch (e) {
        if (e instanceof TypeError_) e.message += ` in field '${name}.${field.name}'`;
        throw e;
      }
      const description = { name: field.name, type };
      const doc = docComment(field.declaration)?.description;
      if (doc) description.doc = doc;
      entry.fields.push(description);
    }
    const doc = docComment(declaration)?.description;
    if (doc) entry.doc = doc;
    return name;
  }

  const described = [];
  for (const fn of functions) {
    const file = program.filesByName.get(fn.entry.internalPath);
    const element = file && file.lookupExport(fn.name);
    if (!element || element.kind !== ElementKind.FunctionPrototype) {
      problems.push(`${where(fn.declaration)}: export '${fn.name}' is not a function the compiler can see.`);
      continue;
    }
    const instance = resolver.resolveFunction(element, null);
    if (!instance) continue; // the compiler reports why
    const signature = instance.signature;
    const declaration = element.declaration;
    const doc = docComment(declaration);
    const parameters = [];
    const parameterNodes = declaration.signature.parameters;
    let failed = false;
    signature.parameterTypes.forEach((type, i) => {
      const pname = parameterNodes[i].name.text;
      try {
        const description = { name: pname, type: describe(type) };
        const pdoc = doc?.params.get(pname);
        if (pdoc) description.doc = pdoc;
        parameters.push(description);
      } catch (e) {
        if (!(e instanceof TypeError_)) throw e;
        failed = true;
        problems.push(`${where(parameterNodes[i])}: function '${fn.name}', parameter '${pname}': ${e.message}.`);
      }
    });
    let result = "void";
    if (signature.returnType.kind !== TypeKind.Void) {
      try {
        result = describe(signature.returnType);
      } catch (e) {
        if (!(e instanceof TypeError_)) throw e;
        failed = true;
        problems.push(`${where(declaration.signature.returnType)}: function '${fn.name}', result: ${e.message}.`);
      }
    }
    if (signature.thisType) {
      failed = true;
      problems.push(`${where(declaration)}: function '${fn.name}' declares 'this'; Wafer functions are plain functions.`);
    }
    if (failed) continue;
    const entry = { name: fn.name, parameters, result };
    if (doc?.description) entry.doc = doc.description;
    described.push(entry);
  }
  return { meta: { abi: 1, sdk: SDK_NAME, functions: described, types }, problems };
}
