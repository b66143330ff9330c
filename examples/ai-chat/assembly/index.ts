// AI chat: a chat model and an embeddings model declared in wafer.json, through models.chat / models.embed.
// Every call is recorded in the inference history (GET /api/inferences).
import { models, ChatMessage, ChatOptions, config } from "@wafer/sdk";

/** An answer and what it cost. */
export class Reply {
  text: string = "";
  totalTokens: i64 = 0;
}

/** Asks the assistant one question. */
export function ask(question: string): Reply {
  let system = config.getOr("systemPrompt", "You are a helpful assistant.");
  let options = new ChatOptions();
  options.temperature = 0.2;
  options.maxTokens = 300;
  let r = models.chat("assistant", [ChatMessage.system(system), ChatMessage.user(question)], options);
  let reply = new Reply();
  reply.text = r.text;
  reply.totalTokens = r.usage.totalTokens;
  return reply;
}

/** One turn of a conversation. */
export class Turn {
  role: string = "user";
  content: string = "";
}

/** Continues a conversation (earlier turns first) and returns the assistant's next message. */
export function chat(turns: Turn[]): string {
  let messages: ChatMessage[] = [ChatMessage.system(config.getOr("systemPrompt", "You are a helpful assistant."))];
  for (let i = 0; i < turns.length; i++) messages.push(new ChatMessage(turns[i].role, turns[i].content));
  return models.chat("assistant", messages).text;
}

/** The embedding vector of a text. */
export function embed(text: string): f64[] {
  return models.embedOne("embedder", text);
}

function cosine(a: f64[], b: f64[]): f64 {
  let dot = 0.0, na = 0.0, nb = 0.0;
  for (let i = 0; i < a.length && i < b.length; i++) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
  return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** A candidate text and how similar it is to the query (cosine similarity, -1..1). */
export class Match {
  text: string = "";
  score: f64 = 0;
}

/** Ranks candidate texts by semantic similarity to a query (one embeddings call for all texts). */
export function rank(query: string, candidates: string[]): Match[] {
  let inputs = [query].concat(candidates);
  let vectors = models.embed("embedder", inputs);
  let out: Match[] = [];
  for (let i = 0; i < candidates.length; i++) {
    let m = new Match();
    m.text = candidates[i];
    m.score = cosine(vectors[0], vectors[i + 1]);
    out.push(m);
  }
  out.sort((a: Match, b: Match): i32 => (b.score > a.score ? 1 : b.score < a.score ? -1 : 0));
  return out;
}
