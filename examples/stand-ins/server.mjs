#!/usr/bin/env node
// Local stand-ins for the examples, so they run without accounts or keys (no dependencies):
//
//   GET  /weather/current?city=Lisbon&units=metric   a fake weather API (needs any X-Api-Key header)
//   POST /v1/chat/completions                        an OpenAI-compatible chat model (answers deterministically)
//   POST /v1/embeddings                              OpenAI-compatible embeddings (8-dimensional, from the text)
//
// node examples/stand-ins/server.mjs [port]   (default 8690, or WAFER_STANDINS_PORT); listens on 127.0.0.1 only.

import http from "node:http";

const port = Number(process.argv[2] ?? process.env.WAFER_STANDINS_PORT ?? 8690);

function json(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function hash(text) {
  let h = 2166136261;
  for (const c of Buffer.from(text)) h = Math.imul(h ^ c, 16777619) >>> 0;
  return h;
}

function weather(url, req, res) {
  if (!req.headers["x-api-key"]) return json(res, 401, { error: "missing X-Api-Key" });
  const city = url.searchParams.get("city") || "Lisbon";
  const metric = (url.searchParams.get("units") || "metric") === "metric";
  const h = hash(city.toLowerCase());
  const celsius = (h % 350) / 10 - 5;
  const conditions = ["clear", "cloudy", "rain", "windy", "fog"][h % 5];
  json(res, 200, {
    city, conditions, source: "stand-in",
    temperature: metric ? Math.round(celsius * 10) / 10 : Math.round((celsius * 9 / 5 + 32) * 10) / 10,
    units: metric ? "celsius" : "fahrenheit",
    humidity: 40 + (h % 50),
  });
}

function chat(body, res) {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const last = [...messages].reverse().find(m => m.role === "user")?.content ?? "";
  const system = messages.find(m => m.role === "system")?.content;
  const content = `(stand-in model) You said: "${last}".` + (system ? ` I was told: "${system}".` : "");
  const words = s => String(s).split(/\s+/).filter(Boolean).length;
  const prompt = messages.reduce((n, m) => n + words(m.content ?? ""), 0);
  json(res, 200, {
    id: "chatcmpl-standin", object: "chat.completion", created: Math.floor(Date.now() / 1000), model: body.model,
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
    usage: { prompt_tokens: prompt, completion_tokens: words(content), total_tokens: prompt + words(content) },
  });
}

function embeddings(body, res) {
  const inputs = Array.isArray(body.input) ? body.input : [body.input ?? ""];
  const data = inputs.map((text, index) => {
    // a bag of character trigrams folded into 8 dimensions, normalized: similar texts get similar vectors
    const v = new Array(8).fill(0);
    const t = ` ${String(text).toLowerCase()} `;
    for (let i = 0; i + 3 <= t.length; i++) v[hash(t.slice(i, i + 3)) % 8] += 1;
    const norm = Math.hypot(...v) || 1;
    return { object: "embedding", index, embedding: v.map(x => Math.round((x / norm) * 1e6) / 1e6) };
  });
  const tokens = inputs.reduce((n, s) => n + String(s).split(/\s+/).filter(Boolean).length, 0);
  json(res, 200, { object: "list", model: body.model, data, usage: { prompt_tokens: tokens, total_tokens: tokens } });
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, `http://${req.headers.host}`);
  let raw = "";
  req.on("data", c => (raw += c));
  req.on("end", () => {
    try {
      if (req.method === "GET" && url.pathname === "/weather/current") return weather(url, req, res);
      if (req.method === "POST" && url.pathname === "/v1/chat/completions") return chat(JSON.parse(raw || "{}"), res);
      if (req.method === "POST" && url.pathname === "/v1/embeddings") return embeddings(JSON.parse(raw || "{}"), res);
      json(res, 404, { error: `no stand-in for ${req.method} ${url.pathname}` });
    } catch (e) {
      json(res, 400, { error: String(e.message) });
    }
  });
});

server.listen(port, "127.0.0.1", () => console.log(`stand-ins listening on http://127.0.0.1:${port} (weather, OpenAI-compatible chat and embeddings)`));
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
