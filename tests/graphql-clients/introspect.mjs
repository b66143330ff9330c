// Introspects a live /graphql endpoint the way current GraphQL tools do, with graphql-js itself: the introspection
// query with every optional feature the server claims (specifiedByURL, isRepeatable, input value deprecation,
// oneOf), then buildClientSchema on the answer and validateSchema on the result. Prints one JSON object:
// { status, errors, validation, directives, sdl } where errors are the server's and validation graphql-js's.
//
// Usage: node introspect.mjs http://127.0.0.1:PORT/graphql
import { buildClientSchema, getIntrospectionQuery, printSchema, validateSchema } from 'graphql';

const url = process.argv[2];
if (!url) {
  console.error('usage: node introspect.mjs <graphql endpoint URL>');
  process.exit(2);
}

const query = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
  oneOf: true,
});
const response = await fetch(url, {
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
  body: JSON.stringify({ query }),
});
const body = await response.json();
const out = { status: response.status, errors: body.errors ?? null, validation: null, directives: null, sdl: null };
if (body.data) {
  try {
    const schema = buildClientSchema(body.data);
    out.validation = validateSchema(schema).map((error) => error.message);
    out.directives = schema.getDirectives().map((d) => ({ name: d.name, isRepeatable: d.isRepeatable, locations: d.locations }));
    out.sdl = printSchema(schema);
  } catch (error) {
    out.validation = [`buildClientSchema failed: ${error.message}`];
  }
}

process.stdout.write(JSON.stringify(out));
