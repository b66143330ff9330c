// GraphQL endpoints declared in wafer.json (`graphql.execute`, docs/abi.md §3.1).

import { hostCall } from "./internal/capability";
import { Json, JsonValue, parseJsonBytes } from "./json";

/** A GraphQL response: `data` and the messages of `errors`. */
export class GraphQLResult {
  constructor(
    /** The `data` member (a null value when absent). */
    public data: JsonValue,
    /** The `message` of each entry of `errors`. */
    public errors: string[],
    /** The whole response. */
    public response: JsonValue,
  ) {}

  get ok(): bool { return this.errors.length == 0; }
}

function request(connection: string, query: string, variablesJson: string | null, operationName: string | null): string {
  let r = "{\"connection\":" + Json.quote(connection) + ",\"query\":" + Json.quote(query);
  if (variablesJson !== null) r += ",\"variables\":" + Json.parse(variablesJson).toString();
  if (operationName !== null) r += ",\"operationName\":" + Json.quote(operationName);
  return r + "}";
}

export namespace graphql {
  /**
   * Runs a query or mutation on a `graphql` connection and returns the response JSON text as the
   * endpoint sent it (`{"data": ..., "errors": ...}`). GraphQL errors are part of the response; a
   * transport failure aborts the call.
   *
   *   let json = graphql.execute("dgraph", "query($id: ID!) { getPerson(id: $id) { name } }", '{"id": "0x1"}');
   */
  export function execute(connection: string, query: string, variablesJson: string | null = null, operationName: string | null = null): string {
    return String.UTF8.decode(hostCall("graphql.execute", request(connection, query, variablesJson, operationName)));
  }

  /** Like `execute`, parsed: `result.data.get("getPerson").get("name").asString()`, `result.errors`. */
  export function query(connection: string, query: string, variablesJson: string | null = null, operationName: string | null = null): GraphQLResult {
    let buf = hostCall("graphql.execute", request(connection, query, variablesJson, operationName));
    let v = parseJsonBytes(changetype<usize>(buf), <usize>buf.byteLength, "graphql.execute response");
    let errors: string[] = [];
    let e = v.get("errors");
    for (let i = 0; i < e.length; i++) {
      let m = e.at(i).get("message");
      errors.push(m.isString ? m.asString() : e.at(i).toString());
    }
    return new GraphQLResult(v.get("data"), errors, v);
  }
}
