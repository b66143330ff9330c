using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.Hosting;
using Wafer.Runtime.Http;
using Wafer.Runtime.Invocation;
using Wafer.Runtime.Logs;
using Wafer.Runtime.Telemetry;
using Wafer.Wasm;
using Wafer.Wasm.Wasi;

namespace Wafer.Runtime.Handlers;

/// <summary>
/// Serves the manifest routes of command plugins with the WAGI convention: each request runs the plugin's
/// <c>_start</c> in a fresh sandbox with the request as CGI environment variables and the body on stdin, and the
/// CGI response the guest writes to stdout becomes the HTTP response. Routes are looked up per request in the
/// current catalog snapshot.
/// </summary>
public static partial class HandlerEndpoints
{
    public static IEndpointRouteBuilder MapWaferHandlers(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapFallback("{**path:" + HandlerRouteConstraint.Name + "}", HandleAsync);
        return endpoints;
    }

    private static async Task HandleAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var catalog = services.GetRequiredService<PluginCatalog>();
        var path = context.Request.Path.HasValue ? context.Request.Path.Value! : "/";
        var method = context.Request.Method;

        var route = catalog.Current.Routes.Match(path, method, out var allowed);
        if (route is null)
        {
            if (allowed.Count > 0)
            {
                context.Response.Headers.Allow = string.Join(", ", allowed);
                await Problem(StatusCodes.Status405MethodNotAllowed, "method_not_allowed", "Method not allowed",
                    $"{path} accepts {string.Join(", ", allowed)}, not {method}", null).ExecuteAsync(context);
                return;
            }

            await Problem(StatusCodes.Status404NotFound, "not_found", "No route", $"no handler route matches {path}", null).ExecuteAsync(context);
            return;
        }

        var limit = services.GetRequiredService<IOptions<RuntimeOptions>>().Value.MaxRequestBytes;
        var body = await RequestBody.ReadAsync(context.Request.BodyReader, context.Request.ContentLength, limit, context.RequestAborted);
        if (body is null)
        {
            await Problems.TooLarge(limit).ExecuteAsync(context);
            return;
        }

        var plugin = route.Plugin;
        if (!plugin.TryAcquire())
        {
            route = catalog.Current.Routes.Match(path, method, out _);
            plugin = route?.Plugin;
            if (route is null || plugin is null || !plugin.TryAcquire())
            {
                await Problem(StatusCodes.Status503ServiceUnavailable, "unavailable", "Handler unavailable",
                    $"the handler of {path} was being replaced; retry", null).ExecuteAsync(context);
                return;
            }
        }

        var callId = CallIds.Next();
        context.Response.Headers["X-Wafer-Call-Id"] = callId;
        var options = services.GetRequiredService<IOptions<HandlerOptions>>().Value;
        CommandResult result;
        try
        {
            var (args, env) = CgiEnvironment.Build(context, route, body.Length, callId);
            if (args.Any(a => a.Contains('\0', StringComparison.Ordinal)) || env.Any(kv => kv.Value.Contains('\0', StringComparison.Ordinal)))
            {
                await Problems.BadRequest("the request path or a header holds a NUL character").ExecuteAsync(context);
                return;
            }

            var input = new CommandInput
            {
                Args = args,
                Env = env,
                Stdin = body,
                FolderPath = plugin.FolderPath,
                FolderReadOnly = plugin.Manifest.Files?.ReadOnly ?? false,
                StdoutLimitBytes = options.MaxResponseBytes,
                StderrLimitBytes = options.StderrLimitBytes,
            };
            result = plugin.Command!.Run(input, context.RequestAborted);
        }
        finally
        {
            plugin.Release();
        }

