// A strict, allocation-light JSON reader and writer for the ABI value types (docs/abi.md §1):
// bool, i8..u64 (full 64-bit precision), f32/f64, string, arrays, nullables, Box<T> and classes.
//
// The reader works on UTF-8 bytes in linear memory, the writer appends UTF-8 bytes to one growable
// buffer. Both keep their state in globals: a guest runs one call at a time. Classes take part through
// two methods the SDK's transform adds to every class in your sources (`__wafer_field`, `__wafer_write`);
// `readValue<T>()` / `writeValue<T>()` dispatch on T at compile time.

import { host_abort } from "./host";
import { utf8Encode, utf8Length, utf8DecodeOne, asciiEncode } from "./utf8";
import { parseNumber, numberEnd } from "./float";
import { dtoa_buffered } from "~lib/util/number";

// ---------------------------------------------------------------------------------------------------
// Reader

let rp: usize = 0;  // current position
let re: usize = 0;  // end
let rs: usize = 0;  // start, for error offsets

/** Key of the object member being read, as raw bytes (between the quotes, escapes untouched). */
let keyPtr: usize = 0;
let keyLen: usize = 0;

/** What is being read, for error messages ("arguments", "http.fetch response", ...). */
let reading: string = "arguments";

/** Starts reading `len` bytes of JSON at `ptr`; `what` names the document in error messages. */
export function readerBegin(ptr: usize, len: usize, what: string = "arguments"): void {
  rp = ptr;
  rs = ptr;
  re = ptr + len;
  reading = what;
}

/** Whether everything but trailing whitespace has been read. */
export function readerAtEnd(): bool {
  return peek() == 0 && rp >= re;
}

/** Fails the call: the host validated the document, so this means a host/guest disagreement. */
function fail(what: string): void {
  let msg = "wafer: invalid JSON " + reading + ": " + what + " at byte " + (rp - rs).toString();
  let buf = String.UTF8.encode(msg);
  host_abort(changetype<usize>(buf), <usize>buf.byteLength);
  unreachable();
}

// @ts-ignore: decorator
@inline function isWs(c: u32): bool {
  return c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09;
}

/** Skips whitespace and returns the next byte without consuming it (0 at the end). */
// @ts-ignore: decorator
@inline export function peek(): u32 {
  while (rp < re) {
    let c = <u32>load<u8>(rp);
    if (!isWs(c)) return c;
    rp++;
  }
  return 0;
}

/** Consumes `c` (after whitespace) or fails. */
export function expect(c: u32): void {
  if (peek() != c) fail("expected '" + String.fromCharCode(c) + "'");
  rp++;
}

/** Consumes `c` (after whitespace) if it is next. */
export function tryChar(c: u32): bool {
  if (peek() == c) { rp++; return true; }
  return false;
}

/** Consumes `null` if it is next. */
export function tryNull(): bool {
  if (peek() == 0x6E) { // n
    if (rp + 4 > re || load<u32>(rp) != 0x6C6C756E) fail("expected null");
    rp += 4;
    return true;
  }
  return false;
}

export function readBool(): bool {
  let c = peek();
  if (c == 0x74 && rp + 4 <= re && load<u32>(rp) == 0x65757274) { rp += 4; return true; }   // true
  if (c == 0x66 && rp + 5 <= re && load<u32>(rp, 1) == 0x65736C61) { rp += 5; return false; } // false
  fail("expected a boolean");
  return false;
}

/** Reads an integer at full 64-bit precision. Numbers written with a fraction or exponent go via f64. */
function readInteger(signed: bool): u64 {
  peek();
  let p = rp;
  let neg = false;
  if (p < re && load<u8>(p) == 0x2D) { neg = true; p++; }
  let v: u64 = 0;
  let start = p;
  while (p < re) {
    let d = <u32>load<u8>(p) - 0x30;
    if (d > 9) break;
    v = v * 10 + d;
    p++;
  }
  if (p == start) fail("expected a number");
  if (p < re) {
    let c = <u32>load<u8>(p) | 0x20;
    if (c == 0x2E || c == 0x65) { // '.', 'e' or 'E': an integral value in another notation
      let f = parseNumber(rp, re);
      rp = numberEnd;
      return signed ? <u64><i64>f : <u64>f;
    }
  }
  rp = p;
  return neg ? <u64>(-<i64>v) : v;
}

export function readI64(): i64 { return <i64>readInteger(true); }
export function readU64(): u64 { return readInteger(false); }

