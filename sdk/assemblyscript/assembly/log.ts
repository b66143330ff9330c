// Logging: each call becomes one line in the host's log, stored with the plugin, function and call id.
// Lines longer than 16 KiB are cut by the host.

import { host_log } from "./internal/host";
import { utf8Length, utf8Encode } from "./internal/utf8";

function write(level: i32, message: string): void {
  let units = <usize>message.length;
  let n = utf8Length(changetype<usize>(message), units, false);
  let buf = heap.alloc(n);
  utf8Encode(changetype<usize>(message), units, buf, false);
  host_log(level, buf, n);
  heap.free(buf);
}

export namespace log {
  /** Logs at debug level. */
  export function debug(message: string): void { write(0, message); }
  /** Logs at info level. */
  export function info(message: string): void { write(1, message); }
  /** Logs at warning level. */
  export function warn(message: string): void { write(2, message); }
  /** Logs at error level. The call still succeeds: throw to fail it. */
  export function error(message: string): void { write(3, message); }
}
