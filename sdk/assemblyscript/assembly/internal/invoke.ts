// Runtime support for the `wafer_invoke` glue the transform generates (docs/abi.md §2).

import { host_result } from "./host";
import { readerBegin, expect, readValue, writerBegin, writeValue, writerPtr, writerLen } from "./json";

/** `wafer_alloc`: memory for the host to write a call's arguments into. */
export function alloc(size: i32): usize {
  return heap.alloc(<usize>size);
}

/** Starts reading the JSON argument array. */
export function argsBegin(ptr: usize, len: usize): void {
  readerBegin(ptr, len);
  if (len) expect(0x5B);
}

/** Reads argument number `index` (0-based) of type T. */
export function arg<T>(index: i32): T {
  if (index) expect(0x2C);
  return readValue<T>();
}

/** Finishes reading the arguments and frees their buffer (the guest owns it). */
export function argsEnd(ptr: usize, len: usize): void {
  if (len) {
    expect(0x5D);
  }
  if (ptr) heap.free(ptr);
}

/** Hands a result value to the host; returns the `wafer_invoke` status for success. */
export function result<T>(value: T): i32 {
  writerBegin();
  writeValue<T>(value);
  host_result(writerPtr(), writerLen());
  return 0;
}

/** A void function's success: the result is `null`. */
export function done(): i32 {
  return 0;
}

/** `wafer_invoke` with an index that names no function: a guest error with a message. */
export function unknownFunction(fn: i32, ptr: usize): i32 {
  if (ptr) heap.free(ptr);
  let msg = String.UTF8.encode("unknown function index " + fn.toString());
  host_result(changetype<usize>(msg), <usize>msg.byteLength);
  return 1;
}
