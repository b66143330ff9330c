using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wafer.Hosting.Http;
using Wafer.Runtime.Storage;

namespace Wafer.Runtime.Http;

/// <summary>
/// Read-only views of the state database: call log lines (the guests' lines and failed calls) and the inference
/// history. While the database is unavailable they answer 503 saying so (details in <c>/readyz</c>).
/// </summary>
internal static class StateEndpoints
{
    public const int MaxPageSize = 1000;

    public static IEndpointRouteBuilder MapWaferState(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/logs", async (
            ICallLogStore logs, StateDatabaseHealth health, string? plugin, string? function, DateTimeOffset? since, int? limit,
            CancellationToken cancellationToken) =>
        {
            if (limit is < 1 or > MaxPageSize)
            {
                return Problems.BadRequest($"limit must be between 1 and {MaxPageSize}");
            }

            IReadOnlyList<CallLogRecord> lines;
            try
            {
                lines = await logs.QueryAsync(new CallLogQuery(plugin, function, since, limit ?? 200), cancellationToken);
            }
            catch (Exception ex) when (StateDatabaseHealth.IsDatabaseFault(ex))
            {
                return Unavailable(health, ex);
            }

            return Results.Json(lines.Select(l => new
            {
                time = l.Time,
                callId = l.CallId,
                plugin = l.Plugin,
                function = l.Function,
                level = l.Level,
                message = l.Message,
                cause = l.Cause,
            }));
        });

        endpoints.MapGet("/api/inferences", async (
            IInferenceStore inferences, StateDatabaseHealth health, string? plugin, string? function, string? model, string? status,
            DateTimeOffset? since, int? offset, int? limit, CancellationToken cancellationToken) =>
        {
            if (limit is < 1 or > MaxPageSize)
            {
                return Problems.BadRequest($"limit must be between 1 and {MaxPageSize}");
            }

            if (offset is < 0)
            {
                return Problems.BadRequest("offset must not be negative");
            }

            var query = new InferenceQuery(plugin, function, model, status, since, offset ?? 0, limit ?? 50);
            try
            {
                var page = await inferences.QueryAsync(query, cancellationToken);
                return Results.Json(new { offset = query.Offset, limit = query.Limit, items = page });
            }
            catch (Exception ex) when (StateDatabaseHealth.IsDatabaseFault(ex))
            {
                return Unavailable(health, ex);
            }
        });

        return endpoints;
    }

    private static IResult Unavailable(StateDatabaseHealth health, Exception exception)
    {
        health.ReportFault(exception);
        return Problems.StateUnavailable($"the state database ({health.Database}) is unavailable; GET /readyz says why");
    }
}
