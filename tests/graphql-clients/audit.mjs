// Runs the GraphQL-over-HTTP audit suite (graphql-http's serverAudits) against a live /graphql endpoint and prints
// one JSON array: [{ id, name, status: "ok" | "warn" | "error", reason }]. The .NET tests start the server, run
// this with node, and judge the results (every MUST must pass).
//
// Usage: node audit.mjs http://127.0.0.1:PORT/graphql
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs <graphql endpoint URL>');
  process.exit(2);
}

const results = [];
for (const audit of serverAudits({ url, fetchFn: fetch })) {
  const result = await audit.fn();
  results.push({ id: result.id, name: result.name, status: result.status, reason: result.status === 'ok' ? null : result.reason });
}

process.stdout.write(JSON.stringify(results));
