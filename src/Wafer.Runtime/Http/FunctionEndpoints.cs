using System.Buffers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.Hosting;
using Wafer.Runtime.Invocation;

namespace Wafer.Runtime.Http;

/// <summary>
/// <c>POST /functions/{name}</c> and <c>POST /functions/{plugin}/{name}</c>: a JSON object of named arguments in,
/// <c>{"result": …}</c> out, or problem details naming what went wrong.
/// </summary>
public static class FunctionEndpoints
{
    private static readonly byte[] ResultPrefix = "{\"result\":"u8.ToArray();
    private static readonly byte[] ResultSuffix = "}"u8.ToArray();

    public static IEndpointRouteBuilder MapWaferFunctions(this IEndpointRouteBuilder endpoints)
    {
        // Singletons, resolved on the first request (not while mapping: options are validated at start) rather
        // than on every request.
        var services = endpoints.ServiceProvider;
        var handler = new Lazy<Handler>(() => new Handler(
            services.GetRequiredService<PluginCatalog>(),
            services.GetRequiredService<FunctionInvoker>(),
            services.GetRequiredService<IOptions<RuntimeOptions>>().Value.MaxRequestBytes));
        endpoints.MapPost("/functions/{name}", (HttpContext context, string name) => HandleAsync(handler.Value, context, null, name));
        endpoints.MapPost("/functions/{plugin}/{name}", (HttpContext context, string plugin, string name) => HandleAsync(handler.Value, context, plugin, name));
        return endpoints;
    }

    private sealed record Handler(PluginCatalog Catalog, FunctionInvoker Invoker, int MaxRequestBytes);

    private static async Task HandleAsync(Handler handler, HttpContext context, string? plugin, string name)
    {
        var catalog = handler.Catalog;
        var limit = handler.MaxRequestBytes;

        var resolved = FunctionResolver.Resolve(catalog.Current, plugin, name);
        if (resolved.Function is null)
        {
            await (resolved.Ambiguous ? Problems.Ambiguous(resolved.Error!) : Problems.NotFound(resolved.Error!)).ExecuteAsync(context);
            return;
        }

        var body = await RequestBody.ReadAsync(context.Request.BodyReader, context.Request.ContentLength, limit, context.RequestAborted);
        if (body is null)
        {
            await Problems.TooLarge(limit).ExecuteAsync(context);
            return;
        }

        var invoker = handler.Invoker;
        var function = resolved.Function;
        var arguments = new ArrayBufferWriter<byte>(body.Length + 16);
        if (ArgumentBinder.Bind(body, function.Metadata, function.Plugin.Metadata, arguments) is { } error)
        {
            await Problems.BadRequest(error, function.QualifiedName).ExecuteAsync(context);
            return;
        }

        var outcome = invoker.TryInvoke(function, arguments.WrittenSpan);
        if (outcome is null && catalog.Current.ByQualifiedName.TryGetValue(function.QualifiedName, out var reloaded))
        {
            function = reloaded;
            outcome = invoker.TryInvoke(function, arguments.WrittenSpan);
        }

        if (outcome is null)
        {
            await Problems.Unavailable(function.QualifiedName).ExecuteAsync(context);
            return;
        }

        context.Response.Headers["X-Wafer-Call-Id"] = outcome.CallId;
        if (!outcome.Succeeded)
        {
            await Problems.CallFailed(function.QualifiedName, outcome).ExecuteAsync(context);
            return;
        }

        var result = outcome.ResultJson!;
        var response = context.Response;
        response.ContentType = "application/json";
        response.ContentLength = ResultPrefix.Length + result.Length + ResultSuffix.Length;
        var writer = response.BodyWriter;
        writer.Write(ResultPrefix);
        writer.Write(result);
        writer.Write(ResultSuffix);
        await writer.FlushAsync(context.RequestAborted);
    }
}
