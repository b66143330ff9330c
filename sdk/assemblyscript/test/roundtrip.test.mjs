// Values through wafer_invoke and back: every ABI type, compared as JSON text where JS numbers would
// lose precision.
import { test } from "node:test";
import assert from "node:assert/strict";
import { guest } from "../testing/guests.mjs";

const g = await guest("types");

/** Calls with a raw JSON argument array and returns the raw JSON result. */
function echo(fn, argText) {
  const { status, text } = g.callRaw(fn, `[${argText}]`);
  assert.equal(status, 0, `${fn}(${argText}) -> ${text}`);
  return text;
}

test("integers_roundTripAtTheirExtremes", () => {
  const cases = {
    echoI8: ["-128", "127", "0", "-1"],
    echoI16: ["-32768", "32767"],
    echoI32: ["-2147483648", "2147483647", "42"],
    echoI64: ["-9223372036854775808", "9223372036854775807", "9007199254740993", "-9007199254740993", "0"],
    echoU8: ["0", "255"],
    echoU16: ["65535"],
    echoU32: ["4294967295", "0"],
    echoU64: ["18446744073709551615", "9007199254740993", "0"],
    echoIsize: ["-2147483648", "2147483647"],
    echoUsize: ["4294967295"],
  };
  for (const [fn, values] of Object.entries(cases)) {
    for (const v of values) assert.equal(echo(fn, v), v, `${fn}(${v})`);
  }
});

test("integers_writtenWithFractionOrExponent_areAccepted", () => {
  assert.equal(echo("echoI32", "1.0"), "1");
  assert.equal(echo("echoI64", "1e3"), "1000");
  assert.equal(echo("echoU8", " 7 "), "7");
});

test("bools_roundTrip", () => {
  assert.equal(echo("echoBool", "true"), "true");
  assert.equal(echo("echoBool", "false"), "false");
});

test("f64_roundTripsExactly_forSpecialAndRandomValues", () => {
  const values = [0, -0, 1, -1, 0.1, 0.2, 0.1 + 0.2, 1 / 3, Math.PI, 1e21, 1e-7, 123456.789, 5e-324, -5e-324,
    2.2250738585072014e-308, 2.225073858507201e-308, 1.7976931348623157e308, -1.7976931348623157e308,
    9007199254740993, 2 ** 53, 2 ** 63, 4.35, 0.000001, 1e300, 1e-300];
  const bits = new Float64Array(1);
  const u = new BigUint64Array(bits.buffer);
  let seed = 12345n;
  for (let i = 0; i < 3000; i++) {
    seed = (seed * 6364136223846793005n + 1442695040888963407n) & 0xFFFFFFFFFFFFFFFFn;
    u[0] = seed;
    if (Number.isFinite(bits[0])) values.push(bits[0]);
    values.push(((Number(seed >> 11n) / 2 ** 53) - 0.5) * 10 ** ((i % 40) - 20));
  }
  for (const v of values) {
    const out = echo("echoF64", JSON.stringify(v) === "0" && Object.is(v, -0) ? "-0.0" : JSON.stringify(v));
    assert.ok(Object.is(Number(out), v), `echoF64(${v}) -> ${out}`);
  }
});

test("f64_parsesLongAndExponentForms_correctlyRounded", () => {
  const cases = [
    ["1.00000000000000011102230246251565404236316680908203125", 1],
    ["1.000000000000000111022302462515654042363166809082031250000001", 1.0000000000000002],
    ["2.4703282292062327e-324", 0], ["2.4703282292062328e-324", 5e-324],
    ["1.7976931348623158e308", 1.7976931348623157e308],
    ["123456789012345678901234567890", 1.2345678901234568e29],
    ["0.1E1", 1], ["-0.0", -0], ["1e-400", 0], ["12e-1", 1.2],
  ];
  for (const [text, expected] of cases) {
    assert.ok(Object.is(Number(echo("echoF64", text)), expected), text);
  }
});

test("f32_roundTrips", () => {
  for (const v of [0, 1.5, 0.1, -3.4028234663852886e38, 1.401298464324817e-45, 16777217, 3.14159]) {
    const f = Math.fround(v);
    assert.equal(Math.fround(Number(echo("echoF32", JSON.stringify(f)))), f, `echoF32(${f})`);
  }
});

