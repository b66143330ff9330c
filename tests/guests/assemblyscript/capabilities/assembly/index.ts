// Exercises every host capability of the SDK: http, models, sql, graphql, config (see README.md).
import { http, Headers, RequestOptions, Response, models, ChatMessage, ChatOptions, sql, Params, Row, graphql, config, Json, log } from "@wafer/sdk";

export class FetchResult {
  status: i32 = 0;
  statusText: string = "";
  ok: bool = false;
  contentType: string | null = null;
  echoed: string | null = null;
  body: string = "";
}

function summarize(r: Response): FetchResult {
  let f = new FetchResult();
  f.status = r.status;
  f.statusText = r.statusText;
  f.ok = r.ok;
  f.contentType = r.headers.get("CONTENT-TYPE");
  f.echoed = r.headers.get("x-echo");
  f.body = r.text();
  return f;
}

/** GET a URL. */
export function fetchGet(url: string): FetchResult {
  return summarize(http.fetch(url));
}

/** A request with a method, a header and a text body. */
export function fetchSend(url: string, method: string, body: string): FetchResult {
  let r = http.fetch(url, {
    method,
    headers: new Headers().set("Content-Type", "text/plain").append("X-Echo", "v 1"),
    body,
  } as RequestOptions);
  return summarize(r);
}

/** POSTs bytes and returns the response's bytes. */
export function fetchBytes(url: string, data: u8[]): u8[] {
  let bytes = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) bytes[i] = data[i];
  let o = new RequestOptions();
  o.method = "PUT";
  o.bytes = bytes;
  let got = http.fetch(url, o).bytes();
  let out = new Array<u8>(got.length);
  for (let i = 0; i < got.length; i++) out[i] = got[i];
  return out;
}

/** GETs JSON and returns one member as JSON text. */
export function fetchJsonMember(url: string, key: string): string {
  return http.get(url).json().get(key).toString();
}

export class Answer {
  text: string = "";
  finishReason: string = "";
  promptTokens: i64 = 0;
  completionTokens: i64 = 0;
  totalTokens: i64 = 0;
}

/** A chat completion with a system and a user message. */
export function chat(model: string, system: string, question: string): Answer {
  let r = models.chat(model, [ChatMessage.system(system), ChatMessage.user(question)]);
  let a = new Answer();
  a.text = r.text;
  a.finishReason = r.finishReason;
  a.promptTokens = r.usage.promptTokens;
  a.completionTokens = r.usage.completionTokens;
  a.totalTokens = r.usage.totalTokens;
  return a;
}

/** A chat completion with options set. */
export function chatWithOptions(model: string, question: string): string {
  let o = new ChatOptions();
  o.temperature = 0.25;
  o.maxTokens = 50;
  o.jsonMode = true;
  o.extra = "{\"top_p\": 0.5}";
  return models.chat(model, [ChatMessage.user(question)], o).text;
}

/** Asks one question. */
export function ask(model: string, question: string): string {
  return models.ask(model, question);
}

/** Embeds texts. */
export function embed(model: string, inputs: string[]): f64[][] {
  return models.embed(model, inputs);
}

/** models.invoke with a raw request body. */
export function invokeRaw(model: string, inputJson: string): string {
  return models.invoke(model, inputJson);
}

/** Creates the people table (dropping an old one). */
export function sqlSetup(connection: string): i64 {
  sql.execute(connection, "drop table if exists people");
  sql.execute(connection, "create table people (id serial primary key, name text not null, age int, score double precision, active boolean not null default true, tags text[], meta jsonb, born date)");
  return sql.execute(connection, "insert into people (name, age, score, tags, meta, born) values ($1, $2, $3, $4, $5, $6), ($7, $8, $9, $10, $11, $12)",
    new Params()
      .string("Ada").i32(36).f64(99.5).strings(["math", "engines"]).json("{\"lang\":\"en\"}").string("1815-12-10")
      .string("Grace").null().f64(88.25).null().null().null());
}

/** Inserts one person; returns rows affected. */
export function sqlInsert(connection: string, name: string, age: i32): i64 {
  return sql.execute(connection, "insert into people (name, age) values ($1, $2)", new Params().string(name).i32(age));
}

export class Person {
  id: i64 = 0;
  name: string = "";
  age: i32 = -1;
  hasAge: bool = false;
  score: f64 = 0;
  active: bool = false;
  tags: string[] = [];
  lang: string | null = null;
  born: string | null = null;
}

/** People with a name like the pattern, read through the Row API. */
export function sqlPeople(connection: string, pattern: string): Person[] {
  let rows = sql.query(connection, "select id, name, age, score, active, tags, meta, born from people where name like $1 order by id", new Params().string(pattern));
  let out: Person[] = [];
  for (let i = 0; i < rows.length; i++) {
    let r: Row = rows[i];
    let p = new Person();
    p.id = r.getI64("id");
    p.name = r.getString("name");
    p.hasAge = !r.isNull("age");
    if (p.hasAge) p.age = r.getI32("age");
    p.score = r.isNull("score") ? 0 : r.getF64("score");
    p.active = r.getBool("active");
    let tags = r.getJson("tags");
    for (let k = 0; k < tags.length; k++) p.tags.push(tags.at(k).asString());
    let meta = r.getJson("meta");
    p.lang = meta.isNull ? null : meta.get("lang").asString();
    p.born = r.getStringOrNull("born");
    out.push(p);
  }
  return out;
}

export class PersonRow {
  id: i64 = 0;
  name: string = "";
  age: i32 = 0;
  tags: string[] = [];
}

/** People mapped straight into a class by column name (sql.query<T>). */
export function sqlPeopleTyped(connection: string, minAge: i32): PersonRow[] {
  return sql.query<PersonRow>(connection, "select id, name, coalesce(age, 0) as age, coalesce(tags, '{}') as tags, 'ignored' as extra from people where coalesce(age, 0) >= $1 order by id", new Params().i32(minAge));
}

/** Counts people with exactly this name (an injection attempt is just a name). */
export function sqlCount(connection: string, name: string): i64 {
  let row = sql.queryOne(connection, "select count(*) as n from people where name = $1", new Params().string(name));
  return row ? row.getI64("n") : -1;
}

/** Reads a NULL column as a string: fails with a clear message. */
export function sqlNullRead(connection: string): string {
  return sql.query(connection, "select null::text as nothing")[0].getString("nothing");
}

/** Runs a statement. */
export function sqlExecute(connection: string, statement: string): i64 {
  return sql.execute(connection, statement);
}

/** graphql.execute: the response text. */
export function gqlRaw(connection: string, query: string, variablesJson: string | null): string {
  return graphql.execute(connection, query, variablesJson);
}

export class GqlSummary {
  data: string = "";
  errors: string[] = [];
  ok: bool = false;
}

/** graphql.query: data and error messages. */
export function gql(connection: string, query: string, variablesJson: string | null, operationName: string | null): GqlSummary {
  let r = graphql.query(connection, query, variablesJson, operationName);
  let s = new GqlSummary();
  s.data = r.data.toString();
  s.errors = r.errors;
  s.ok = r.ok;
  return s;
}

/** config.get. */
export function configGet(key: string): string | null {
  return config.get(key);
}

/** config.getOr. */
export function configOr(key: string, fallback: string): string {
  return config.getOr(key, fallback);
}

/** Parses and re-writes JSON with the SDK's Json (no host call). */
export function jsonRoundTrip(text: string): string {
  log.debug("parsing " + text.length.toString() + " characters");
  return Json.parse(text).toString();
}
