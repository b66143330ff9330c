using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Wafer.Gateway.Forwarding;
using Wafer.Gateway.Health;
using Wafer.Gateway.Hosting;
using Wafer.Gateway.Http;
using Wafer.Gateway.Routes;
using Wafer.Hosting.Http;
using Wafer.Protocol.Http;
using Wafer.Protocol.Problems;

namespace Wafer.Gateway.Jobs;

/// <summary>
/// Jobs through the fleet (docs/jobs.md, "Jobs through the fleet"): <c>POST /jobs</c> goes to a replica of the
/// deployment named by its <c>plugin</c>, through the same <see cref="ReplicaLoop"/> as function calls (a replica that
/// turns it away unrun, 404 or 503, passes it to the next), and its answer's id becomes a <see cref="FleetJobId"/>;
/// <c>GET /jobs/{id}</c> asks the runtime that id names; <c>GET /jobs</c> lists the newest jobs of every runtime in the
/// routes (<see cref="ListAsync"/>).
/// </summary>
public static class GatewayJobEndpoints
{
    public static IEndpointRouteBuilder MapWaferGatewayJobs(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost("/jobs", SubmitAsync).ExcludeFromDescription();
        endpoints.MapGet("/jobs/{id}", GetAsync).ExcludeFromDescription();
        endpoints.MapGet("/jobs", ListAsync).ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>The most jobs <c>GET /jobs</c> lists.</summary>
    public const int MaxListed = 500;

    /// <summary>How long <c>GET /jobs</c> waits for the runtimes' answers.</summary>
    public static readonly TimeSpan ListTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// <c>GET /jobs[?limit=N]</c>: the newest <c>N</c> jobs (50 by default) of the runtimes in the routes, newest first,
    /// each with its fleet id and runtime, asked of every runtime at once within <see cref="ListTimeout"/>; a runtime
    /// that did not answer is named in <c>unanswered</c> rather than failing the list.
    /// </summary>
    private static async Task<IResult> ListAsync(int? limit, RouteState routes, RuntimeClient client, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxListed)
        {
            return Problems.BadRequest($"limit must be between 1 and {MaxListed}");
        }

        var take = limit ?? 50;
        var runtimes = routes.Current.Deployments.Values.SelectMany(d => d.Replicas.Destinations)
            .DistinctBy(d => d.RuntimeId, StringComparer.Ordinal).ToList();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ListTimeout);
        var answers = await Task.WhenAll(runtimes.Select(async destination =>
        {
            try
            {
                using var response = await client.Invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"{destination.Prefix}/jobs?limit={take}"), timeout.Token);
                response.EnsureSuccessStatusCode();
                var page = JsonNode.Parse(await response.Content.ReadAsStringAsync(timeout.Token))?["items"]?.AsArray() ?? [];
                return (destination, Jobs: page.OfType<JsonObject>().Select(job => Fleet(job, destination)).ToList(), Failed: false);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
            {
                return (destination, Jobs: new List<JsonObject>(), Failed: true);
            }
        }));

        var items = answers.SelectMany(a => a.Jobs)
            .OrderByDescending(j => j["startedAt"]?.GetValue<DateTimeOffset>() ?? DateTimeOffset.MinValue).Take(take).ToList();
        return Results.Json(new
        {
            limit = take,
            items,
            unanswered = answers.Where(a => a.Failed).Select(a => a.destination.RuntimeName).ToList(),
        });
    }

    private static JsonObject Fleet(JsonObject job, Destination destination)
    {
        if (job["id"]?.GetValue<string>() is { } localId)
        {
            job["id"] = FleetJobId.Of(destination.RuntimeId, localId);
        }

        job["runtime"] = destination.RuntimeName;
        return job;
    }

    private static async Task SubmitAsync(HttpContext context, RouteState routes, ReplicaLoop loop, RuntimeClient client, IOptions<GatewayOptions> options)
    {
        var limit = options.Value.MaxRequestBytes;
        var body = await RequestBody.ReadAsync(context.Request.BodyReader, context.Request.ContentLength, limit, context.RequestAborted);
        if (body is null)
        {
            await Problems.TooLarge(limit).ExecuteAsync(context);
            return;
        }

        if (PluginOf(body, out var error) is not { } plugin)
        {
            await Problems.BadRequest(error!).ExecuteAsync(context);
            return;
        }

        if (!routes.Current.Deployments.TryGetValue(plugin, out var target))
        {
            await Problems.PluginNotFound($"no deployment named '{plugin}' is running").ExecuteAsync(context);
            return;
        }

        using var deadline = loop.Deadline(context.RequestAborted);
        var outcome = await loop.SendAsync(target.Replicas, canResend: true, (Client: client, Body: body),
            static async (destination, state, deadline) =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, destination.Prefix + "/jobs") { Content = new ByteArrayContent(state.Body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                return Attempt.Answered(RuntimeAnswer.Of(request, await state.Client.Invoker.SendAsync(request, deadline.Token)));
            }, deadline);
        await AnswerAsync(context, target.Name, outcome, deadline);
    }

    private static async Task GetAsync(string id, HttpContext context, RouteState routes, ReplicaLoop loop, RuntimeClient client)
    {
        if (!FleetJobId.TryParse(id, out var runtimeId, out var localId))
        {
            await Problems.NotFound($"no job with id '{id}' (a fleet job's id is RUNTIME.JOB, as POST /jobs answered)").ExecuteAsync(context);
            return;
        }

        if (Find(routes.Current, runtimeId) is not { } found)
        {
            await Problems.Create(ProblemTypes.Unavailable,
                $"job '{id}' ran on runtime '{runtimeId}', which serves no deployment in the fleet's routes now (offline, or its replicas moved)").ExecuteAsync(context);
            return;
        }

        using var deadline = loop.Deadline(context.RequestAborted);
        var outcome = await loop.SendAsync(new ReplicaSet(found.Deployment, [found.Destination]), canResend: false, (Client: client, LocalId: localId),
            static async (destination, state, deadline) =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, destination.Prefix + "/jobs/" + Uri.EscapeDataString(state.LocalId));
                return Attempt.Answered(RuntimeAnswer.Of(request, await state.Client.Invoker.SendAsync(request, deadline.Token)));
            }, deadline);
        await AnswerAsync(context, found.Deployment, outcome, deadline);
    }

    /// <summary>The runtime's answer with its job id made a fleet id; a problem when no replica answered.</summary>
    private static async Task AnswerAsync(HttpContext context, string deployment, ReplicaOutcome outcome, CallDeadline deadline)
    {
        if (outcome.NoReplica)
        {
            await GatewayProblems.NoReplica(deployment).ExecuteAsync(context);
            return;
        }

        var destination = outcome.Destination!;
        var attempt = outcome.Attempt;
        if (attempt.Failure == CallFailure.ClientGone)
        {
            return;
        }

        context.Response.Headers[WaferHeaders.Runtime] = destination.RuntimeName;
        if (attempt.Failure != CallFailure.None)
        {
            await GatewayProblems.Unreachable(deployment, destination.RuntimeName, $"{attempt.Failure}: {attempt.Reason}", attempt.Failure == CallFailure.TimedOut)
                .ExecuteAsync(context);
            return;
        }

        using var answer = attempt.Answer;
        var response = answer.Response!;
        var text = await response.Content.ReadAsByteArrayAsync(deadline.Token);
        context.Response.StatusCode = (int)response.StatusCode;
        context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
        if (response.IsSuccessStatusCode && JsonNode.Parse(text) is JsonObject job && job["id"]?.GetValue<string>() is { } localId)
        {
            var id = FleetJobId.Of(destination.RuntimeId, localId);
            job["id"] = id;
            job["runtime"] = destination.RuntimeName;
            if (response.Headers.Location is not null)
            {
                context.Response.Headers.Location = "/jobs/" + id;
            }

            text = JsonSerializer.SerializeToUtf8Bytes(job);
        }

        await context.Response.Body.WriteAsync(text, deadline.Token);
    }

    private static (string Deployment, Destination Destination)? Find(RouteSnapshot snapshot, string runtimeId)
    {
        foreach (var target in snapshot.Deployments.Values)
        {
            foreach (var destination in target.Replicas.Destinations)
            {
                if (string.Equals(destination.RuntimeId, runtimeId, StringComparison.Ordinal))
                {
                    return (target.Name, destination);
                }
            }
        }

        return null;
    }

    /// <summary>The <c>plugin</c> of a job request, which picks the deployment; the runtime checks the rest.</summary>
    private static string? PluginOf(byte[] body, out string? error)
    {
        error = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("plugin", out var plugin) && plugin.ValueKind == JsonValueKind.String
                && plugin.GetString() is { Length: > 0 } name)
            {
                return name;
            }

            error = "expected a JSON object with \"plugin\": the name of a deployed command plugin (docs/jobs.md)";
            return null;
        }
        catch (JsonException ex)
        {
            error = $"request body is not valid JSON: {ex.Message}";
            return null;
        }
    }
}
