// The host imports of Wafer ABI v1 (docs/abi.md §3). Everything else in the SDK goes through these.

/** Hands the call's result (UTF-8 JSON, or an error message) to the host. The host copies the bytes. */
// @ts-ignore: decorator
@external("wafer", "result")
export declare function host_result(ptr: usize, len: usize): void;

/** Logs a UTF-8 line: level 0 debug, 1 info, 2 warning, 3 error. */
// @ts-ignore: decorator
@external("wafer", "log")
export declare function host_log(level: i32, ptr: usize, len: usize): void;

/** Fails the call with a UTF-8 message. Never returns: the host traps. */
// @ts-ignore: decorator
@external("wafer", "abort")
export declare function host_abort(ptr: usize, len: usize): void;

/**
 * Calls a host capability (docs/abi.md §3.1): `op` names the operation, the request is UTF-8 JSON.
 * Returns n >= 0 for an n-byte JSON response, n < 0 for a -n-byte error text; read it with host_response.
 */
// @ts-ignore: decorator
@external("wafer", "host_call")
export declare function host_call(opPtr: usize, opLen: usize, reqPtr: usize, reqLen: usize): i32;

/** Copies the pending response of the last host_call to `ptr`. */
// @ts-ignore: decorator
@external("wafer", "host_response")
export declare function host_response(ptr: usize): void;
