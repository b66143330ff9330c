// Requests to the server that serves the console. Every request carries the token when one is set (the header bar
// keeps it in this browser's local storage); a refusal becomes an error whose message is the server's problem text.
const tokenKey = 'wafer.token';

export function getToken(): string {
  return localStorage.getItem(tokenKey) ?? '';
}

export function setToken(token: string) {
  if (token) localStorage.setItem(tokenKey, token);
  else localStorage.removeItem(tokenKey);
}

export function authHeaders(): Record<string, string> {
  const token = getToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

export class ProblemError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** The server's words for a failed response: an RFC 7807 problem's title and detail, else the status and body. */
export async function problemText(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const problem = JSON.parse(text);
    if (problem && (problem.title || problem.detail)) {
      return `${response.status} ${problem.title ?? ''}${problem.detail ? ': ' + problem.detail : ''}`.trim();
    }
  } catch {
    // not JSON: the text as it came
  }
  return `${response.status} ${response.statusText}${text ? ': ' + text.slice(0, 500) : ''}`;
}

export async function request(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  for (const [name, value] of Object.entries(authHeaders())) if (!headers.has(name)) headers.set(name, value);
  const response = await fetch(path, { ...init, headers });
  if (!response.ok) throw new ProblemError(response.status, await problemText(response));
  return response;
}

export async function getJson<T>(path: string): Promise<T> {
  return (await request(path, { headers: { Accept: 'application/json' } })).json() as Promise<T>;
}

export async function sendJson<T>(method: string, path: string, body?: unknown): Promise<T | undefined> {
  const response = await request(path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return text ? (JSON.parse(text) as T) : undefined;
}

export function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) search.set(name, value);
  const text = search.toString();
  return text ? '?' + text : '';
}
