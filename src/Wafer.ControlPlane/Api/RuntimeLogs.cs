using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Wafer.ControlPlane.Fleet;

namespace Wafer.ControlPlane.Api;

/// <summary>
/// Fetches a deployment's call log lines (its guests' lines and its failed calls) from the runtimes hosting it (their
/// <c>GET /api/logs?plugin=NAME</c>).
/// </summary>
internal sealed class RuntimeLogs(IHttpClientFactory clients)
{
    public const string ClientName = "runtimes";
    private const int RuntimeMaxPage = 1000;

    public async Task<DeploymentLogs> FetchAsync(
        FleetSnapshot fleet, Deployment deployment, string? function, DateTimeOffset? since, int limit, CancellationToken cancellationToken)
    {
        var runtimes = fleet.ModulesOf(deployment.Name)
            .Where(m => m.Status is ModuleStatus.Running or ModuleStatus.Pending)
            .Select(m => fleet.Runtimes.GetValueOrDefault(m.RuntimeId))
            .OfType<RuntimeNode>()
            .Where(r => r.Alive)
            .DistinctBy(r => r.Id)
            .ToList();
        var results = await Task.WhenAll(runtimes.Select(r => FetchOneAsync(r, deployment.Name, function, since, cancellationToken)));
        var lines = results.SelectMany(r => r.Lines).OrderBy(l => l.Time).ThenBy(l => l.Runtime, StringComparer.Ordinal).ToList();
        if (lines.Count > limit)
        {
            lines = lines[^limit..];
        }

        return new DeploymentLogs(deployment.Name, lines, results.Select(r => r.Error).OfType<LogSourceError>().ToList());
    }

    private async Task<(IReadOnlyList<LogLineView> Lines, LogSourceError? Error)> FetchOneAsync(
        RuntimeNode runtime, string plugin, string? function, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var query = $"limit={RuntimeMaxPage}&plugin={Uri.EscapeDataString(plugin)}";
        if (function is not null)
        {
            query += "&function=" + Uri.EscapeDataString($"{plugin}/{function}");
        }

        if (since is { } from)
        {
            query += "&since=" + Uri.EscapeDataString(from.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            var client = clients.CreateClient(ClientName);
            var lines = await client.GetFromJsonAsync<List<RuntimeLogLine>>($"{runtime.Url.TrimEnd('/')}/api/logs?{query}", timeout.Token) ?? [];
            return (lines.Where(l => l.Plugin == plugin)
                .Select(l => new LogLineView(runtime.Id, runtime.Name, l.Time, l.CallId ?? "", l.Plugin ?? plugin, l.Function ?? "", l.Level ?? "", l.Message ?? "", l.Cause))
                .ToList(), null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
        {
            return ([], new LogSourceError(runtime.Id, $"GET {runtime.Url}/api/logs failed: {ex.Message}"));
        }
    }

    private sealed record RuntimeLogLine(
        [property: JsonPropertyName("time")] DateTimeOffset Time,
        [property: JsonPropertyName("callId")] string? CallId,
        [property: JsonPropertyName("plugin")] string? Plugin,
        [property: JsonPropertyName("function")] string? Function,
        [property: JsonPropertyName("level")] string? Level,
        [property: JsonPropertyName("message")] string? Message,
        [property: JsonPropertyName("cause")] string? Cause);
}
