using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wafer.Hosting.Http;
using Wafer.Protocol.Manifest;
using Wafer.Protocol.Problems;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.Hosting;
using Wafer.Runtime.Storage;

namespace Wafer.Runtime.Jobs;

/// <summary>
/// <c>POST /jobs</c> starts a run of a command plugin and answers 202 with its id; <c>GET /jobs/{id}</c> gives its
/// state and output; <c>GET /jobs</c> lists recent jobs, newest first.
/// </summary>
internal static partial class JobEndpoints
{
    public const int MaxPageSize = 500;

    public static IEndpointRouteBuilder MapWaferJobs(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/jobs", SubmitAsync);
        endpoints.MapGet("/jobs/{id}", async (string id, IJobStore store, CancellationToken cancellationToken) =>
            await store.GetAsync(id, cancellationToken) is { } job
                ? Results.Json(Describe(job, withOutput: true))
                : Problems.NotFound($"no job with id '{id}'"));
        endpoints.MapGet("/jobs", async (IJobStore store, int? offset, int? limit, CancellationToken cancellationToken) =>
        {
            if (limit is < 1 or > MaxPageSize)
            {
                return Problems.BadRequest($"limit must be between 1 and {MaxPageSize}");
            }

            if (offset is < 0)
            {
                return Problems.BadRequest("offset must not be negative");
            }

            var jobs = await store.ListAsync(offset ?? 0, limit ?? 50, cancellationToken);
            return Results.Json(new { offset = offset ?? 0, limit = limit ?? 50, items = jobs.Select(j => Describe(j, withOutput: false)) });
        });
        return endpoints;
    }

    private static async Task<IResult> SubmitAsync(HttpContext context, PluginCatalog catalog, JobRunner runner, IOptions<RuntimeOptions> options)
    {
        var limit = options.Value.MaxRequestBytes;
        var body = await RequestBody.ReadAsync(context.Request.BodyReader, context.Request.ContentLength, limit, context.RequestAborted);
        if (body is null)
        {
            return Problems.TooLarge(limit);
        }

        var request = JobRequest.Parse(body, out var error);
        if (request is null)
        {
            return Problems.BadRequest(error!);
        }

        LoadedPlugin? plugin = null;
        for (var attempt = 0; attempt < 2 && plugin is null; attempt++)
        {
            if (!catalog.Current.PluginsByName.TryGetValue(request.Plugin, out var found))
            {
                return Problems.PluginNotFound($"no plugin named '{request.Plugin}' is loaded");
            }

            if (found.Type != PluginType.Command)
            {
                return Problems.BadRequest(
                    $"plugin '{request.Plugin}' is a functions plugin; jobs run command plugins (manifest \"type\": \"command\", a WASI module with _start)");
            }

            plugin = found.TryAcquire() ? found : null; // a retired version: look again once
        }

        if (plugin is null)
        {
            return Problem(ProblemTypes.Unavailable, $"{request.Plugin} was being replaced; retry");
        }

        JobRecord? job;
        try
        {
            job = await runner.SubmitAsync(plugin, request, context.RequestAborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The store's own error may name hosts or files: it goes to the log, not to the caller.
            JobNotSaved(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(JobEndpoints)), request.Plugin, ex);
            return Problem(ProblemTypes.Unavailable,
                "the job could not be saved, so it was not started; retry later");
        }

        if (job is null)
        {
            return Problem(ProblemTypes.Busy,
                "the runtime is stopping or has too many queued jobs; retry later");
        }

        return new LocatedResult(Results.Json(new { id = job.Id, status = job.State }, statusCode: StatusCodes.Status202Accepted), "/jobs/" + job.Id);
    }

    /// <summary>The JSON shape of a job (docs/jobs.md); the list leaves out stdout and stderr.</summary>
    public static object Describe(JobRecord job, bool withOutput)
    {
        var summary = new Dictionary<string, object?>
        {
            ["id"] = job.Id,
            ["plugin"] = job.Plugin,
            ["status"] = job.State,
            ["exitCode"] = job.ExitCode,
            ["error"] = job.Error,
            ["args"] = job.Args,
            ["env"] = job.Env,
            ["startedAt"] = job.StartedAt,
            ["durationMs"] = job.DurationMs,
            ["stdoutTruncated"] = job.StdoutTruncated,
            ["stderrTruncated"] = job.StderrTruncated,
        };
        if (withOutput)
        {
            summary["stdout"] = job.Stdout;
            summary["stderr"] = job.Stderr;
        }

        return summary;
    }

    private static IResult Problem(ProblemType type, string detail) => Problems.Create(type, detail);

    [LoggerMessage(EventId = 2610, EventName = "JobNotSaved", Level = LogLevel.Error,
        Message = "Could not save a new job for plugin {Plugin}; it was not started")]
    private static partial void JobNotSaved(ILogger logger, string plugin, Exception exception);

    /// <summary>Adds a <c>Location</c> header to another result.</summary>
    private sealed class LocatedResult(IResult inner, string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = location;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
