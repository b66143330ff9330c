using System.Text.Json;

namespace Wafer.Runtime.Lambda;

/// <summary>
/// The body Dgraph Alpha POSTs to its lambda URL: <c>{"resolver": "Type.field", "args": {…}, "parents": [{…}] or
/// null, "authHeader": {"key": …, "value": …}}</c>. <c>parents</c> is set for field resolvers on a type and
/// absent or null for root queries and mutations. An <c>@lambdaOnMutate</c> webhook comes as
/// <c>{"resolver": "$webhook", "event": {"__typename": "Author", "operation": "add", …}}</c> and is addressed
/// as <c>Author.add</c>, the way Dgraph's own lambda server keys webhook handlers.
/// </summary>
internal sealed record LambdaRequest(string Resolver, JsonElement Args, JsonElement[]? Parents, JsonElement? AuthHeader)
{
    public const string WebhookResolver = "$webhook";

    /// <summary>The mutation event of a webhook; null for @lambda fields.</summary>
    public JsonElement? Event { get; init; }

    public bool IsWebhook => Event is not null;

    /// <summary>Parses a request body; returns null and a message on anything malformed.</summary>
    public static LambdaRequest? Parse(JsonElement root, out string? error)
    {
        error = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = "the body must be a JSON object with \"resolver\", \"args\" and optionally \"parents\"";
            return null;
        }

        if (!root.TryGetProperty("resolver", out var resolver) || resolver.ValueKind != JsonValueKind.String || resolver.GetString()!.Length == 0)
        {
            error = "\"resolver\" is missing: name the field, like \"Query.getPerson\"";
            return null;
        }

        var args = root.TryGetProperty("args", out var a) && a.ValueKind != JsonValueKind.Null ? a : default;
        if (args.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Object))
        {
            error = "\"args\" must be a JSON object";
            return null;
        }

        JsonElement[]? parents = null;
        if (root.TryGetProperty("parents", out var p) && p.ValueKind != JsonValueKind.Null)
        {
            if (p.ValueKind != JsonValueKind.Array)
            {
                error = "\"parents\" must be an array or null";
                return null;
            }

            parents = [.. p.EnumerateArray()];
        }

        JsonElement? auth = root.TryGetProperty("authHeader", out var h) && h.ValueKind == JsonValueKind.Object ? h : null;
        if (resolver.GetString() == WebhookResolver)
        {
            return ParseWebhook(root, auth, out error);
        }

        return new LambdaRequest(resolver.GetString()!, args, parents, auth);
    }

    private static LambdaRequest? ParseWebhook(JsonElement root, JsonElement? auth, out string? error)
    {
        error = null;
        if (!root.TryGetProperty("event", out var e) || e.ValueKind != JsonValueKind.Object)
        {
            error = "a webhook (\"resolver\": \"$webhook\") needs an \"event\" object";
            return null;
        }

        if (!e.TryGetProperty("__typename", out var type) || type.ValueKind != JsonValueKind.String || type.GetString()!.Length == 0
            || !e.TryGetProperty("operation", out var operation) || operation.ValueKind != JsonValueKind.String || operation.GetString()!.Length == 0)
        {
            error = "a webhook's \"event\" needs \"__typename\" and \"operation\" strings";
            return null;
        }

        return new LambdaRequest(type.GetString() + "." + operation.GetString(), default, null, auth) { Event = e };
    }
}
