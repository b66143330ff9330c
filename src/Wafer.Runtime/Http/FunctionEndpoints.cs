using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Wafer.Hosting.Http;
using Wafer.Protocol.Calls;
using Wafer.Protocol.Http;
using Wafer.Runtime.Telemetry;

namespace Wafer.Runtime.Http;

/// <summary>
/// <c>POST /functions/{name}</c> and <c>POST /functions/{plugin}/{name}</c>: a JSON object of named arguments in,
/// <c>{"result": …}</c> out, or problem details naming what went wrong.
/// </summary>
internal static class FunctionEndpoints
{
    public static IEndpointRouteBuilder MapWaferFunctions(this IEndpointRouteBuilder endpoints)
    {
        // Resolved on the first request (not while mapping: options are validated at start) rather than on every request.
        var calls = new Lazy<FunctionCalls>(endpoints.ServiceProvider.GetRequiredService<FunctionCalls>);
        endpoints.MapPost("/functions/{name}", (HttpContext context, string name) => HandleAsync(calls.Value, context, null, name));
        endpoints.MapPost("/functions/{plugin}/{name}", (HttpContext context, string plugin, string name) => HandleAsync(calls.Value, context, plugin, name));
        return endpoints;
    }

    private static async Task HandleAsync(FunctionCalls calls, HttpContext context, string? plugin, string name)
    {
        if (calls.Resolve(plugin, name, out var function) is { } notFound)
        {
            await Problems.Of(CallProblem.Of(notFound)).ExecuteAsync(context);
            return;
        }

        var body = await RequestBody.ReadAsync(context.Request.BodyReader, context.Request.ContentLength, calls.MaxRequestBytes, context.RequestAborted);
        if (body is null)
        {
            await Problems.TooLarge(calls.MaxRequestBytes).ExecuteAsync(context);
            return;
        }

        var outcome = await calls.InvokeAsync(function, body, RuntimeTracing.CallerContext(context.Request));
        if (outcome.CallId is not null)
        {
            context.Response.Headers[WaferHeaders.CallId] = outcome.CallId;
        }

        if (!outcome.Succeeded)
        {
            await Problems.Of(CallProblem.Of(outcome, function.QualifiedName)).ExecuteAsync(context);
            return;
        }

        var response = context.Response;
        response.ContentType = "application/json";
        response.ContentLength = ResultBody.Length(outcome.ResultJson!);
        ResultBody.Write(response.BodyWriter, outcome.ResultJson!);
        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }
}
