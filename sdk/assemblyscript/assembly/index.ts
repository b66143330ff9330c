// @wafer/sdk: the guest runtime for Wafer plugins written in AssemblyScript.
//
// Write plain exported functions in assembly/index.ts; the SDK's build (`wafer-build`) generates the
// glue that decodes arguments, calls them and encodes results, and embeds the metadata the host reads.
// One file per host capability: log, http, models, sql, graphql, config; json.ts reads their responses.

export { log } from "./log";
export { Box } from "./box";
export { http, Headers, RequestOptions, Response } from "./http";
export { models, ChatMessage, ChatOptions, ChatResult, Usage } from "./models";
export { sql, Params, Row } from "./sql";
export { graphql, GraphQLResult } from "./graphql";
export { config } from "./config";
export { Json, JsonValue, JsonKind } from "./json";
