// A small JSON value model for reading host responses (model outputs, SQL rows, GraphQL data, HTTP
// bodies) and a string quoting helper for building requests.
//
//   let v = Json.parse('{"a": [1, 2.5, "x", null]}');
//   v.get("a").at(1).asF64();   // 2.5
//   v.get("missing").isNull;    // true: a missing member or index reads as null

import {
  readerBegin, readerAtEnd, peek, expect, tryChar, tryNull, readBool, readString, readNumber, readKey,
  lastNumberIsInteger, lastNumberInteger,
} from "./internal/json";
import { host_abort } from "./internal/host";

export enum JsonKind { Null, Bool, Number, String, Array, Object }

function fail(message: string): void {
  let buf = String.UTF8.encode(message);
  host_abort(changetype<usize>(buf), <usize>buf.byteLength);
  unreachable();
}

// @ts-ignore: decorator
@lazy const NULL_VALUE = new JsonValue(JsonKind.Null);

/** A parsed JSON value. Reading a member or element that is not there gives a `null` value. */
export class JsonValue {
  /** @internal */ _bool: bool = false;
  /** @internal */ _num: f64 = 0;
  /** @internal */ _int: i64 = 0;
  /** @internal */ _isInt: bool = false;
  /** @internal */ _str: string = "";
  /** @internal */ _items: JsonValue[] = [];
  /** @internal */ _keys: string[] = [];

  constructor(public readonly kind: JsonKind) {}

  static null(): JsonValue { return NULL_VALUE; }
  static bool(v: bool): JsonValue { let j = new JsonValue(JsonKind.Bool); j._bool = v; return j; }
  static string(v: string): JsonValue { let j = new JsonValue(JsonKind.String); j._str = v; return j; }
  static number(v: f64): JsonValue {
    let j = new JsonValue(JsonKind.Number);
    j._num = v;
    if (Math.floor(v) == v && Math.abs(v) < 9007199254740992) { j._isInt = true; j._int = <i64>v; }
    return j;
  }
  static integer(v: i64): JsonValue {
    let j = new JsonValue(JsonKind.Number);
    j._num = <f64>v; j._int = v; j._isInt = true;
    return j;
  }

  get isNull(): bool { return this.kind == JsonKind.Null; }
  get isBool(): bool { return this.kind == JsonKind.Bool; }
  get isNumber(): bool { return this.kind == JsonKind.Number; }
  get isString(): bool { return this.kind == JsonKind.String; }
  get isArray(): bool { return this.kind == JsonKind.Array; }
  get isObject(): bool { return this.kind == JsonKind.Object; }

  /** Elements of an array, members of an object, 0 otherwise. */
  get length(): i32 { return this.kind == JsonKind.Array || this.kind == JsonKind.Object ? this._items.length : 0; }

  /** The member `key` of an object (null if absent or not an object). */
  get(key: string): JsonValue {
    if (this.kind == JsonKind.Object) {
      let keys = this._keys;
      for (let i = 0, n = keys.length; i < n; i++) if (unchecked(keys[i]) == key) return unchecked(this._items[i]);
    }
    return NULL_VALUE;
  }

  /** Whether an object has the member `key`. */
  has(key: string): bool {
    if (this.kind != JsonKind.Object) return false;
    return this._keys.includes(key);
  }

  /** Element `index` of an array (null if out of range or not an array). */
  at(index: i32): JsonValue {
    if (this.kind == JsonKind.Array && index >= 0 && index < this._items.length) return unchecked(this._items[index]);
    return NULL_VALUE;
  }

  /** The member names of an object, in document order. */
  keys(): string[] { return this.kind == JsonKind.Object ? this._keys.slice() : []; }

  /** The elements of an array, or the member values of an object. */
  values(): JsonValue[] { return this.kind == JsonKind.Array || this.kind == JsonKind.Object ? this._items.slice() : []; }

  /** A string's value; aborts for other kinds (use `toString()` for JSON text). */
  asString(): string {
    if (this.kind != JsonKind.String) fail("wafer: expected a JSON string, got " + this.toString());
    return this._str;
  }

  /** A number as f64; aborts for other kinds. */
  asF64(): f64 {
    if (this.kind != JsonKind.Number) fail("wafer: expected a JSON number, got " + this.toString());
    return this._num;
  }

  /** A number as i64 (full precision when written as an integer; otherwise truncated); aborts for other kinds. */
  asI64(): i64 {
    if (this.kind != JsonKind.Number) fail("wafer: expected a JSON number, got " + this.toString());
    return this._isInt ? this._int : <i64>this._num;
  }

