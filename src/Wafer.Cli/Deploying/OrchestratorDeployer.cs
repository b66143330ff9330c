using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using Wafer.Cli.Client;

namespace Wafer.Cli.Deploying;

/// <summary>Deploys to an orchestrator: uploads each plugin as a deployment, then follows their status until every replica runs, or says why not.</summary>
internal sealed class OrchestratorDeployer(WaferClient client, Output output, bool allowShadowing = false)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public async Task<int> RunAsync(IReadOnlyList<PreparedPlugin> plugins, TimeSpan wait, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var names = new List<(string Name, DateTimeOffset DeployedAt)>();
        foreach (var plugin in plugins)
        {
            var body = JsonSerializer.Serialize(new
            {
                name = plugin.Name,
                plugin = Convert.ToBase64String(plugin.Wasm),
                manifest = plugin.Manifest is null ? null : Encoding.UTF8.GetString(plugin.Manifest),
                replicas = plugin.Item.Replicas,
                labels = plugin.Item.Labels,
                config = plugin.Item.Config,
                allowShadowing = allowShadowing ? true : (bool?)null,
            });
            var deployment = await output.StepAsync($"uploading {plugin.Name} ({plugin.Size}) to {client.Server}",
                () => client.PostJsonAsync("api/deployments", body, cancellationToken));
            names.Add((Output.Text(deployment, "name"), deployment.GetProperty("updatedAt").GetDateTimeOffset()));
            if (deployment.TryGetProperty("warnings", out var warnings) && warnings.ValueKind == JsonValueKind.Array)
            {
                foreach (var warning in warnings.EnumerateArray())
                {
                    Output.Warning(warning.GetString() ?? "");
                }
            }

            output.Line($"uploaded [blue]{Output.Text(deployment, "name")}[/] ({Output.Short(Output.Text(deployment, "hash"))}), {plugin.Item.Replicas} replica(s) wanted");
        }

        var done = new List<JsonElement>();
        foreach (var (name, deployedAt) in names)
        {
            done.Add(await WaitAsync(name, deployedAt, wait, clock, cancellationToken));
        }

        if (output.Json)
        {
            Output.WriteJson(done.Count == 1 ? done[0] : JsonSerializer.SerializeToElement(new { count = done.Count, deployments = done }));
        }

        return ExitCodes.Ok;
    }

    /// <summary>
    /// Follows the deployment until every replica runs. Only failures of this deploy (modules updated since
    /// <paramref name="deployedAt"/>) end the wait early: older ones belong to what was deployed before, and the
    /// orchestrator retries after its backoff, so until the timeout the answer can still become "running".
    /// </summary>
    private async Task<JsonElement> WaitAsync(string name, DateTimeOffset deployedAt, TimeSpan wait, Stopwatch clock, CancellationToken cancellationToken)
    {
        string? lastLine = null;
        while (true)
        {
            var deployment = await client.GetAsync($"api/deployments/{Uri.EscapeDataString(name)}", cancellationToken);
            var status = deployment.GetProperty("status");
            var state = Output.Text(status, "state");
            var running = status.GetProperty("running").GetInt32();
            var pending = status.GetProperty("pending").GetInt32();
            var failed = deployment.GetProperty("modules").EnumerateArray()
                .Count(m => Output.Text(m, "state") == "failed" && m.GetProperty("updatedAt").GetDateTimeOffset() >= deployedAt);
            var desired = status.GetProperty("desired").GetInt32();
            var reason = Output.Text(status, "reason") is { Length: > 0 } r ? r : null;
            var line = $"{name} {state}: {running}/{desired} running" + (reason is null ? "" : $" ({reason})");
            if (line != lastLine)
            {
                output.Line($"  [grey]{clock.Elapsed.TotalSeconds,6:0.0}s[/] {line}");
                lastLine = line;
            }

            if (state == "running")
            {
                var where = deployment.GetProperty("modules").EnumerateArray()
                    .Where(m => Output.Text(m, "state") == "running")
                    .Select(m => Output.Text(m, "runtimeName") + " " + Output.Text(m, "runtimeUrl"));
                output.Line($"[green]{name} is running[/] ({running} replica(s), {clock.Elapsed.TotalSeconds:0.0}s): {string.Join(", ", where)}");
                return deployment;
            }

            if (running == 0 && pending == 0 && desired > 0 && failed >= desired)
            {
                throw new CliException(ExitCodes.Failed, $"{name} is not running: {reason ?? "every replica failed"}");
            }

            if (clock.Elapsed > wait)
            {
                throw new CliException(ExitCodes.Failed, $"{name} is not running after {wait.TotalSeconds:0}s: {reason ?? line}");
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }
}
