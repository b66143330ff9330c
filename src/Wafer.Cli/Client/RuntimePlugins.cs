using System.Text.Json;

namespace Wafer.Cli.Client;

/// <summary>
/// The plugins an orchestrator's runtimes serve on their own (from their plugins folder, or uploaded to them), as
/// <c>wafer serve</c>'s runtime serves its folder: the orchestrator's gateway routes deployments only, so the client
/// verbs ask each runtime the orchestrator knows (<c>GET /api/runtimes</c>, which names their URLs to a client with
/// the token, or to anyone when the fleet has none) for its <c>GET /api/plugins</c>.
/// </summary>
public static class RuntimePlugins
{
    /// <summary>How long one runtime may take to list its plugins; one that does not answer is left out.</summary>
    private static readonly TimeSpan AskWithin = TimeSpan.FromSeconds(10);

    /// <summary>The source of a plugin the orchestrator placed (it is a deployment, routed by the gateway).</summary>
    private const string PlacedPrefix = "orchestrator:";

    /// <summary>A plugin a runtime serves on its own, with the runtime serving it.</summary>
    public sealed record Served(string RuntimeName, Uri RuntimeUrl, JsonElement Plugin)
    {
        public string Name => Output.Text(Plugin, "name");

        public bool Exports(string function) =>
            Plugin.TryGetProperty("functions", out var functions) && functions.ValueKind == JsonValueKind.Array
            && functions.EnumerateArray().Any(f => Output.Text(f, "name") == function);
    }

    /// <summary>
    /// Every plugin the orchestrator's live runtimes serve that no deployment placed, runtime by runtime; none when the
    /// orchestrator does not list its runtimes.
    /// </summary>
    public static async Task<IReadOnlyList<Served>> ListAsync(WaferClient orchestrator, CancellationToken cancellationToken)
    {
        JsonElement runtimes;
        try
        {
            runtimes = await orchestrator.GetAsync("api/runtimes?alive=true", cancellationToken);
        }
        catch (CliException)
        {
            return []; // the deployments are still listed; the orchestrator said why it fails elsewhere
        }

        var served = new List<Served>();
        foreach (var runtime in runtimes.GetProperty("runtimes").EnumerateArray())
        {
            if (!Uri.TryCreate(Output.Text(runtime, "url").TrimEnd('/') + "/", UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                continue; // hidden without the token, or not an address this client can use
            }

            using var client = new WaferClient(url, orchestrator.Token, AskWithin);
            JsonElement plugins;
            try
            {
                plugins = await client.GetAsync("api/plugins", cancellationToken);
            }
            catch (CliException)
            {
                continue; // unreachable from here, or refusing: its deployments still answer through the gateway
            }

            if (!plugins.TryGetProperty("plugins", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            served.AddRange(list.EnumerateArray()
                .Where(p => !Output.Text(p, "source").StartsWith(PlacedPrefix, StringComparison.Ordinal))
                .Select(p => new Served(Output.Text(runtime, "name"), url, p.Clone())));
        }

        return served;
    }
}
