import { authHeaders } from '../api';

interface GraphQLParams { query: string; variables?: unknown; operationName?: string | null }

/** Sends GraphiQL's requests to this server's /graphql with the headers typed in the editor (else the console's token). */
export function graphqlFetcher(url: string) {
  return async (params: GraphQLParams, options?: { headers?: Record<string, string> }) => {
    const headers = { 'Content-Type': 'application/json', Accept: 'application/graphql-response+json, application/json', ...authHeaders(), ...(options?.headers ?? {}) };
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(params) });
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      return { errors: [{ message: `${response.status} ${response.statusText}: ${text.slice(0, 500)}` }] };
    }
  };
}