export function readF64(): f64 {
  peek();
  let v = parseNumber(rp, re);
  if (numberEnd == rp) fail("expected a number");
  rp = numberEnd;
  return v;
}

/** Reads a JSON string into a new AssemblyScript string. */
export function readString(): string {
  expect(0x22);
  // find the closing quote; note whether decoding is needed
  let start = rp;
  let p = rp;
  let plain = true;
  while (true) {
    if (p >= re) fail("unterminated string");
    let c = <u32>load<u8>(p);
    if (c == 0x22) break;
    if (c == 0x5C) { plain = false; p += 2; continue; }
    if (c >= 0x80) plain = false;
    p++;
  }
  rp = p + 1;
  let n = p - start;
  let out = __new(n << 1, idof<string>());
  if (plain) {
    for (let i: usize = 0; i < n; i++) store<u16>(out + (i << 1), load<u8>(start + i));
    return changetype<string>(out);
  }
  let q = start;
  let dst = out;
  while (q < p) {
    let c = <u32>load<u8>(q);
    if (c == 0x5C) {
      let e = <u32>load<u8>(q, 1);
      let u: u32 = e;
      if (e == 0x6E) u = 0x0A;
      else if (e == 0x74) u = 0x09;
      else if (e == 0x72) u = 0x0D;
      else if (e == 0x62) u = 0x08;
      else if (e == 0x66) u = 0x0C;
      else if (e == 0x75) {
        if (q + 6 > p) { rp = q; fail("bad \\u escape"); }
        u = (hexValue(load<u8>(q, 2)) << 12) | (hexValue(load<u8>(q, 3)) << 8) |
          (hexValue(load<u8>(q, 4)) << 4) | hexValue(load<u8>(q, 5));
        q += 4;
      }
      store<u16>(dst, u);
      dst += 2;
      q += 2;
    } else if (c < 0x80) {
      store<u16>(dst, c);
      dst += 2;
      q++;
    } else {
      let r = utf8DecodeOne(q, p, c, dst);
      q += r & 0xFFFF;
      dst += (<usize>(r >> 16)) << 1;
    }
  }
  let size = dst - out;
  if (size != (n << 1)) out = __renew(out, size);
  return changetype<string>(out);
}

function hexValue(c: u32): u32 {
  if (c - 0x30 < 10) return c - 0x30;
  c |= 0x20;
  if (c - 0x61 < 6) return c - 0x61 + 10;
  fail("bad hex digit");
  return 0;
}

let numInt: i64 = 0;
let numIsInt: bool = false;

/**
 * Reads any JSON number as f64; afterwards `lastNumberIsInteger()` says whether it was written as an
 * integer that fits i64, and `lastNumberInteger()` holds it at full precision.
 */
export function readNumber(): f64 {
  peek();
  let p = rp;
  let neg = false;
  if (p < re && load<u8>(p) == 0x2D) { neg = true; p++; }
  let v: u64 = 0;
  let start = p;
  let overflow = false;
  while (p < re) {
    let d = <u32>load<u8>(p) - 0x30;
    if (d > 9) break;
    if (v > 922337203685477580) overflow = true;
    v = v * 10 + d;
    p++;
  }
  let f = parseNumber(rp, re);
  if (numberEnd == rp) fail("expected a number");
  numIsInt = numberEnd == p && p > start && !overflow && (neg ? v <= <u64>9223372036854775808 : v <= <u64>9223372036854775807);
  numInt = neg ? <i64>(0 - v) : <i64>v;
  rp = numberEnd;
  return f;
}

export function lastNumberIsInteger(): bool { return numIsInt; }
export function lastNumberInteger(): i64 { return numInt; }

/** Reads an object member key (raw bytes into keyPtr/keyLen) and the following colon. */
export function readKey(): void {
  expect(0x22);
  let p = rp;
  while (true) {
    if (p >= re) fail("unterminated key");
    let c = load<u8>(p);
    if (c == 0x22) break;
    if (c == 0x5C) p++;
    p++;
  }
  keyPtr = rp;
  keyLen = p - rp;
  rp = p + 1;
  expect(0x3A);
}

/** Whether the member key being read equals `name` (an ASCII field name). */
export function keyIs(name: string): bool {
  let n = <usize>name.length;
  if (n != keyLen) return false;
  let s = changetype<usize>(name);
  for (let i: usize = 0; i < n; i++) {
    if (<u32>load<u8>(keyPtr + i) != <u32>load<u16>(s + (i << 1))) return false;
  }
  return true;
}

