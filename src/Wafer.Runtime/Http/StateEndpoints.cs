using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wafer.Runtime.Storage;

namespace Wafer.Runtime.Http;

/// <summary>Read-only views of the state database: guest log lines and the inference history.</summary>
public static class StateEndpoints
{
    public const int MaxPageSize = 1000;

    public static IEndpointRouteBuilder MapWaferState(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/logs", async (ICallLogStore logs, string? function, DateTimeOffset? since, int? limit, CancellationToken cancellationToken) =>
        {
            if (limit is < 1 or > MaxPageSize)
            {
                return Problems.BadRequest($"limit must be between 1 and {MaxPageSize}");
            }

            var lines = await logs.QueryAsync(function, since, limit ?? 200, cancellationToken);
            return Results.Json(lines.Select(l => new
            {
                time = l.Time,
                callId = l.CallId,
                plugin = l.Plugin,
                function = l.Function,
                level = l.Level,
                message = l.Message,
            }));
        });

        endpoints.MapGet("/api/inferences", async (
            IInferenceStore inferences, string? plugin, string? function, string? model, string? status, DateTimeOffset? since,
            int? offset, int? limit, CancellationToken cancellationToken) =>
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
            var page = await inferences.QueryAsync(query, cancellationToken);
            return Results.Json(new { offset = query.Offset, limit = query.Limit, items = page });
        });

        return endpoints;
    }
}
