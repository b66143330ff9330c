// Every ABI value type, round-tripped. Used by the SDK's own tests and by the host's marshalling tests.
import { Box } from "@wafer/sdk";
import { Address } from "./address";

export function echoBool(v: bool): bool { return v; }
export function echoI8(v: i8): i8 { return v; }
export function echoI16(v: i16): i16 { return v; }
export function echoI32(v: i32): i32 { return v; }
export function echoI64(v: i64): i64 { return v; }
export function echoU8(v: u8): u8 { return v; }
export function echoU16(v: u16): u16 { return v; }
export function echoU32(v: u32): u32 { return v; }
export function echoU64(v: u64): u64 { return v; }
export function echoIsize(v: isize): isize { return v; }
export function echoUsize(v: usize): usize { return v; }
export function echoF32(v: f32): f32 { return v; }
export function echoF64(v: f64): f64 { return v; }
export function echoString(v: string): string { return v; }
export function echoStringArray(v: string[]): string[] { return v; }
export function echoNullableString(v: string | null): string | null { return v; }
export function echoNullableStrings(v: (string | null)[]): (string | null)[] { return v; }
export function echoNullableStringArray(v: string[] | null): string[] | null { return v; }
export function echoI32Matrix(v: i32[][]): i32[][] { return v; }

/** `i32 | null` is not valid AssemblyScript: a nullable number is a `Box<i32> | null` (type `i32?`). */
export function echoNullableI32(v: Box<i32> | null): Box<i32> | null { return v; }
export function echoNullableI64s(v: Array<Box<i64> | null>): Array<Box<i64> | null> { return v; }
export function echoNullableBool(v: Box<bool> | null): Box<bool> | null { return v; }
export function echoNullableF64(v: Box<f64> | null): Box<f64> | null { return v; }

/** A person with a nested class, an array of classes and nullable fields. */
export class Person {
  /** Full name. */
  name: string = "";
  age: i32 = 0;
  email: string | null = null;
  address: Address = new Address();
  friends: Person[] = [];
  scores: f64[] = [];
  luckyNumber: Box<i64> | null = null;
  active: bool = false;
}

/** A subclass: its base fields come first. */
export class Employee extends Person {
  employer: string = "";
  salary: u64 = 0;
}

/** Fields that are readonly or come from constructor parameters are set too. */
export class Frozen {
  readonly id: i64 = 0;
  constructor(public label: string, private hidden: i32) {}
  get summary(): string { return this.label + "#" + this.id.toString() + "/" + this.hidden.toString(); }
}

export function echoPerson(p: Person): Person { return p; }
export function echoNullablePerson(p: Person | null): Person | null { return p; }
export function echoPeople(p: Person[] | null): Person[] | null { return p; }
export function echoEmployee(e: Employee): Employee { return e; }
export function echoFrozen(f: Frozen): Frozen { return f; }
export function summarizeFrozen(f: Frozen): string { return f.summary; }

/** Returns an Employee where a Person is declared: written with Person's fields only. */
export function promote(p: Person): Person {
  const e = new Employee();
  e.name = p.name;
  e.employer = "ACME";
  return e;
}

/** Reads fields in user code, to show the instance is real (not just echoed bytes). */
export function describe(p: Person): string {
  let s = p.name + " (" + p.age.toString() + ") of " + p.address.city;
  s += ", " + p.friends.length.toString() + " friends";
  if (p.email) s += ", " + p.email!;
  const zip = p.address.zip;
  if (zip) s += ", zip " + zip.value.toString();
  return s;
}

/** Constructs a person in user code with `new`. */
export function makePerson(name: string, age: i32, city: string): Person {
  const p = new Person();
  p.name = name;
  p.age = age;
  p.address.city = city;
  p.luckyNumber = Box.from<i64>(-7);
  return p;
}

/** Parameters arrive in order, whatever their types. */
export function mix(a: i8, b: string, c: f64, d: bool, e: u64, f: string[]): string {
  return a.toString() + "|" + b + "|" + c.toString() + "|" + (d ? "true" : "false") + "|" + e.toString() + "|" + f.join(",");
}

/** Length in UTF-16 code units, to check decoding of escapes and surrogate pairs. */
export function stringLength(s: string): i32 { return s.length; }

/** Code units as numbers. */
export function codeUnits(s: string): u16[] {
  const out = new Array<u16>(s.length);
  for (let i = 0; i < s.length; i++) out[i] = <u16>s.charCodeAt(i);
  return out;
}

/** A string with every character JSON must escape. */
export function controlChars(): string {
  let s = "\"\\/\b\f\n\r\t";
  for (let i = 0; i < 0x20; i++) s += String.fromCharCode(i);
  return s + String.fromCharCode(0xD800) + "end"; // plus a lone surrogate
}

/** A function without a result: the result is null. */
export function nothing(v: i32): void {}

// Functions can also be offered by re-exporting them, under their own or another name.
export { echoAddress } from "./address";

function reversed(v: string[]): string[] {
  return v.slice().reverse();
}
export { reversed as reverseStrings };
export * from "./more";
