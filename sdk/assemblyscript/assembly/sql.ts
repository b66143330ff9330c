// SQL on the PostgreSQL connections declared in wafer.json (`sql.query`, `sql.execute`, docs/abi.md
// §3.1). Values are passed only as parameters ($1, $2, ...): a statement is never built from them.

import { hostCall } from "./internal/capability";
import { readerBegin, expect, tryChar, readKey, keyIs, skipValue, readValue } from "./internal/json";
import { Json, JsonValue, parseJsonBytes } from "./json";

/**
 * The parameters of a statement, in order ($1, $2, ...):
 *
 *   new Params().string("Ada").i32(36).null()
 */
export class Params {
  private parts: string[] = [];

  /** A text value (PostgreSQL infers its type, as for a quoted literal: dates, uuids and numerics work). */
  string(v: string): Params { this.parts.push(Json.quote(v)); return this; }
  /** A text value, or SQL NULL. */
  stringOrNull(v: string | null): Params { this.parts.push(v === null ? "null" : Json.quote(v)); return this; }
  /** An integer (sent as bigint). */
  i32(v: i32): Params { this.parts.push(v.toString()); return this; }
  /** An integer (sent as bigint). */
  i64(v: i64): Params { this.parts.push(v.toString()); return this; }
  /** A floating-point number (sent as double precision; NaN and infinities become NULL). */
  f64(v: f64): Params {
    if (!isFinite(v)) { this.parts.push("null"); return this; }
    let s = v.toString();
    // "2.0" is written "2.0" by AssemblyScript, so the host still sees a non-integer number
    this.parts.push(s);
    return this;
  }
  /** A boolean. */
  bool(v: bool): Params { this.parts.push(v ? "true" : "false"); return this; }
  /** SQL NULL. */
  null(): Params { this.parts.push("null"); return this; }
  /** A text array (text[]). */
  strings(v: string[]): Params {
    let p = new Array<string>(v.length);
    for (let i = 0; i < v.length; i++) p[i] = Json.quote(v[i]);
    this.parts.push("[" + p.join(",") + "]");
    return this;
  }
  /** An integer array (bigint[]). */
  i64s(v: i64[]): Params {
    let p = new Array<string>(v.length);
    for (let i = 0; i < v.length; i++) p[i] = v[i].toString();
    this.parts.push("[" + p.join(",") + "]");
    return this;
  }
  /** A JSON object or array given as text (sent as jsonb). */
  json(jsonText: string): Params { this.parts.push(Json.parse(jsonText).toString()); return this; }

  get length(): i32 { return this.parts.length; }

  toString(): string { return "[" + this.parts.join(",") + "]"; }
}

/** One result row: read columns by name. */
export class Row {
  constructor(private value: JsonValue) {}

  /** The column names, in select order. */
  get columns(): string[] { return this.value.keys(); }

  /** Whether the row has the column. */
  has(column: string): bool { return this.value.has(column); }

  /** Whether the column is NULL (or missing). */
  isNull(column: string): bool { return this.value.get(column).isNull; }

  private cell(column: string, what: string): JsonValue {
    let v = this.value.get(column);
    if (v.isNull) {
      throw new Error("sql: column '" + column + "' is " + (this.value.has(column) ? "NULL" : "not in the row") +
        " (reading it " + what + "; check isNull first)");
    }
    return v;
  }

  /** A text column (also dates/timestamps as ISO 8601 text, bytea as base64, uuid...). */
  getString(column: string): string {
    let v = this.cell(column, "as a string");
    return v.isString ? v.asString() : v.toString();
  }
  /** A text column, or null for NULL. */
  getStringOrNull(column: string): string | null {
    return this.value.get(column).isNull ? null : this.getString(column);
  }
  /** An integer column at full 64-bit precision. */
  getI64(column: string): i64 {
    let v = this.cell(column, "as an integer");
    return v.isString ? I64.parseInt(v.asString()) : v.asI64();
  }
  getI32(column: string): i32 { return <i32>this.getI64(column); }
  /** A numeric/real/double column. */
  getF64(column: string): f64 {
    let v = this.cell(column, "as a number");
    return v.isString ? F64.parseFloat(v.asString()) : v.asF64();
  }
  getBool(column: string): bool { return this.cell(column, "as a boolean").asBool(); }
  /** Any column as a JSON value (json/jsonb columns are embedded JSON, arrays are arrays). */
  getJson(column: string): JsonValue { return this.value.get(column); }
  /** The row as a JSON object. */
  toJson(): JsonValue { return this.value; }
}

function request(connection: string, statement: string, params: Params | null): string {
  return "{\"connection\":" + Json.quote(connection) + ",\"statement\":" + Json.quote(statement) +
    ",\"params\":" + (params ? params.toString() : "[]") + "}";
}

export namespace sql {
  /**
   * Runs a query and returns its rows. Without a type argument, rows are `Row`s read by column name;
   * with a class of your own, each row becomes an instance whose fields are set from the columns of
   * the same name (a column it has no field for is ignored):
   *
   *   let rows = sql.query("db", "select name, age from people where age > $1", new Params().i32(30));
   *   rows[0].getString("name");
   *   let people = sql.query<Person>("db", "select name, age from people");
   */
  export function query<T = Row>(connection: string, statement: string, params: Params | null = null): T[] {
    let buf = hostCall("sql.query", request(connection, statement, params));
    if (idof<T>() == idof<Row>()) {
      let v = parseJsonBytes(changetype<usize>(buf), <usize>buf.byteLength, "sql.query response");
      let rows = v.get("rows");
      let out = new Array<T>(rows.length);
      // @ts-ignore: T is Row here
      for (let i = 0; i < rows.length; i++) out[i] = changetype<T>(new Row(rows.at(i)));
      return out;
    } else {
      readerBegin(changetype<usize>(buf), <usize>buf.byteLength, "sql.query rows");
      let out: T[] = [];
      expect(0x7B);
      if (tryChar(0x7D)) return out;
      do {
        readKey();
        if (keyIs("rows")) out = readValue<T[]>();
        else skipValue();
      } while (tryChar(0x2C));
      expect(0x7D);
      return out;
    }
  }

  /** The first row of a query, or null when there is none. */
  export function queryOne<T = Row>(connection: string, statement: string, params: Params | null = null): T | null {
    let rows = query<T>(connection, statement, params);
    return rows.length ? rows[0] : null;
  }

  /** Runs a statement (insert, update, delete, DDL) and returns the number of rows it affected. */
  export function execute(connection: string, statement: string, params: Params | null = null): i64 {
    let buf = hostCall("sql.execute", request(connection, statement, params));
    let v = parseJsonBytes(changetype<usize>(buf), <usize>buf.byteLength, "sql.execute response");
    return v.get("rowsAffected").asI64();
  }
}
