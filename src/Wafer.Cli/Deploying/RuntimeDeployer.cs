using System.Net.Http.Headers;
using System.Text.Json;
using Wafer.Cli.Client;

namespace Wafer.Cli.Deploying;

/// <summary>Deploys straight to one runtime with <c>POST /api/plugins</c>: it serves the plugin at once and keeps it across restarts.</summary>
internal sealed class RuntimeDeployer(WaferClient client, Output output)
{
    public async Task<int> RunAsync(IReadOnlyList<PreparedPlugin> plugins, CancellationToken cancellationToken)
    {
        foreach (var plugin in plugins.Where(p => p.Item.Replicas > 1))
        {
            throw new CliException(ExitCodes.Usage,
                $"{plugin.Name}: {plugin.Item.Replicas} replicas need an orchestrator; {client.Server} is a runtime, which serves a plugin once");
        }

        foreach (var plugin in plugins.Where(p => p.Item.Labels.Count > 0))
        {
            Output.Warning($"{plugin.Name}: labels are placement constraints for an orchestrator; a runtime ignores them");
        }

        var served = new List<JsonElement>();
        foreach (var plugin in plugins)
        {
            using var form = new MultipartFormDataContent();
            var wasm = new ByteArrayContent(plugin.Wasm);
            wasm.Headers.ContentType = new MediaTypeHeaderValue("application/wasm");
            form.Add(wasm, "plugin", Path.GetFileName(plugin.WasmPath));
            if (plugin.Manifest is not null)
            {
                var manifest = new ByteArrayContent(plugin.Manifest);
                manifest.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                form.Add(manifest, "manifest", "wafer.json");
            }

            form.Add(new StringContent(plugin.Name), "name");
            if (plugin.Item.Config.Count > 0)
            {
                form.Add(new StringContent(JsonSerializer.Serialize(plugin.Item.Config)), "config");
            }

            var body = await output.StepAsync($"uploading {plugin.Name} ({plugin.Size}) to {client.Server}",
                () => client.PostAsync("api/plugins", form, cancellationToken));
            var functions = body.TryGetProperty("functions", out var f) && f.ValueKind == JsonValueKind.Array ? f.GetArrayLength() : 0;
            output.Line($"[green]{plugin.Name} is serving[/] on {client.Server} ({Output.Short(Output.Text(body, "hash"))}, {functions} function(s))");
            served.Add(body);
        }

        if (output.Json)
        {
            Output.WriteJson(served.Count == 1 ? served[0] : JsonSerializer.SerializeToElement(new { count = served.Count, plugins = served }));
        }

        return ExitCodes.Ok;
    }
}