test("strings_roundTripUnicodeAndEscapes", () => {
  const values = ["", "plain", "quote \" backslash \\ slash /", "line\nbreak\ttab\rcr\bbs\fff", "\u0000\u0001\u001f",
    "é ü ß 中文 日本語", "😀 🇩🇪 𝄞", "x".repeat(100000) + "é"];
  for (const v of values) {
    assert.equal(JSON.parse(echo("echoString", JSON.stringify(v))), v);
  }
});

test("strings_decodeUnicodeEscapes_includingSurrogatePairs", () => {
  assert.equal(JSON.parse(echo("echoString", '"\\u00e9\\u4E2D\\ud83d\\ude00\\/"')), "é中😀/");
  assert.equal(echo("stringLength", '"\\ud83d\\ude00"'), "2");
  assert.deepEqual(JSON.parse(echo("codeUnits", '"A\\u00e9😀"')), [65, 0xE9, 0xD83D, 0xDE00]);
});

test("strings_writtenByTheGuest_escapeEverythingJsonRequires", () => {
  const text = echo("controlChars", "");
  let expected = "\"\\/\b\f\n\r\t";
  for (let i = 0; i < 0x20; i++) expected += String.fromCharCode(i);
  expected += "\uFFFDend"; // a lone surrogate cannot be UTF-8: replaced
  assert.equal(JSON.parse(text), expected);
  assert.ok(!/[\u0000-\u001f]/.test(text), "no raw control characters");
});

test("arraysAndNullables_roundTrip", () => {
  const cases = {
    echoStringArray: ['[]', '["a","b","😀"]'],
    echoNullableString: ['null', '"x"'],
    echoNullableStrings: ['[]', '["a",null,"c"]'],
    echoNullableStringArray: ['null', '["a"]'],
    echoI32Matrix: ['[[1,2],[],[-3]]', '[]'],
    echoNullableI32: ['null', '-2147483648'],
    echoNullableI64s: ['[1,null,-9223372036854775808,9223372036854775807]'],
    echoNullableBool: ['null', 'true', 'false'],
    echoNullableF64: ['null', '2.5'],
  };
  for (const [fn, values] of Object.entries(cases)) {
    for (const v of values) assert.equal(echo(fn, v), v, `${fn}(${v})`);
  }
});

const ada = {
  name: "Ada", age: 36, email: "ada@example.org",
  address: { street: "1 Main St", city: "London", zip: 12345 },
  friends: [{
    name: "Bob", age: 40, email: null, address: { street: "", city: "Paris", zip: null },
    friends: [], scores: [], luckyNumber: null, active: true,
  }],
  scores: [1.5, -2, 1e-7], luckyNumber: 9007199254740993, active: false,
};

test("classes_roundTripNestedClassesArraysAndNullFields", () => {
  const text = JSON.stringify(ada).replace('"luckyNumber":9007199254740992', '"luckyNumber":9007199254740993');
  const out = echo("echoPerson", text);
  assert.ok(out.includes('"luckyNumber":9007199254740993'), "i64 field keeps full precision");
  assert.deepEqual(JSON.parse(out), ada);
  assert.equal(echo("echoNullablePerson", "null"), "null");
  assert.deepEqual(JSON.parse(echo("echoPeople", JSON.stringify([ada, ada]))), [ada, ada]);
  assert.equal(echo("echoPeople", "null"), "null");
});

test("classes_acceptFieldsInAnyOrder_andSkipUnknownOnes", () => {
  const shuffled = { active: true, extra: { deep: [1, "x", null, { a: true }] }, luckyNumber: null, scores: [], friends: [],
    address: { zip: 1, city: "Rome", street: "Via" }, email: null, age: 7, name: "Zed", more: "ignored" };
  const out = JSON.parse(echo("echoPerson", JSON.stringify(shuffled)));
  assert.deepEqual(Object.keys(out), ["name", "age", "email", "address", "friends", "scores", "luckyNumber", "active"]);
  assert.equal(out.address.city, "Rome");
  assert.equal(out.active, true);
});

