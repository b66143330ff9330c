// The wafer.meta custom section: exact content for a sample, and the shapes of every type expression.
import { test } from "node:test";
import assert from "node:assert/strict";
import { guest } from "../testing/guests.mjs";

test("hello_metadata_isExactlyTheAbiDocument", async () => {
  const g = await guest("hello");
  assert.equal(g.metaText, JSON.stringify({
    abi: 1,
    sdk: "assemblyscript/0.1.0",
    functions: [
      { name: "greet", parameters: [{ name: "name", type: "string" }], result: "string", doc: "Says hello." },
      { name: "hello", parameters: [], result: "string", doc: "Says hello to the world." },
      { name: "count", parameters: [], result: "i32", doc: "Counts calls on this instance: always 1 with fresh instances, 1, 2, 3... when instances are reused." },
      { name: "logAll", parameters: [{ name: "message", type: "string" }], result: "i32", doc: "Logs one line at each level and returns how many it wrote." },
    ],
    types: [],
  }));
});

test("module_hasOneMetaSection_andOnlyAbiImportsAndExports", async () => {
  const g = await guest("types");
  assert.equal(WebAssembly.Module.customSections(g.module, "wafer.meta").length, 1);
  const imports = WebAssembly.Module.imports(g.module).map(i => `${i.module}.${i.name}`);
  for (const name of imports) assert.ok(name.startsWith("wafer."), `unexpected import ${name}`);
  const exports = new Map(WebAssembly.Module.exports(g.module).map(e => [e.name, e.kind]));
  assert.equal(exports.get("memory"), "memory");
  assert.equal(exports.get("wafer_alloc"), "function");
  assert.equal(exports.get("wafer_invoke"), "function");
});

test("types_metadata_describesEveryTypeExpression", async () => {
  const g = await guest("types");
  const fn = name => g.meta.functions.find(f => f.name === name);
  const expect = {
    echoBool: "bool", echoI8: "i8", echoI16: "i16", echoI32: "i32", echoI64: "i64",
    echoU8: "u8", echoU16: "u16", echoU32: "u32", echoU64: "u64", echoIsize: "i32", echoUsize: "u32",
    echoF32: "f32", echoF64: "f64", echoString: "string", echoStringArray: "string[]",
    echoNullableString: "string?", echoNullableStrings: "string?[]", echoNullableStringArray: "string[]?",
    echoI32Matrix: "i32[][]", echoNullableI32: "i32?", echoNullableI64s: "i64?[]", echoNullableBool: "bool?",
    echoNullableF64: "f64?", echoPerson: "Person", echoNullablePerson: "Person?", echoPeople: "Person[]?",
    echoEmployee: "Employee", echoFrozen: "Frozen",
  };
  for (const [name, type] of Object.entries(expect)) {
    assert.deepEqual(fn(name).parameters, [{ name: fn(name).parameters[0].name, type }], name);
    assert.equal(fn(name).result, type, name);
  }
  assert.equal(fn("nothing").result, "void");
  assert.deepEqual(fn("mix").parameters.map(p => `${p.name}:${p.type}`), ["a:i8", "b:string", "c:f64", "d:bool", "e:u64", "f:string[]"]);
  // index order is source order
  assert.deepEqual(g.meta.functions.slice(0, 3).map(f => f.name), ["echoBool", "echoI8", "echoI16"]);
});

test("types_metadata_listsClassesWithFieldsInOrder_includingOtherFilesAndBaseClasses", async () => {
  const g = await guest("types");
  const type = name => g.meta.types.find(t => t.name === name);
  assert.deepEqual(g.meta.types.map(t => t.name), ["Person", "Address", "Employee", "Frozen"]);
  assert.deepEqual(type("Person"), {
    name: "Person",
    fields: [
      { name: "name", type: "string", doc: "Full name." },
      { name: "age", type: "i32" },
      { name: "email", type: "string?" },
      { name: "address", type: "Address" },
      { name: "friends", type: "Person[]" },
      { name: "scores", type: "f64[]" },
      { name: "luckyNumber", type: "i64?" },
      { name: "active", type: "bool" },
    ],
    doc: "A person with a nested class, an array of classes and nullable fields.",
  });
  assert.deepEqual(type("Address").fields.map(f => `${f.name}:${f.type}`), ["street:string", "city:string", "zip:u32?"]);
  assert.deepEqual(type("Employee").fields.map(f => f.name).slice(-3), ["active", "employer", "salary"]);
  assert.deepEqual(type("Frozen").fields.map(f => `${f.name}:${f.type}`), ["id:i64", "label:string", "hidden:i32"]);
});

test("naming_metadata_keepsUnderscoreNames_skipsDoubleUnderscore_readsParamDocs", async () => {
  const g = await guest("naming");
  assert.deepEqual(g.meta.functions.map(f => f.name), ["getPerson", "listPeople", "addPerson", "updatePerson", "deletePerson", "_hidden"]);
  const add = g.meta.functions.find(f => f.name === "addPerson");
  assert.equal(add.doc, "Adds a person.");
  assert.deepEqual(add.parameters, [{ name: "name", type: "string", doc: "the person's name" }]);
  assert.equal(g.meta.functions.find(f => f.name === "getPerson").result, "Person?");
  assert.equal(g.meta.functions.find(f => f.name === "listPeople").result, "Person[]");
});
