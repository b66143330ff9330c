using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wafer.Hosting.Http;
using Wafer.Protocol.Http;
using Wafer.Protocol.Problems;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.Execution;
using Wafer.Runtime.Hosting;
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
internal static partial class HandlerEndpoints
{
    /// <summary>
    /// Serves requests no endpoint matched whose path a command plugin's route covers in the current snapshot. A
    /// middleware rather than a catch-all endpoint, so the runtime's own endpoints keep their 404 and 405 answers and
    /// the route table is never rebuilt on reload. Call it after routing.
    /// </summary>
    public static IApplicationBuilder UseWaferHandlers(this IApplicationBuilder app)
    {
        var catalog = app.ApplicationServices.GetRequiredService<PluginCatalog>();
        return app.Use((context, next) =>
            context.GetEndpoint() is null && catalog.Current.Routes.Covers(context.Request.Path.HasValue ? context.Request.Path.Value! : "/")
                ? HandleAsync(context)
                : next(context));
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
                await Problem(ProblemTypes.MethodNotAllowed, null,
                    $"{path} accepts {string.Join(", ", allowed)}, not {method}", null).ExecuteAsync(context);
                return;
            }

            await Problem(ProblemTypes.NotFound, null, $"no handler route matches {path}", null).ExecuteAsync(context);
            return;
        }

        var limit = services.GetRequiredService<IOptions<RuntimeOptions>>().Value.MaxRequestBytes;
        var body = await RequestBody.ReadAsync(context.Request.BodyReader, context.Request.ContentLength, limit, context.RequestAborted);
        if (body is null)
        {
            await Problems.TooLarge(limit).ExecuteAsync(context);
            return;
        }

        var slots = services.GetRequiredService<CallSlots>();
        var share = route.Plugin.HandlerShare;
        if (await slots.EnterAsync(share) is var admission and not Admission.Entered)
        {
            await BusyProblems.Busy($"{route.Plugin.Name} ({route.Route.Path})", admission, slots.Options).ExecuteAsync(context);
            return;
        }

        try
        {
            await AcquireAndRunAsync(context, services, catalog, route, path, method, body);
        }
        finally
        {
            slots.Exit(share);
        }
    }

    private static async Task AcquireAndRunAsync(HttpContext context, IServiceProvider services, PluginCatalog catalog, HandlerRoute route, string path, string method, byte[] body)
    {
        var plugin = route.Plugin;
        if (!plugin.TryAcquire())
        {
            var current = catalog.Current.Routes.Match(path, method, out _);
            if (current?.Plugin is not { } replacement || !replacement.TryAcquire())
            {
                await Problem(ProblemTypes.Unavailable, null,
                    $"the handler of {path} was being replaced; retry", null).ExecuteAsync(context);
                return;
            }

            (route, plugin) = (current, replacement);
        }

        var callId = CallIds.Next();
        context.Response.Headers[WaferHeaders.CallId] = callId;
        var span = RuntimeTracing.StartHandler(context.Request, plugin.Name, route.Route.Path, callId); // null with tracing off
        try
        {
            await RunAsync(context, services, route, plugin, callId, body);
        }
        finally
        {
            if (span is not null)
            {
                RuntimeTracing.EndHandler(span, context.Response.StatusCode);
            }
        }
    }

    /// <summary>Runs the acquired <paramref name="plugin"/>'s program for the request and answers with what it wrote.</summary>
    private static async Task RunAsync(HttpContext context, IServiceProvider services, HandlerRoute route, LoadedPlugin plugin, string callId, byte[] body)
    {
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

        var logs = services.GetRequiredService<GuestLogSink>();
        LogStderr(logs, callId, route, result);
        await RespondAsync(context, route, callId, result, options, logs, services.GetRequiredService<ILoggerFactory>());
        if (result.Status != CommandStatus.Cancelled)
        {
            services.GetRequiredService<RuntimeMetrics>().HandlerAnswered(plugin.Name, route.Route.Path, context.Response.StatusCode);
        }
    }

    private static async Task RespondAsync(
        HttpContext context, HandlerRoute route, string callId, CommandResult result, HandlerOptions options, GuestLogSink logs, ILoggerFactory loggers)
    {
        var plugin = route.Plugin.Name;
        var logger = loggers.CreateLogger(typeof(HandlerEndpoints));

        // A failed request goes to the server log and to the call's log (GET /api/logs, wafer logs).
        void Failed(string cause, string reason)
        {
            HandlerFailed(logger, callId, plugin, route.Route.Path, cause, reason);
            logs.WriteFailure(callId, plugin, route.Route.Path, cause, GuestText.Cut(reason, logs.Limits.ErrorMessageBytes));
        }

        switch (result.Status)
        {
            case CommandStatus.Cancelled:
                return; // the client went away
            case CommandStatus.Timeout:
                Failed("timeout", result.Message ?? "");
                await Problem(ProblemTypes.Timeout, StatusCodes.Status504GatewayTimeout,
                    $"{plugin} ({route.Route.Path}) failed: timeout: {result.Message}", route, callId, result).ExecuteAsync(context);
                return;
            case not CommandStatus.Exited:
                var cause = result.Status switch
                {
                    CommandStatus.OutOfMemory => "out_of_memory",
                    CommandStatus.OutOfFuel => "out_of_fuel",
                    _ => "trap",
                };
                Failed(cause, result.Message ?? "");
                await Problem(ProblemTypes.Named(cause), StatusCodes.Status502BadGateway,
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

            Failed("bad_response", reason);
            await Problem(ProblemTypes.BadResponse, StatusCodes.Status502BadGateway,
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

    /// <summary>The handler's stderr, one warning per line, held to the call's log limits like a function's lines.</summary>
    private static void LogStderr(GuestLogSink logs, string callId, HandlerRoute route, CommandResult result)
    {
        if (result.Stderr.Length == 0)
        {
            return;
        }

        var log = logs.Begin(callId, route.Plugin.Name, route.Route.Path);
        foreach (var line in Encoding.UTF8.GetString(result.Stderr).Split('\n'))
        {
            var text = line.TrimEnd('\r');
            if (text.Length == 0)
            {
                continue;
            }

            if (log.AcceptsMore)
            {
                log.Write(GuestLogLevel.Warning, GuestText.Cut(text, logs.Limits.LineBytes));
            }
            else
            {
                log.Dropped(Encoding.UTF8.GetByteCount(text));
            }
        }

        log.Complete();
    }

    private static IResult Problem(ProblemType type, int? status, string detail, HandlerRoute? route, string? callId = null,
        CommandResult? result = null)
    {
        var extensions = new Dictionary<string, object?>();
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

        return Problems.Create(type, detail, status: status, extensions: extensions);
    }

    [LoggerMessage(EventId = 2620, EventName = "HandlerFailed", Level = LogLevel.Warning,
        Message = "Handler call {CallId} of {Plugin} ({Route}) failed: {Cause}: {Reason}")]
    private static partial void HandlerFailed(ILogger logger, string callId, string plugin, string route, string cause, string reason);
}
