using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Spectre.Console;

namespace Wafer.Cli.Commands;

/// <summary>The HTTP side of <c>wafer deploy</c>: upload, then follow the deployment's status until it settles.</summary>
internal sealed class DeployClient(HttpClient http, bool json)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public async Task<int> RunAsync(PluginSource source, string? name, int replicas, string? labels, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var form = new MultipartFormDataContent();
        var wasm = new ByteArrayContent(await File.ReadAllBytesAsync(source.WasmPath, cancellationToken));
        wasm.Headers.ContentType = new MediaTypeHeaderValue("application/wasm");
        form.Add(wasm, "plugin", Path.GetFileName(source.WasmPath));
        if (source.ManifestPath is not null)
        {
            var manifest = new ByteArrayContent(await File.ReadAllBytesAsync(source.ManifestPath, cancellationToken));
            manifest.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            form.Add(manifest, "manifest", Path.GetFileName(source.ManifestPath));
        }

        if (name is not null)
        {
            form.Add(new StringContent(name), "name");
        }

        form.Add(new StringContent(replicas.ToString(CultureInfo.InvariantCulture)), "replicas");
        if (labels is not null)
        {
            form.Add(new StringContent(labels), "labels");
        }

        var clock = Stopwatch.StartNew();
        JsonElement deployment;
        try
        {
            using var response = await http.PostAsync("api/deployments", form, cancellationToken);
            if (await ReadAsync(response, cancellationToken) is not { } body)
            {
                return ExitCodes.Failed;
            }

            deployment = body;
        }
        catch (HttpRequestException ex)
        {
            return Error($"cannot reach the orchestrator at {http.BaseAddress}: {ex.Message}");
        }

        var deploymentName = deployment.GetProperty("name").GetString()!;
        if (!json)
        {
            AnsiConsole.MarkupLineInterpolated($"uploaded [blue]{deploymentName}[/] ({deployment.GetProperty("hash").GetString()![..12]}), {replicas} replica(s) wanted");
        }

        string? lastLine = null;
        while (true)
        {
            var status = deployment.GetProperty("status");
            var state = status.GetProperty("state").GetString();
            var running = status.GetProperty("running").GetInt32();
            var pending = status.GetProperty("pending").GetInt32();
            var failed = status.GetProperty("failed").GetInt32();
            var desired = status.GetProperty("desired").GetInt32();
            var reason = status.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            var line = $"{state}: {running}/{desired} running" + (reason is null ? "" : $" ({reason})");
            if (!json && line != lastLine)
            {
                AnsiConsole.MarkupLineInterpolated($"  [grey]{clock.Elapsed.TotalSeconds,6:0.0}s[/] {line}");
                lastLine = line;
            }

            if (state == "running")
            {
                return Done(deployment, deploymentName, running, clock.Elapsed);
            }

            if (running == 0 && pending == 0 && desired > 0 && failed >= desired)
            {
                return Error($"{deploymentName} is not running: {reason ?? "every replica failed"}");
            }

            if (clock.Elapsed > wait)
            {
                return Error($"{deploymentName} is not running after {wait.TotalSeconds:0}s: {reason ?? line}");
            }

            await Task.Delay(PollInterval, cancellationToken);
            try
            {
                using var response = await http.GetAsync($"api/deployments/{Uri.EscapeDataString(deploymentName)}", cancellationToken);
                if (await ReadAsync(response, cancellationToken) is not { } body)
                {
                    return ExitCodes.Failed;
                }

                deployment = body;
            }
            catch (HttpRequestException ex)
            {
                return Error($"lost the orchestrator at {http.BaseAddress}: {ex.Message}");
            }
        }
    }

    /// <summary>The JSON object of a successful answer; null (after printing why) for any other.</summary>
    private static async Task<JsonElement?> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonElement body = default;
        try
        {
            body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
        }

        if (response.IsSuccessStatusCode && body.ValueKind == JsonValueKind.Object)
        {
            return body;
        }

        var detail = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("detail", out var d) ? d.GetString() : text;
        Error($"the orchestrator answered {(int)response.StatusCode}: {detail}");
        return null;
    }

    private int Done(JsonElement deployment, string name, int running, TimeSpan elapsed)
    {
        if (json)
        {
            Console.WriteLine(deployment.GetRawText());
            return ExitCodes.Ok;
        }

        var where = deployment.GetProperty("modules").EnumerateArray()
            .Where(m => m.GetProperty("state").GetString() == "running")
            .Select(m => m.GetProperty("runtimeName").GetString() + " " + m.GetProperty("runtimeUrl").GetString());
        AnsiConsole.MarkupLineInterpolated($"[green]{name} is running[/] ({running} replica(s), {elapsed.TotalSeconds:0.0}s): {string.Join(", ", where)}");
        return ExitCodes.Ok;
    }

    private static int Error(string message)
    {
        AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {message}");
        return ExitCodes.Failed;
    }
}
