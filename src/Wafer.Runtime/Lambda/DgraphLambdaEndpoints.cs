using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Wafer.Hosting.Http;
using Wafer.Protocol.Calls;
using Wafer.Protocol.Http;
using Wafer.Protocol.Problems;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.Execution;
using Wafer.Runtime.Hosting;
using Wafer.Runtime.Invocation;

namespace Wafer.Runtime.Lambda;

/// <summary>
/// <c>POST /graphql-worker</c>: Dgraph Lambda compatibility (docs/dgraph-lambda.md). Answers the resolver's
/// value for root fields, and an array with one value per parent for field resolvers. Failures answer
/// <c>{"errors": [{"message": …}]}</c> with a 4xx or 5xx status, which Dgraph reports as the field's error.
/// A webhook answers the function's value too; Dgraph ignores it.
/// </summary>
internal static class DgraphLambdaEndpoints
{
    public const string Path = "/graphql-worker";

    public static IEndpointRouteBuilder MapWaferDgraphLambda(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Path, HandleAsync);
        return endpoints;
    }

    private static async Task HandleAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var limit = services.GetRequiredService<IOptions<RuntimeOptions>>().Value.MaxRequestBytes;
        var body = await RequestBody.ReadAsync(context.Request.BodyReader, context.Request.ContentLength, limit, context.RequestAborted);
        if (body is null)
        {
            await ErrorAsync(context, ProblemTypes.TooLarge, $"the request body exceeds {limit} bytes");
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            await ErrorAsync(context, ProblemTypes.BadRequest, $"the request body is not valid JSON: {ex.Message}");
            return;
        }

        using (document)
        {
            var request = LambdaRequest.Parse(document.RootElement, out var error);
            if (request is null)
            {
                await ErrorAsync(context, ProblemTypes.BadRequest, error!);
                return;
            }

            await ResolveAsync(context, request);
        }
    }

    private static async Task ResolveAsync(HttpContext context, LambdaRequest request)
    {
        var catalog = context.RequestServices.GetRequiredService<PluginCatalog>();
        var invoker = context.RequestServices.GetRequiredService<FunctionInvoker>();
        var slots = context.RequestServices.GetRequiredService<CallSlots>();
        var resolved = LambdaResolvers.Find(catalog.Current, request.Resolver, request.IsWebhook);
        if (resolved.Function is not { } function)
        {
            await ErrorAsync(context, resolved.Ambiguous ? ProblemTypes.Ambiguous : ProblemTypes.NotFound, resolved.Error!);
            return;
        }

        var parents = request.Parents;
        var results = new List<byte[]>(parents?.Length ?? 1);
        IEnumerable<JsonElement?> calls = parents is null ? [null] : parents.Select(p => (JsonElement?)p);
        foreach (var parent in calls)
        {
            using var arguments = LambdaArguments.Build(request, parent, function.Metadata, function.Plugin.Metadata);
            var positional = new ArrayBufferWriter<byte>();
            if (ArgumentBinder.Bind(arguments.RootElement, function.Metadata, function.Plugin.Metadata, positional) is { } bad)
            {
                await ErrorAsync(context, ProblemTypes.BadRequest, $"{request.Resolver} ({function.QualifiedName}): {bad}");
                return;
            }

            var share = function.Share;
            if (await slots.EnterAsync(share) is var admission and not Admission.Entered)
            {
                context.Response.Headers.RetryAfter = "1";
                await ErrorAsync(context, ProblemTypes.Busy, BusyProblems.Detail(function.QualifiedName, admission, slots.Options));
                return;
            }

            CallOutcome? outcome;
            try
            {
                outcome = invoker.TryInvoke(function, positional.WrittenSpan);
                if (outcome is null && catalog.Current.ByQualifiedName.TryGetValue(function.QualifiedName, out var reloaded))
                {
                    function = reloaded;
                    outcome = invoker.TryInvoke(function, positional.WrittenSpan);
                }
            }
            finally
            {
                slots.Exit(share);
            }

            if (outcome is not { } ended)
            {
                await ErrorAsync(context, ProblemTypes.Unavailable, $"{function.QualifiedName} was unloaded during the call; retry");
                return;
            }

            context.Response.Headers.Append(WaferHeaders.CallId, ended.CallId);
            if (!ended.Succeeded)
            {
                await ErrorAsync(context, ended.Status.Problem(), $"{function.QualifiedName} failed: {ended.Cause}: {ended.Message}", ended);
                return;
            }

            results.Add(ended.ResultJson!);
        }

        context.Response.ContentType = "application/json";
        var writer = context.Response.BodyWriter;
        if (parents is null)
        {
            writer.Write(results[0]);
        }
        else
        {
            writer.Write("["u8);
            for (var i = 0; i < results.Count; i++)
            {
                if (i > 0)
                {
                    writer.Write(","u8);
                }

                writer.Write(results[i]);
            }

            writer.Write("]"u8);
        }

        await writer.FlushAsync(context.RequestAborted);
    }

    /// <summary>A problem that also carries <c>errors</c> as Dgraph reads a lambda's failure: <c>[{"message": …}]</c>.</summary>
    private static Task ErrorAsync(HttpContext context, ProblemType type, string message, CallOutcome? outcome = null)
    {
        var error = outcome is not { } ended
            ? (object)new { message }
            : new { message, extensions = new { cause = ended.Cause, callId = ended.CallId } };
        return Problems.Create(type, message, extensions: [new("errors", new[] { error })]).ExecuteAsync(context);
    }
}