/** Skips any JSON value (an object member the class does not have). */
export function skipValue(): void {
  let c = peek();
  if (c == 0x22) { readString(); return; }
  if (c == 0x7B || c == 0x5B) {
    let close: u32 = c == 0x7B ? 0x7D : 0x5D;
    rp++;
    if (tryChar(close)) return;
    do {
      if (close == 0x7D) readKey();
      skipValue();
    } while (tryChar(0x2C));
    expect(close);
    return;
  }
  if (c == 0x74 || c == 0x66) { readBool(); return; }
  if (tryNull()) return;
  readF64();
}

/** Reads a value of type T. */
export function readValue<T>(): T {
  if (isBoolean<T>()) {
    return <T>readBool();
  } else if (isInteger<T>()) {
    if (isSigned<T>()) return <T>readI64();
    return <T>readU64();
  } else if (isFloat<T>()) {
    return <T>readF64();
  } else if (isReference<T>()) {
    if (isNullable<T>()) {
      if (tryNull()) return changetype<T>(0);
    }
    if (isString<T>()) {
      return changetype<T>(readString());
    } else if (isArray<T>()) {
      // @ts-ignore: valueof<T> of an array type
      return changetype<T>(readArray<valueof<nonnull<T>>>());
    } else {
      return changetype<T>(readObject<nonnull<T>>());
    }
  }
  ERROR("@wafer/sdk: unsupported type");
  return unreachable();
}

/** Reads a value of the same type as `_like` (lets generated code skip naming types). */
export function readLike<T>(_like: T): T {
  return readValue<T>();
}

function readArray<E>(): Array<E> {
  let arr = new Array<E>();
  expect(0x5B);
  if (tryChar(0x5D)) return arr;
  do {
    arr.push(readValue<E>());
  } while (tryChar(0x2C));
  expect(0x5D);
  return arr;
}

function readObject<C>(): C {
  // Instances are made without running a constructor; every field is then set from the JSON.
  let obj = changetype<C>(__new(offsetof<C>(), idof<C>()));
  // @ts-ignore: compile-time member check
  if (isDefined(obj.__wafer_box)) {
    // @ts-ignore: Box<T>
    obj.value = readLike(obj.value);
    return obj;
  }
  // @ts-ignore: compile-time member check
  if (!isDefined(obj.__wafer_field)) {
    // Not a class from the plugin's sources. The transform rejects such types in function signatures;
    // this is only reachable from a subclass nobody passes, so it must not stop compilation.
    unsupported(nameof<C>());
    return obj;
  }
  expect(0x7B);
  if (tryChar(0x7D)) return obj;
  do {
    readKey();
    // @ts-ignore: added to every class by the @wafer/sdk transform
    if (!obj.__wafer_field()) skipValue();
  } while (tryChar(0x2C));
  expect(0x7D);
  return obj;
}

function unsupported(type: string): void {
  let msg = String.UTF8.encode("wafer: values of type " + type + " cannot be read or written");
  host_abort(changetype<usize>(msg), <usize>msg.byteLength);
  unreachable();
}

/** Stores a value into a field (used by generated code for readonly fields). */
export function setField<T>(obj: usize, offset: usize, value: T): void {
  store<T>(obj + offset, value);
  if (isManaged<T>()) __link(obj, changetype<usize>(value), false);
}

// ---------------------------------------------------------------------------------------------------
// Writer

let wb: usize = 0;  // buffer
let wc: usize = 0;  // capacity
let wl: usize = 0;  // length

// @ts-ignore: decorator
@lazy const NUM_BUF = memory.data(64 << 1);

/** Starts a new document, reusing the buffer. */
export function writerBegin(): void {
  if (wc > (1 << 20)) { heap.free(wb); wb = 0; wc = 0; } // do not keep a huge buffer around
  wl = 0;
}

export function writerPtr(): usize { return wb; }
export function writerLen(): usize { return wl; }

function grow(extra: usize): void {
  let need = wl + extra;
  let cap: usize = wc < 256 ? 256 : wc;
  while (cap < need) cap <<= 1;
  wb = wb ? heap.realloc(wb, cap) : heap.alloc(cap);
  wc = cap;
}

// @ts-ignore: decorator
@inline function ensure(extra: usize): void {
  if (wl + extra > wc) grow(extra);
}

