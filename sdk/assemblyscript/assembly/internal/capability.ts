// Host capability calls (docs/abi.md §3.1): one request, one response; a failure ends the call.

import { host_call, host_response, host_abort } from "./host";

/**
 * Runs capability `op` with a JSON request and returns the UTF-8 JSON response. A failure (denied URL,
 * missing secret, upstream error, ...) aborts the call with the host's message, which starts with the
 * operation: `http.fetch: https://evil.example/ is not under any declared connection`.
 */
export function hostCall(op: string, request: string): ArrayBuffer {
  let o = String.UTF8.encode(op);
  let r = String.UTF8.encode(request);
  let n = host_call(changetype<usize>(o), <usize>o.byteLength, changetype<usize>(r), <usize>r.byteLength);
  let size = n < 0 ? -n : n;
  let buf = new ArrayBuffer(size);
  host_response(changetype<usize>(buf));
  if (n < 0) {
    host_abort(changetype<usize>(buf), <usize>size);
    unreachable();
  }
  return buf;
}
