// @wafer/sdk: the guest runtime for Wafer plugins written in AssemblyScript.
//
// Write plain exported functions in assembly/index.ts; the SDK's build (`wafer-build`) generates the
// glue that decodes arguments, calls them and encodes results, and embeds the metadata the host reads.
// One file per host capability: log.ts today; http, models, sql, graphql and config follow.

export { log } from "./log";
export { Box } from "./box";
