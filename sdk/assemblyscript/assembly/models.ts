// AI models declared in wafer.json (`models`), served by OpenAI-compatible endpoints, through the host's
// `models.invoke` (docs/abi.md §3.1). The host adds the model id and the connection's credentials and
// records every call in the inference history.

import { hostCall } from "./internal/capability";
import { Json, JsonValue, parseJsonBytes } from "./json";

/** One message of a chat. */
export class ChatMessage {
  constructor(public role: string, public content: string) {}

  static system(content: string): ChatMessage { return new ChatMessage("system", content); }
  static user(content: string): ChatMessage { return new ChatMessage("user", content); }
  static assistant(content: string): ChatMessage { return new ChatMessage("assistant", content); }
}

/** Optional settings of a chat completion; unset ones are not sent. */
export class ChatOptions {
  /** Sampling temperature; NaN (the default) leaves it to the endpoint. */
  temperature: f64 = NaN;
  /** Most tokens to generate; 0 (the default) leaves it to the endpoint. */
  maxTokens: i32 = 0;
  /** Ask for a JSON object (`response_format: {"type": "json_object"}`). */
  jsonMode: bool = false;
  /** More request members as a JSON object's text, merged in (for example `{"top_p": 0.9}`). */
  extra: string | null = null;
}

/** Token counts the endpoint reported (0 when it did not). */
export class Usage {
  constructor(public promptTokens: i64, public completionTokens: i64, public totalTokens: i64) {}
}

/** The assistant's answer. */
export class ChatResult {
  constructor(
    /** The assistant message's text (the first choice). */
    public text: string,
    /** Why generation stopped (`stop`, `length`...), or "" if not reported. */
    public finishReason: string,
    public usage: Usage,
    /** The whole response, for anything else (other choices, tool calls). */
    public response: JsonValue,
  ) {}
}

function usageOf(v: JsonValue): Usage {
  let u = v.get("usage");
  let n = (name: string, u: JsonValue): i64 => u.get(name).isNumber ? u.get(name).asI64() : 0;
  return new Usage(n("prompt_tokens", u), n("completion_tokens", u), n("total_tokens", u));
}

function fail(message: string): void {
  throw new Error(message);
}

export namespace models {
  /**
   * Sends `input` (an OpenAI request body without `"model"`, as JSON text) to the model named in
   * wafer.json and returns the endpoint's JSON response as is. A failure aborts the call.
   */
  export function invoke(model: string, inputJson: string): string {
    let buf = hostCall("models.invoke", "{\"model\":" + Json.quote(model) + ",\"input\":" + inputJson + "}");
    return String.UTF8.decode(buf);
  }

  function invokeJson(model: string, inputJson: string): JsonValue {
    let buf = hostCall("models.invoke", "{\"model\":" + Json.quote(model) + ",\"input\":" + inputJson + "}");
    return parseJsonBytes(changetype<usize>(buf), <usize>buf.byteLength, "models.invoke response");
  }

  /**
   * A chat completion with a `chat` model:
   *
   *   let r = models.chat("assistant", [ChatMessage.system("Be brief."), ChatMessage.user("Hi!")]);
   *   log.info(r.text + " (" + r.usage.totalTokens.toString() + " tokens)");
   */
  export function chat(model: string, messages: ChatMessage[], options: ChatOptions | null = null): ChatResult {
    let parts = new Array<string>(messages.length);
    for (let i = 0; i < messages.length; i++) {
      parts[i] = "{\"role\":" + Json.quote(messages[i].role) + ",\"content\":" + Json.quote(messages[i].content) + "}";
    }
    let input = "{\"messages\":[" + parts.join(",") + "]";
    if (options) {
      if (!isNaN(options.temperature)) input += ",\"temperature\":" + options.temperature.toString();
      if (options.maxTokens > 0) input += ",\"max_tokens\":" + options.maxTokens.toString();
      if (options.jsonMode) input += ",\"response_format\":{\"type\":\"json_object\"}";
      let extra = options.extra;
      if (extra !== null) {
        let e = Json.parse(extra);
        let keys = e.keys();
        for (let i = 0; i < keys.length; i++) input += "," + Json.quote(keys[i]) + ":" + e.get(keys[i]).toString();
      }
    }
    input += "}";
    let v = invokeJson(model, input);
    let choice = v.get("choices").at(0);
    if (choice.isNull) fail("models.chat: the response of model '" + model + "' has no choices: " + v.toString());
    return new ChatResult(choice.get("message").get("content").stringOr(""), choice.get("finish_reason").stringOr(""), usageOf(v), v);
  }

  /** Asks a `chat` model one question (a single user message) and returns the answer's text. */
  export function ask(model: string, question: string, system: string | null = null): string {
    let messages: ChatMessage[] = [];
    if (system !== null) messages.push(ChatMessage.system(system));
    messages.push(ChatMessage.user(question));
    return chat(model, messages).text;
  }

  /**
   * Embeds each input with an `embeddings` model; the vectors come back in input order.
   *
   *   let vectors = models.embed("embedder", ["first text", "second text"]);
   */
  export function embed(model: string, inputs: string[]): f64[][] {
    let parts = new Array<string>(inputs.length);
    for (let i = 0; i < inputs.length; i++) parts[i] = Json.quote(inputs[i]);
    let v = invokeJson(model, "{\"input\":[" + parts.join(",") + "]}");
    let data = v.get("data");
    let out = new Array<f64[]>(inputs.length);
    for (let i = 0; i < inputs.length; i++) out[i] = [];
    for (let i = 0; i < data.length; i++) {
      let item = data.at(i);
      let index = item.get("index").isNumber ? item.get("index").asI32() : i;
      if (index < 0 || index >= inputs.length) fail("models.embed: the response of model '" + model + "' has an embedding for index " + index.toString());
      let e = item.get("embedding");
      let vec = new Array<f64>(e.length);
      for (let k = 0; k < e.length; k++) vec[k] = e.at(k).asF64();
      out[index] = vec;
    }
    return out;
  }

  /** Embeds one text. */
  export function embedOne(model: string, input: string): f64[] {
    return embed(model, [input])[0];
  }
}
