// Non-secret configuration values from wafer.json (`config`, docs/abi.md §3.1).

import { hostCall } from "./internal/capability";
import { Json, parseJsonBytes } from "./json";

export namespace config {
  /** The value of `key` in the manifest's `config`, or null when it has none. */
  export function get(key: string): string | null {
    let buf = hostCall("config.get", "{\"key\":" + Json.quote(key) + "}");
    let v = parseJsonBytes(changetype<usize>(buf), <usize>buf.byteLength, "config.get response").get("value");
    return v.isString ? v.asString() : null;
  }

  /** The value of `key`, or `fallback` when the manifest has none. */
  export function getOr(key: string, fallback: string): string {
    let v = get(key);
    return v !== null ? v : fallback;
  }
}
