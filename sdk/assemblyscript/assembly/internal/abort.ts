// The AssemblyScript `abort` handler, routed to `wafer.abort` (docs/abi.md §3).
//
// The build selects it with `--use abort=~lib/@wafer/sdk/assembly/internal/abort/waferAbort` (the
// transform sets the same alias when the option is missing), so `throw new Error("boom")`, failed
// assertions and `abort()` fail the call with "boom at assembly/index.ts:12:3".
//
// It allocates nothing: an abort may come from the allocator itself when memory ran out.

import { host_abort } from "./host";
import { utf8Encode } from "./utf8";

// @ts-ignore: decorator
@inline const SIZE: i32 = 2048;
// @ts-ignore: decorator
@lazy const BUF = memory.data(SIZE);

function putAscii(p: usize, s: string, limit: usize): usize {
  return utf8Encode(changetype<usize>(s), <usize>s.length, p, false, limit);
}

function putU32(p: usize, v: u32, limit: usize): usize {
  let n: usize = 1;
  let t = v;
  while (t >= 10) { t /= 10; n++; }
  if (p + n > limit) return p;
  let q = p + n;
  do { store<u8>(--q, v % 10 + 0x30); v /= 10; } while (v);
  return p + n;
}

export function waferAbort(message: string | null = null, fileName: string | null = null, line: u32 = 0, column: u32 = 0): void {
  let limit = BUF + <usize>SIZE;
  let p = BUF;
  if (message !== null) {
    p = utf8Encode(changetype<usize>(message), <usize>message.length, p, false, limit - 256);
  } else {
    p = putAscii(p, "aborted", limit);
  }
  if (fileName !== null) {
    p = putAscii(p, " at ", limit);
    p = utf8Encode(changetype<usize>(fileName), <usize>fileName.length, p, false, limit - 24);
    p = putAscii(p, ":", limit);
    p = putU32(p, line, limit);
    p = putAscii(p, ":", limit);
    p = putU32(p, column, limit);
  }
  host_abort(BUF, p - BUF);
  unreachable();
}