test("classes_areRealInstances_readableByUserCode", () => {
  assert.equal(JSON.parse(echo("describe", JSON.stringify(ada))), "Ada (36) of London, 1 friends, ada@example.org, zip 12345");
  const made = JSON.parse(echo("makePerson", '"Zoe", 3, "Oslo"'));
  assert.equal(made.name, "Zoe");
  assert.equal(made.address.city, "Oslo");
  assert.equal(made.luckyNumber, -7);
});

test("subclasses_includeBaseFields_andAreWrittenAsTheDeclaredClass", () => {
  const employee = { ...ada, employer: "ACME", salary: "18446744073709551615" };
  const text = JSON.stringify(employee).replace('"18446744073709551615"', "18446744073709551615")
    .replace('"luckyNumber":9007199254740992', '"luckyNumber":9007199254740993');
  const out = echo("echoEmployee", text);
  assert.ok(out.endsWith(',"employer":"ACME","salary":18446744073709551615}'), out);
  assert.deepEqual(JSON.parse(out.replace("18446744073709551615", '"18446744073709551615"')), employee);
  const promoted = JSON.parse(echo("promote", JSON.stringify(ada)));
  assert.equal(promoted.name, "Ada");
  assert.equal("employer" in promoted, false, "an Employee returned as Person is written as a Person");
});

test("readonlyAndConstructorParameterFields_areSet", () => {
  assert.equal(echo("echoFrozen", '{"label":"L","hidden":3,"id":9007199254740993}'), '{"id":9007199254740993,"label":"L","hidden":3}');
  assert.equal(JSON.parse(echo("summarizeFrozen", '{"hidden":-1,"id":42,"label":"tag"}')), "tag#42/-1");
});

test("parameters_arriveInOrder", () => {
  assert.equal(JSON.parse(echo("mix", '-5, "b", 2.5, true, 18446744073709551615, ["x","y"]')), "-5|b|2.5|true|18446744073709551615|x,y");
});

test("voidFunction_succeedsWithoutResult", () => {
  assert.deepEqual(g.callRaw("nothing", "[1]"), { status: 0, text: null });
});

test("unknownFunctionIndex_isAGuestErrorWithMessage", () => {
  assert.deepEqual(g.callRaw(999, "[]"), { status: 1, text: "unknown function index 999" });
});

test("reusedInstance_freesArgumentBuffers_memoryStaysBounded", () => {
  g.instantiate();
  const text = JSON.stringify([ada]);
  g.callRaw("echoPerson", text);
  const before = g.memory.buffer.byteLength;
  for (let i = 0; i < 5000; i++) g.callRaw("echoPerson", text);
  assert.ok(g.memory.buffer.byteLength - before <= 1 << 20, `memory grew from ${before} to ${g.memory.buffer.byteLength}`);
});

test("reExportedFunctions_areOffered_underTheirExportNames", () => {
  const names = g.meta.functions.map(f => f.name);
  assert.ok(names.includes("echoAddress") && names.includes("reverseStrings"), names.join(","));
  assert.deepEqual(JSON.parse(echo("echoAddress", '{"street":"s","city":"c","zip":null}')), { street: "s", city: "c", zip: null });
  assert.deepEqual(JSON.parse(echo("reverseStrings", '["a","b","c"]')), ["c", "b", "a"]);
  // through `export * from "./more"`
  assert.equal(echo("echoU64s", "[0,18446744073709551615,9007199254740993]"), "[0,18446744073709551615,9007199254740993]");
  assert.equal(echo("echoI64s", "[-9223372036854775808,-1]"), "[-9223372036854775808,-1]");
});

test("reusedInstance_underAllocationPressure_keepsDataIntact", () => {
  g.instantiate();
  const people = Array.from({ length: 300 }, (_, i) => ({ ...ada, name: `P${i} ${"é".repeat(i % 17)}`, age: i, friends: i % 3 ? [] : ada.friends }));
  for (let round = 0; round < 30; round++) {
    assert.deepEqual(JSON.parse(echo("echoPeople", JSON.stringify(people))), people, `round ${round}`);
  }
});
