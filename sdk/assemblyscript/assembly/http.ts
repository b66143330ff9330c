// Outbound HTTP through the host (`http.fetch`, docs/abi.md §3.1). Only URLs under a connection the
// manifest declares are reachable; the connection's headers (secrets included) are added by the host.

import { hostCall } from "./internal/capability";
import { base64Encode, base64Decode } from "./internal/base64";
import { Json, JsonValue, parseJsonBytes } from "./json";

/** HTTP headers: an ordered list of name/value pairs; names compare case-insensitively. */
export class Headers {
  /** [name, value] pairs in order. */
  entries: string[][] = [];

  /** Adds a header (keeping others of the same name). */
  append(name: string, value: string): Headers {
    this.entries.push([name, value]);
    return this;
  }

  /** Sets a header, replacing every other of the same name. */
  set(name: string, value: string): Headers {
    this.delete(name);
    return this.append(name, value);
  }

  /** Removes every header named `name`. */
  delete(name: string): Headers {
    let lower = name.toLowerCase();
    let kept: string[][] = [];
    for (let i = 0; i < this.entries.length; i++) {
      if (this.entries[i][0].toLowerCase() != lower) kept.push(this.entries[i]);
    }
    this.entries = kept;
    return this;
  }

  /** The first value of header `name` (any case), or null. */
  get(name: string): string | null {
    let lower = name.toLowerCase();
    for (let i = 0; i < this.entries.length; i++) {
      let e = this.entries[i];
      if (e[0].toLowerCase() == lower) return e[1];
    }
    return null;
  }

  /** Every value of header `name` (any case). */
  getAll(name: string): string[] {
    let lower = name.toLowerCase();
    let out: string[] = [];
    for (let i = 0; i < this.entries.length; i++) {
      let e = this.entries[i];
      if (e[0].toLowerCase() == lower) out.push(e[1]);
    }
    return out;
  }

  has(name: string): bool { return this.get(name) !== null; }
}

/** How to send a request. Every field is optional in an object literal: `{ method: "POST", body: "hi" }`. */
export class RequestOptions {
  /** The HTTP method; GET by default. */
  method: string = "GET";
  headers: Headers = new Headers();
  /** A text body, sent as UTF-8. */
  body: string | null = null;
  /** A binary body (wins over `body`). */
  bytes: Uint8Array | null = null;

  /** Sets a header; returns this, for chaining. */
  header(name: string, value: string): RequestOptions {
    this.headers.set(name, value);
    return this;
  }
}

/** An HTTP response. Error statuses (404, 500...) are responses too: check `ok` or `status`. */
export class Response {
  constructor(
    public status: i32,
    public statusText: string,
    public headers: Headers,
    private _body: Uint8Array,
  ) {}

  /** Whether the status is 2xx. */
  get ok(): bool { return this.status >= 200 && this.status < 300; }

  /** The body as UTF-8 text. */
  text(): string { return String.UTF8.decodeUnsafe(this._body.dataStart, <usize>this._body.length); }

  /** The body bytes. */
  bytes(): Uint8Array { return this._body; }

  /** The body parsed as JSON (aborts if it is not JSON). */
  json(): JsonValue { return parseJsonBytes(this._body.dataStart, <usize>this._body.length, "HTTP response body"); }
}

function headersJson(h: Headers): string {
  let parts = new Array<string>(h.entries.length);
  for (let i = 0; i < parts.length; i++) parts[i] = "[" + Json.quote(h.entries[i][0]) + "," + Json.quote(h.entries[i][1]) + "]";
  return "[" + parts.join(",") + "]";
}

export namespace http {
  /**
   * Sends a request and returns the response. `url` must be under the `baseUrl` of an `http`
   * connection in wafer.json. A refused or failed request (denied URL, missing secret, timeout,
   * connection error) aborts the call with the host's message.
   *
   *   let r = http.fetch("https://api.example.com/v1/items?id=3");
   *   let r2 = http.fetch(url, { method: "POST", headers: new Headers().set("Content-Type", "application/json"), body: "{}" });
   */
  export function fetch(url: string, options: RequestOptions | null = null): Response {
    let o = options ? options : new RequestOptions();
    let body = "null";
    let bytes = o.bytes;
    if (bytes) body = "\"" + base64Encode(bytes) + "\"";
    else {
      let text = o.body;
      if (text !== null) body = "\"" + base64Encode(Uint8Array.wrap(String.UTF8.encode(text))) + "\"";
    }
    let request = "{\"url\":" + Json.quote(url) + ",\"method\":" + Json.quote(o.method) +
      ",\"headers\":" + headersJson(o.headers) + ",\"body\":" + body + "}";
    let buf = hostCall("http.fetch", request);
    let v = parseJsonBytes(changetype<usize>(buf), <usize>buf.byteLength, "http.fetch response");
    let headers = new Headers();
    let hs = v.get("headers");
    for (let i = 0; i < hs.length; i++) {
      let h = hs.at(i);
      headers.append(h.at(0).asString(), h.at(1).asString());
    }
    let b = v.get("body");
    return new Response(v.get("status").asI32(), v.get("statusText").stringOr(""), headers,
      b.isString ? base64Decode(b.asString()) : new Uint8Array(0));
  }

  /** A GET request. */
  export function get(url: string): Response {
    return fetch(url);
  }

  /** A POST with a text body and a Content-Type (default `application/json`). */
  export function post(url: string, body: string, contentType: string = "application/json"): Response {
    let o = new RequestOptions();
    o.method = "POST";
    o.body = body;
    o.headers.set("Content-Type", contentType);
    return fetch(url, o);
  }
}
