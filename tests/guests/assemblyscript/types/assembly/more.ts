// Offered through `export * from "./more"` in index.ts.

export function echoU64s(v: u64[]): u64[] {
  return v;
}

export function echoI64s(v: i64[]): i64[] {
  return v;
}