  asI32(): i32 { return <i32>this.asI64(); }

  /** A boolean; aborts for other kinds. */
  asBool(): bool {
    if (this.kind != JsonKind.Bool) fail("wafer: expected a JSON boolean, got " + this.toString());
    return this._bool;
  }

  /** A string's value, or `fallback` when this is not a string (null, absent, other kinds). */
  stringOr(fallback: string): string { return this.kind == JsonKind.String ? this._str : fallback; }

  /** The value as compact JSON text. */
  toString(): string {
    switch (this.kind) {
      case JsonKind.Null: return "null";
      case JsonKind.Bool: return this._bool ? "true" : "false";
      case JsonKind.Number: {
        if (this._isInt) return this._int.toString();
        if (!isFinite(this._num)) return "null";
        return this._num.toString();
      }
      case JsonKind.String: return Json.quote(this._str);
      case JsonKind.Array: {
        let parts = new Array<string>(this._items.length);
        for (let i = 0; i < parts.length; i++) parts[i] = this._items[i].toString();
        return "[" + parts.join(",") + "]";
      }
      default: {
        let parts = new Array<string>(this._items.length);
        for (let i = 0; i < parts.length; i++) parts[i] = Json.quote(this._keys[i]) + ":" + this._items[i].toString();
        return "{" + parts.join(",") + "}";
      }
    }
  }
}

function readAny(depth: i32): JsonValue {
  if (depth > 512) fail("wafer: JSON nested too deeply");
  let c = peek();
  if (c == 0x22) return JsonValue.string(readString());
  if (c == 0x7B) {
    expect(0x7B);
    let v = new JsonValue(JsonKind.Object);
    if (tryChar(0x7D)) return v;
    do {
      peek();
      let key = readString();
      expect(0x3A);
      v._keys.push(key);
      v._items.push(readAny(depth + 1));
    } while (tryChar(0x2C));
    expect(0x7D);
    return v;
  }
  if (c == 0x5B) {
    expect(0x5B);
    let v = new JsonValue(JsonKind.Array);
    if (tryChar(0x5D)) return v;
    do {
      v._items.push(readAny(depth + 1));
    } while (tryChar(0x2C));
    expect(0x5D);
    return v;
  }
  if (c == 0x74 || c == 0x66) return JsonValue.bool(readBool());
  if (tryNull()) return NULL_VALUE;
  let f = readNumber();
  if (lastNumberIsInteger()) return JsonValue.integer(lastNumberInteger());
  return JsonValue.number(f);
}

/** Parses `len` bytes of UTF-8 JSON at `ptr`; `what` names the document in error messages. */
export function parseJsonBytes(ptr: usize, len: usize, what: string): JsonValue {
  readerBegin(ptr, len, what);
  let v = readAny(0);
  if (!readerAtEnd()) expect(0); // trailing garbage: fails naming the offset
  return v;
}

export namespace Json {
  /** Parses JSON text; invalid JSON aborts the call with the offset of the problem. */
  export function parse(text: string): JsonValue {
    let buf = String.UTF8.encode(text);
    return parseJsonBytes(changetype<usize>(buf), <usize>buf.byteLength, "text");
  }

  /** Parses UTF-8 JSON bytes (an HTTP body, say). */
  export function parseBytes(bytes: Uint8Array): JsonValue {
    return parseJsonBytes(bytes.dataStart, <usize>bytes.length, "bytes");
  }

  /** `s` as a JSON string literal, quotes included: `Json.quote('say "hi"')` is `"say \"hi\""`. */
  export function quote(s: string): string {
    let n = s.length;
    let plain = true;
    for (let i = 0; i < n; i++) {
      let c = s.charCodeAt(i);
      if (c < 0x20 || c == 0x22 || c == 0x5C) { plain = false; break; }
    }
    if (plain) return "\"" + s + "\"";
    let out = new Array<string>();
    let start = 0;
    for (let i = 0; i < n; i++) {
      let c = s.charCodeAt(i);
      if (c >= 0x20 && c != 0x22 && c != 0x5C) continue;
      if (i > start) out.push(s.substring(start, i));
      if (c == 0x22) out.push("\\\"");
      else if (c == 0x5C) out.push("\\\\");
      else if (c == 0x0A) out.push("\\n");
      else if (c == 0x0D) out.push("\\r");
      else if (c == 0x09) out.push("\\t");
      else {
        let hex = c.toString(16);
        out.push("\\u" + "0000".substring(hex.length) + hex);
      }
      start = i + 1;
    }
    if (start < n) out.push(s.substring(start));
    return "\"" + out.join("") + "\"";
  }
}
