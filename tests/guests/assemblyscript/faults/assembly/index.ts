// Guests that misbehave, one way per function: the host's limits and failure causes are tested with these.

/** Never returns: for the wall-clock timeout and fuel. */
export function spin(): i32 {
  let i = 0;
  while (true) {
    i++;
  }
}

/** Allocates until memory runs out: for the memory cap. */
export function hog(): i32 {
  const chunks = new Array<ArrayBuffer>();
  while (true) {
    chunks.push(new ArrayBuffer(1 << 20));
  }
}

/** Throws: fails the call with "boom at assembly/index.ts:<line>:<column>". */
export function boom(): string {
  throw new Error("boom");
}

/** Fails an assertion: "assertion failed at ...". */
export function check(v: i32): i32 {
  assert(v > 0, "v must be positive");
  return v;
}

/** Calls abort() without arguments: fails the call with "aborted" (a direct call carries no location). */
export function quit(): void {
  abort();
}

/** Divides: a zero divisor traps (integer division by zero). */
export function divide(a: i32, b: i32): i32 {
  return a / b;
}

/** Recurses without end: a stack overflow trap. */
export function recurse(n: i32): i32 {
  return recurse(n + 1) + 1;
}
