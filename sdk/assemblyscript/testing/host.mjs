// A tiny JS implementation of the Wafer host side of ABI v1 (docs/abi.md), enough to exercise guests:
// instantiate, write the JSON arguments through wafer_alloc, call wafer_invoke, collect result and logs.

import fs from "node:fs";

export class GuestAbort extends Error {}

/** Thrown by an onHostCall handler: the guest sees a capability failure (n < 0) with this message. */
export class HostCallError extends Error {}

export class Guest {
  /** @param {string|Uint8Array} wasm a path or the module bytes */
  constructor(wasm) {
    const bytes = typeof wasm === "string" ? fs.readFileSync(wasm) : wasm;
    this.module = new WebAssembly.Module(bytes);
    const [section] = WebAssembly.Module.customSections(this.module, "wafer.meta");
    this.meta = JSON.parse(new TextDecoder().decode(section));
    this.metaText = new TextDecoder().decode(section);
    this.instance = null;
    this.logs = [];
    /** Every capability call the guest made: { op, request (parsed), text (as sent) }. */
    this.hostCalls = [];
    /**
     * Answers capability calls: (op, request, text) => a response (an object, serialized as JSON, or a
     * string sent as is), or throw a HostCallError to answer with a failure. The default fails every call.
     */
    this.onHostCall = op => { throw new HostCallError(`${op}: no fake answer configured`); };
  }

  /** The function's index in the metadata (its id for wafer_invoke). */
  index(name) {
    const i = this.meta.functions.findIndex(f => f.name === name);
    if (i < 0) throw new Error(`no function ${name}`);
    return i;
  }

  instantiate() {
    const state = this;
    const text = (ptr, len) => new TextDecoder().decode(new Uint8Array(state.memory.buffer, ptr, len));
    const imports = {
      wafer: {
        result(ptr, len) { state.resultBytes = new Uint8Array(state.memory.buffer, ptr, len).slice(); },
        log(level, ptr, len) { state.logs.push({ level, message: text(ptr, len) }); },
        abort(ptr, len) { throw new GuestAbort(text(ptr, len)); },
        host_call(opPtr, opLen, reqPtr, reqLen) {
          const op = text(opPtr, opLen);
          const body = text(reqPtr, reqLen);
          let request;
          try { request = JSON.parse(body); } catch { request = undefined; }
          state.hostCalls.push({ op, request, text: body });
          let reply, failed = false;
          try {
            const r = state.onHostCall(op, request, body);
            reply = typeof r === "string" ? r : JSON.stringify(r);
          } catch (e) {
            if (!(e instanceof HostCallError)) throw e;
            reply = e.message;
            failed = true;
          }
          state.pending = new TextEncoder().encode(reply);
          return failed ? -state.pending.length : state.pending.length;
        },
        host_response(ptr) {
          if (!state.pending) throw new Error("host_response with no pending response");
          new Uint8Array(state.memory.buffer, ptr, state.pending.length).set(state.pending);
        },
      },
      env: {
        abort() { throw new GuestAbort("env.abort (should be routed to wafer.abort)"); },
        trace() {},
        seed() { return Date.now(); },
        "Date.now"() { return Date.now(); },
      },
    };
    const wanted = WebAssembly.Module.imports(this.module);
    const given = {};
    for (const { module, name } of wanted) {
      if (!imports[module] || !(name in imports[module])) throw new Error(`unexpected import ${module}.${name}`);
      (given[module] ??= {})[name] = imports[module][name];
    }
    this.instance = new WebAssembly.Instance(this.module, given);
    this.memory = this.instance.exports.memory;
    return this;
  }

  /**
   * Calls a function with its JSON argument array as text. Returns { status, text } where text is the
   * UTF-8 result (or null when the guest did not call wafer.result). Throws GuestAbort or a trap.
   * With { fresh: true } (the host's default), the call gets a new instance.
   */
  callRaw(name, argsJson, { fresh = false } = {}) {
    if (fresh || !this.instance) this.instantiate();
    const { wafer_alloc, wafer_invoke } = this.instance.exports;
    const bytes = new TextEncoder().encode(argsJson);
    const ptr = wafer_alloc(bytes.length);
    new Uint8Array(this.memory.buffer, ptr, bytes.length).set(bytes);
    this.resultBytes = null;
    const status = wafer_invoke(typeof name === "number" ? name : this.index(name), ptr, bytes.length);
    const text = this.resultBytes ? new TextDecoder().decode(this.resultBytes) : null;
    return { status, text };
  }

  /** Calls with JS arguments and returns the parsed result; fails on a non-zero status. */
  call(name, ...args) {
    const { status, text } = this.callRaw(name, JSON.stringify(args));
    if (status !== 0) throw new Error(`guest error ${status}: ${text}`);
    return text === null ? null : JSON.parse(text);
  }
}
