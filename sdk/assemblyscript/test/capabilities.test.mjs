// The capability APIs (http, models, sql, graphql, config) against a fake host_call: the exact request
// each one sends, how responses are decoded, and that a capability failure aborts with the host's message.
import { test, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { guest } from "../testing/guests.mjs";
import { GuestAbort, HostCallError } from "../testing/host.mjs";

const g = await guest("capabilities");
const b64 = s => Buffer.from(s).toString("base64");

/** Answers with `reply` (or a function of the request) and returns the recorded calls. */
function answer(reply) {
  g.hostCalls = [];
  g.onHostCall = (op, request) => (typeof reply === "function" ? reply(op, request) : reply);
}

function fail(message) {
  g.hostCalls = [];
  g.onHostCall = () => { throw new HostCallError(message); };
}

beforeEach(() => g.instantiate());

test("http_get_sendsUrlMethodNoHeadersNoBody_andDecodesTheResponse", () => {
  answer({ status: 200, statusText: "OK", headers: [["Content-Type", "text/plain; charset=utf-8"], ["X-Echo", "a"]], body: b64("héllo 😀") });
  const r = g.call("fetchGet", "http://127.0.0.1:9/api/x?q=1");
  assert.deepEqual(g.hostCalls.map(c => [c.op, c.text]), [
    ["http.fetch", '{"url":"http://127.0.0.1:9/api/x?q=1","method":"GET","headers":[],"body":null}'],
  ]);
  assert.deepEqual(r, { status: 200, statusText: "OK", ok: true, contentType: "text/plain; charset=utf-8", echoed: "a", body: "héllo 😀" });
});

test("http_send_encodesHeadersAndTextBodyAsBase64", () => {
  answer({ status: 404, statusText: "Not Found", headers: [], body: "" });
  const r = g.call("fetchSend", "http://h/api/p", "POST", "body \"q\" é");
  assert.deepEqual(g.hostCalls[0].request, {
    url: "http://h/api/p", method: "POST",
    headers: [["Content-Type", "text/plain"], ["X-Echo", "v 1"]],
    body: b64("body \"q\" é"),
  });
  assert.deepEqual(r, { status: 404, statusText: "Not Found", ok: false, contentType: null, echoed: null, body: "" });
});

test("http_bytes_roundTripEveryByteValue", () => {
  const all = Array.from({ length: 256 }, (_, i) => i);
  for (const data of [[], [0], [1, 2], [255, 254, 253], all]) {
    answer((op, req) => ({ status: 200, statusText: "OK", headers: [], body: Buffer.from(Buffer.from(req.body, "base64")).reverse().toString("base64") }));
    assert.deepEqual(g.call("fetchBytes", "http://h/api/b", data), [...data].reverse());
    assert.equal(g.hostCalls[0].request.method, "PUT");
    assert.deepEqual([...Buffer.from(g.hostCalls[0].request.body, "base64")], data);
  }
});

test("http_json_parsesTheBody", () => {
  answer({ status: 200, statusText: "OK", headers: [], body: b64('{"a": {"b": [1, 2.5, "x", null, true]}, "big": 9007199254740993}') });
  assert.equal(g.call("fetchJsonMember", "http://h/api/j", "a"), '{"b":[1,2.5,"x",null,true]}');
  assert.equal(g.call("fetchJsonMember", "http://h/api/j", "big"), "9007199254740993");
  assert.equal(g.call("fetchJsonMember", "http://h/api/j", "missing"), "null");
});

test("http_failure_abortsWithTheHostMessage", () => {
  fail("http.fetch: http://evil.example/ is not under any declared connection");
  assert.throws(() => g.call("fetchGet", "http://evil.example/"),
    e => e instanceof GuestAbort && e.message === "http.fetch: http://evil.example/ is not under any declared connection");
});

const completion = {
  id: "c1", object: "chat.completion",
  choices: [{ index: 0, message: { role: "assistant", content: "Hi \"there\" 😀" }, finish_reason: "stop" }],
  usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
};

test("models_chat_sendsMessages_andReturnsTextAndUsage", () => {
  answer(completion);
  const r = g.call("chat", "chat", "Be brief.", "Hello\n\"you\"");
  assert.deepEqual(g.hostCalls.map(c => [c.op, c.text]), [
    ["models.invoke", '{"model":"chat","input":{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hello\\n\\"you\\""}]}}'],
  ]);
  assert.deepEqual(r, { text: "Hi \"there\" 😀", finishReason: "stop", promptTokens: 12, completionTokens: 3, totalTokens: 15 });
});

test("models_chatOptions_areSent_andMissingUsageIsZero", () => {
  answer({ choices: [{ message: { content: "{}" } }] });
  assert.equal(g.call("chatWithOptions", "chat", "q"), "{}");
  assert.deepEqual(g.hostCalls[0].request, {
    model: "chat",
    input: { messages: [{ role: "user", content: "q" }], temperature: 0.25, max_tokens: 50, response_format: { type: "json_object" }, top_p: 0.5 },
  });
  answer({ choices: [{ message: { content: "fine" } }] });
  assert.equal(g.call("ask", "chat", "how?"), "fine");
  assert.deepEqual(g.hostCalls[0].request.input, { messages: [{ role: "user", content: "how?" }] });
});

test("models_chatWithoutChoices_aborts", () => {
  answer({ error: { message: "nope" } });
  assert.throws(() => g.call("chat", "chat", "s", "q"), e => e instanceof GuestAbort && /has no choices/.test(e.message));
});

test("models_embed_sendsInputs_andOrdersVectorsByIndex", () => {
  answer({ object: "list", data: [{ index: 1, embedding: [3, -0.5] }, { index: 0, embedding: [0.25, 1e-7] }], usage: { prompt_tokens: 4, total_tokens: 4 } });
  assert.deepEqual(g.call("embed", "embedder", ["one", "two é"]), [[0.25, 1e-7], [3, -0.5]]);
  assert.equal(g.hostCalls[0].text, '{"model":"embedder","input":{"input":["one","two é"]}}');
});

test("models_invoke_passesTheInputAndReturnsTheResponseAsIs", () => {
  answer('{"anything": [1, 2]}');
  assert.equal(g.call("invokeRaw", "chat", '{"messages": []}'), '{"anything": [1, 2]}');
  assert.equal(g.hostCalls[0].text, '{"model":"chat","input":{"messages": []}}');
});

test("models_failure_abortsWithTheHostMessage", () => {
  fail("models.invoke: model 'nope' is not declared");
  assert.throws(() => g.call("ask", "nope", "q"), e => e instanceof GuestAbort && e.message === "models.invoke: model 'nope' is not declared");
});

test("sql_execute_sendsParamsOfEveryKind_andReturnsRowsAffected", () => {
  answer({ rowsAffected: 2 });
  assert.equal(g.call("sqlSetup", "db"), 2);
  assert.deepEqual(g.hostCalls.map(c => c.op), ["sql.execute", "sql.execute", "sql.execute"]);
  assert.equal(g.hostCalls[0].text, '{"connection":"db","statement":"drop table if exists people","params":[]}');
  assert.equal(g.hostCalls[2].text.slice(g.hostCalls[2].text.indexOf('"params"')),
    '"params":["Ada",36,99.5,["math","engines"],{"lang":"en"},"1815-12-10","Grace",null,88.25,null,null,null]}');
  answer({ rowsAffected: 1 });
  assert.equal(g.call("sqlInsert", "db", "x'); drop table people; --", 7), 1);
  assert.deepEqual(g.hostCalls[0].request, { connection: "db", statement: "insert into people (name, age) values ($1, $2)", params: ["x'); drop table people; --", 7] });
});

const rows = {
  rows: [
    { id: 1, name: "Ada", age: 36, score: 99.5, active: true, tags: ["math", "engines"], meta: { lang: "en" }, born: "1815-12-10" },
    { id: 9007199254740993, name: "Grace", age: null, score: 88, active: false, tags: [], meta: null, born: null },
  ],
  rowsAffected: 2,
};

test("sql_query_rowApi_readsTypedColumnsAndNulls", () => {
  answer(JSON.stringify(rows).replace("9007199254740992", "9007199254740993"));
  const people = g.call("sqlPeople", "db", "%a%");
  assert.deepEqual(g.hostCalls[0].request.params, ["%a%"]);
  assert.deepEqual(people[0], { id: 1, name: "Ada", age: 36, hasAge: true, score: 99.5, active: true, tags: ["math", "engines"], lang: "en", born: "1815-12-10" });
  assert.deepEqual(people[1], { id: 9007199254740992, name: "Grace", age: -1, hasAge: false, score: 88, active: false, tags: [], lang: null, born: null });
  // full 64-bit precision survives (JSON.parse above rounds; check the raw text)
  const { text } = g.callRaw("sqlPeople", '["db", "%"]');
  assert.match(text, /"id":9007199254740993/);
});

test("sql_queryGeneric_mapsColumnsToFieldsByName", () => {
  answer({ rows: [{ id: 1, name: "Ada", age: 36, tags: ["m"], extra: "ignored" }, { name: "Grace", age: 0, tags: [], id: 2, extra: { nested: [1] } }], rowsAffected: 2 });
  assert.deepEqual(g.call("sqlPeopleTyped", "db", 0), [{ id: 1, name: "Ada", age: 36, tags: ["m"] }, { id: 2, name: "Grace", age: 0, tags: [] }]);
  assert.deepEqual(g.hostCalls[0].request.params, [0]);
  answer({ rows: [], rowsAffected: 0 });
  assert.deepEqual(g.call("sqlPeopleTyped", "db", 100), []);
});

test("sql_queryOne_andNullReads", () => {
  answer({ rows: [{ n: 0 }], rowsAffected: 1 });
  assert.equal(g.call("sqlCount", "db", "Robert'); DROP TABLE people;--"), 0);
  assert.deepEqual(g.hostCalls[0].request.params, ["Robert'); DROP TABLE people;--"]);
  answer({ rows: [], rowsAffected: 0 });
  assert.equal(g.call("sqlCount", "db", "x"), -1);
  answer({ rows: [{ nothing: null }], rowsAffected: 1 });
  assert.throws(() => g.call("sqlNullRead", "db"), e => e instanceof GuestAbort && /^sql: column 'nothing' is NULL \(reading it as a string; check isNull first\)/.test(e.message));
});

test("sql_failure_abortsWithTheHostMessage", () => {
  fail('sql.query: 42703: column "x" does not exist');
  assert.throws(() => g.call("sqlPeople", "db", "%"), e => e instanceof GuestAbort && e.message === 'sql.query: 42703: column "x" does not exist');
});

test("graphql_execute_sendsQueryAndVariables_andReturnsTheResponseText", () => {
  answer('{"data":{"hero":{"name":"R2"}}}');
  assert.equal(g.call("gqlRaw", "graph", "query($id: ID!) { hero(id: $id) { name } }", '{"id": "1"}'), '{"data":{"hero":{"name":"R2"}}}');
  assert.equal(g.hostCalls[0].text, '{"connection":"graph","query":"query($id: ID!) { hero(id: $id) { name } }","variables":{"id":"1"}}');
  answer('{"data":null}');
  g.call("gqlRaw", "graph", "{ x }", null);
  assert.equal(g.hostCalls[0].text, '{"connection":"graph","query":"{ x }"}');
});

test("graphql_query_exposesDataAndErrors", () => {
  answer({ data: { a: 1 }, errors: [{ message: "partial", path: ["b"] }] });
  assert.deepEqual(g.call("gql", "graph", "query Q { a b }", null, "Q"), { data: '{"a":1}', errors: ["partial"], ok: false });
  assert.deepEqual(g.hostCalls[0].request, { connection: "graph", query: "query Q { a b }", operationName: "Q" });
  answer({ data: { a: [] } });
  assert.deepEqual(g.call("gql", "graph", "{ a }", "{}", null), { data: '{"a":[]}', errors: [], ok: true });
  fail("graphql.execute: connection 'nope' is not declared");
  assert.throws(() => g.call("gql", "nope", "{ a }", null, null), e => e instanceof GuestAbort && e.message === "graphql.execute: connection 'nope' is not declared");
});

test("config_get_returnsValueOrNull", () => {
  answer((op, req) => ({ value: req.key === "greeting" ? "Hello" : null }));
  assert.equal(g.call("configGet", "greeting"), "Hello");
  assert.equal(g.call("configGet", "nope"), null);
  assert.equal(g.call("configOr", "nope", "fallback"), "fallback");
  assert.deepEqual(g.hostCalls.map(c => [c.op, c.text]), [["config.get", '{"key":"greeting"}'], ["config.get", '{"key":"nope"}'], ["config.get", '{"key":"nope"}']]);
});

test("json_roundTrip_keepsValuesAndEscapes", () => {
  const cases = ['{"a":[1,-2.5,"x\\n\\"y\\" \\u0001 é😀",null,true,false],"b":{}}', "[]", '"s"', "-9223372036854775808", "1e+300", "0.1"];
  for (const c of cases) assert.deepEqual(JSON.parse(g.call("jsonRoundTrip", c)), JSON.parse(c), c);
  assert.throws(() => g.call("jsonRoundTrip", "[1,"), e => e instanceof GuestAbort && /invalid JSON text/.test(e.message));
});