        LogStderr(services.GetRequiredService<GuestLogSink>(), callId, route, result);
        await RespondAsync(context, route, callId, result, options, services.GetRequiredService<ILoggerFactory>());
        if (result.Status != CommandStatus.Cancelled)
        {
            services.GetRequiredService<RuntimeMetrics>().HandlerAnswered(plugin.Name, route.Route.Path, context.Response.StatusCode);
        }
    }

    private static async Task RespondAsync(
        HttpContext context, HandlerRoute route, string callId, CommandResult result, HandlerOptions options, ILoggerFactory loggers)
    {
        var plugin = route.Plugin.Name;
        var logger = loggers.CreateLogger(typeof(HandlerEndpoints));
        switch (result.Status)
        {
            case CommandStatus.Cancelled:
                return; // the client went away
            case CommandStatus.Timeout:
                HandlerFailed(logger, callId, plugin, route.Route.Path, "timeout", result.Message ?? "");
                await Problem(StatusCodes.Status504GatewayTimeout, "timeout", "Handler timed out",
                    $"{plugin} ({route.Route.Path}) failed: timeout: {result.Message}", route, callId, result).ExecuteAsync(context);
                return;
            case not CommandStatus.Exited:
                var cause = result.Status switch
                {
                    CommandStatus.OutOfMemory => "out_of_memory",
                    CommandStatus.OutOfFuel => "out_of_fuel",
                    _ => "trap",
                };
                HandlerFailed(logger, callId, plugin, route.Route.Path, cause, result.Message ?? "");
                await Problem(StatusCodes.Status502BadGateway, cause, "Handler failed",
                    $"{plugin} ({route.Route.Path}) failed: {cause}: {result.Message}", route, callId, result).ExecuteAsync(context);
                return;
        }

        string? error = null;
        var parsed = result.StdoutTruncated ? null : CgiResponse.Parse(result.Stdout, out error);
        if (parsed is null)
        {
            var reason = result.StdoutTruncated ? $"the handler's response exceeds {options.MaxResponseBytes} bytes" : error!;
            if (result.ExitCode is not 0)
            {
                reason += $" (it exited with code {result.ExitCode})";
            }

            HandlerFailed(logger, callId, plugin, route.Route.Path, "bad_response", reason);
            await Problem(StatusCodes.Status502BadGateway, "bad_response", "Handler wrote a bad response",
                $"{plugin} ({route.Route.Path}): {reason}", route, callId, result).ExecuteAsync(context);
            return;
        }

        var response = context.Response;
        response.StatusCode = parsed.Status;
        foreach (var (name, value) in parsed.Headers)
        {
            response.Headers.Append(name, value);
        }

        var bodyLength = result.Stdout.Length - parsed.BodyOffset;
        if (CgiResponse.CanHaveBody(parsed.Status))
        {
            response.ContentLength = bodyLength; // never on 204 or 304, which carry no body (the parser refused one)
        }

        if (!HttpMethods.IsHead(context.Request.Method) && bodyLength > 0)
        {
            await response.Body.WriteAsync(result.Stdout.AsMemory(parsed.BodyOffset), context.RequestAborted);
        }
    }

    private static void LogStderr(GuestLogSink logs, string callId, HandlerRoute route, CommandResult result)
    {
        if (result.Stderr.Length == 0)
        {
            return;
        }

        var now = DateTimeOffset.UtcNow;
        foreach (var line in Encoding.UTF8.GetString(result.Stderr).Split('\n'))
        {
            var text = line.TrimEnd('\r');
            if (text.Length > 0)
            {
                logs.Write(new GuestLogEntry(now, callId, route.Plugin.Name, route.Route.Path, GuestLogLevel.Warning, text));
            }
        }
    }

    private static IResult Problem(int status, string cause, string title, string detail, HandlerRoute? route, string? callId = null,
        CommandResult? result = null)
    {
        var extensions = new Dictionary<string, object?> { ["cause"] = cause };
        if (route is not null)
        {
            extensions["plugin"] = route.Plugin.Name;
            extensions["route"] = route.Route.Path;
        }

        if (callId is not null)
        {
            extensions["callId"] = callId;
        }

        if (result is not null)
        {
            extensions["durationMs"] = Math.Round(result.Duration.TotalMilliseconds, 3);
        }

        return Results.Problem(detail: detail, statusCode: status, title: title, type: Problems.TypePrefix + cause, extensions: extensions);
    }

    [LoggerMessage(EventId = 2620, EventName = "HandlerFailed", Level = LogLevel.Warning,
        Message = "Handler call {CallId} of {Plugin} ({Route}) failed: {Cause}: {Reason}")]
    private static partial void HandlerFailed(ILogger logger, string callId, string plugin, string route, string cause, string reason);
}