// @ts-ignore: decorator
@inline function putByte(c: u32): void {
  ensure(1);
  store<u8>(wb + wl, c);
  wl++;
}

/** Writes ASCII text (a literal such as `true` or `"name":`). */
export function writeAscii(s: string): void {
  let n = <usize>s.length;
  ensure(n);
  asciiEncode(s, wb + wl);
  wl += n;
}

/** Writes a separating comma unless at the start of an object or array. */
// @ts-ignore: decorator
@inline function separate(): void {
  if (wl) {
    let last = <u32>load<u8>(wb + wl - 1);
    if (last != 0x7B && last != 0x5B) putByte(0x2C);
  }
}

export function writeString(s: string): void {
  let units = <usize>s.length;
  let n = utf8Length(changetype<usize>(s), units, true);
  ensure(n + 2);
  let p = wb + wl;
  store<u8>(p, 0x22);
  p = utf8Encode(changetype<usize>(s), units, p + 1, true);
  store<u8>(p, 0x22);
  wl = p + 1 - wb;
}

export function writeU64(v: u64): void {
  ensure(20);
  let n: usize = 1;
  let t = v;
  while (t >= 10) { t /= 10; n++; }
  let p = wb + wl + n;
  do {
    store<u8>(--p, <u32>(v % 10) + 0x30);
    v /= 10;
  } while (v);
  wl += n;
}

export function writeI64(v: i64): void {
  if (v < 0) {
    putByte(0x2D);
    writeU64(<u64>(-v)); // -i64.MIN_VALUE wraps to the right u64
  } else {
    writeU64(<u64>v);
  }
}

export function writeFloat<T>(v: T): void {
  if (!isFinite(v)) { writeAscii("null"); return; } // not representable in JSON (docs/abi.md §1)
  if (v == 0 && (isFloat<T>() && sizeof<T>() == 4 ? reinterpret<i32>(<f32>v) < 0 : reinterpret<i64>(<f64>v) < 0)) {
    writeAscii("-0.0"); // dtoa drops the sign of negative zero
    return;
  }
  let n = <usize>dtoa_buffered<T>(NUM_BUF, v);
  ensure(n);
  let p = wb + wl;
  for (let i: usize = 0; i < n; i++) store<u8>(p + i, load<u16>(NUM_BUF + (i << 1)));
  wl += n;
}

/** Writes a value of type T. */
export function writeValue<T>(v: T): void {
  if (isBoolean<T>()) {
    writeAscii(v ? "true" : "false");
  } else if (isInteger<T>()) {
    if (isSigned<T>()) writeI64(<i64>v);
    else writeU64(<u64>v);
  } else if (isFloat<T>()) {
    writeFloat<T>(v);
  } else if (isReference<T>()) {
    if (isNullable<T>()) {
      if (changetype<usize>(v) == 0) { writeAscii("null"); return; }
    }
    if (isString<T>()) {
      writeString(changetype<string>(v));
    } else if (isArray<T>()) {
      // @ts-ignore: valueof<T> of an array type
      writeArray<valueof<nonnull<T>>>(changetype<nonnull<T>>(v));
    } else {
      writeObject<nonnull<T>>(changetype<nonnull<T>>(v));
    }
  } else {
    ERROR("@wafer/sdk: unsupported type");
  }
}

function writeArray<E>(arr: Array<E>): void {
  putByte(0x5B);
  for (let i = 0, k = arr.length; i < k; i++) {
    separate();
    writeValue<E>(unchecked(arr[i]));
  }
  putByte(0x5D);
}

function writeObject<C>(obj: C): void {
  // @ts-ignore: compile-time member check
  if (isDefined(obj.__wafer_box)) {
    // @ts-ignore: Box<T>
    writeValue(obj.value);
    return;
  }
  // @ts-ignore: compile-time member check
  if (!isDefined(obj.__wafer_write)) {
    unsupported(nameof<C>()); // see readObject
    return;
  }
  putByte(0x7B);
  // Pass the static type's id: a subclass instance is written with the declared class's fields.
  // @ts-ignore: added to every class by the @wafer/sdk transform
  obj.__wafer_write(idof<C>());
  putByte(0x7D);
}

/** Writes one object member; `key` is the ready-made `"name":` literal. */
export function writeField<T>(key: string, v: T): void {
  separate();
  writeAscii(key);
  writeValue<T>(v);
}
