using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.Hosting;
using Wafer.Runtime.Storage;
using Wafer.Runtime.Tests.Support;

namespace Wafer.Runtime.Tests.Capabilities.Support;

/// <summary>
/// A runtime serving the <c>hostcall</c> fixture (which hands any capability request to <c>wafer.host_call</c>),
/// a stand-in upstream server, a plugins folder with a <c>.env</c>, every log line captured and an in-memory
/// inference history. The manifest is written from the upstream's address.
/// </summary>
public sealed class CapabilityHarness : IAsyncDisposable
{
    private CapabilityHarness(RuntimeServer runtime, StandInServer upstream, CapturingLoggerProvider logs, InMemoryInferenceStore inferences)
    {
        Runtime = runtime;
        Upstream = upstream;
        Logs = logs;
        Inferences = inferences;
    }

    public RuntimeServer Runtime { get; }

    public StandInServer Upstream { get; }

    public CapturingLoggerProvider Logs { get; }

    internal InMemoryInferenceStore Inferences { get; }

    /// <param name="map">The upstream's routes.</param>
    /// <param name="manifest">The hostcall plugin's manifest, given the upstream origin (<c>http://127.0.0.1:PORT</c>).</param>
    /// <param name="dotEnv">Contents of the plugins folder's <c>.env</c>, or null for none.</param>
    /// <param name="configure">Runtime settings, given the stand-in server's origin.</param>
    /// <param name="services">Last say over the runtime's services.</param>
    public static async Task<CapabilityHarness> StartAsync(
        Action<WebApplication> map, Func<string, string> manifest, string? dotEnv = null, Action<RuntimeOptions, string>? configure = null,
        Action<IServiceCollection>? services = null)
    {
        var upstream = await StandInServer.StartAsync(map);
        var logs = new CapturingLoggerProvider();
        var inferences = new InMemoryInferenceStore();
        var runtime = await RuntimeServer.StartAsync([], configure is null ? null : o => configure(o, upstream.Origin), services: collection =>
        {
            collection.AddSingleton<ILoggerProvider>(logs);
            collection.Configure<LoggerFilterOptions>(o =>
                o.Rules.Insert(0, new LoggerFilterRule(typeof(CapturingLoggerProvider).FullName, null, LogLevel.Trace, null)));
            collection.RemoveAll<IInferenceStore>();
            collection.AddSingleton<IInferenceStore>(inferences);
            services?.Invoke(collection);
        });
        var harness = new CapabilityHarness(runtime, upstream, logs, inferences);
        if (dotEnv is not null)
        {
            File.WriteAllText(Path.Combine(runtime.PluginsPath, ".env"), dotEnv);
        }

        await harness.DeployAsync(manifest(upstream.Origin));
        return harness;
    }

    /// <summary>Copies a test guest (the hostcall fixture by default) with this manifest into the plugins folder and waits until it serves.</summary>
    public async Task DeployAsync(string manifest, string name = "hostcall", string guest = "hostcall")
    {
        File.WriteAllText(Path.Combine(Runtime.PluginsPath, name + PluginFolder.ManifestSuffix), manifest);
        RuntimeServer.CopyGuest(guest, Runtime.PluginsPath, name);
        await Runtime.Services.GetRequiredService<PluginReloader>().ScanAsync();
        var refused = Runtime.Services.GetRequiredService<PluginReloader>().Status.FirstOrDefault(s => s.State == PluginSourceStatus.Refused);
        Assert.True(refused is null, $"the plugin was refused: {refused?.Error}");
    }

    /// <summary>Calls <c>hostcall/call</c>: the guest runs <paramref name="operation"/> with <paramref name="request"/>.</summary>
    public async Task<HostReply> CallAsync(string operation, object request, string plugin = "hostcall")
    {
        var json = request as string ?? JsonSerializer.Serialize(request);
        var (response, body) = await Runtime.PostJsonAsync($"/functions/{plugin}/call", JsonSerializer.Serialize(new { op = operation, request = json }));
        var raw = body.ValueKind == JsonValueKind.Undefined ? "" : body.GetRawText();
        if (response.StatusCode == HttpStatusCode.OK)
        {
            var text = body.GetProperty("result").GetString()!;
            return new HostReply(true, JsonDocument.Parse(text).RootElement.Clone(), null, raw, response.StatusCode);
        }

        var detail = body.TryGetProperty("detail", out var d) ? d.GetString()! : raw;
        var cause = body.TryGetProperty("cause", out var c) ? c.GetString() : null;
        const string marker = "failed: guest_error: ";
        var error = cause == "guest_error" && detail.Contains(marker, StringComparison.Ordinal)
            ? detail[(detail.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..]
            : detail;
        return new HostReply(false, default, error, raw, response.StatusCode) { Cause = cause };
    }

    public async ValueTask DisposeAsync()
    {
        await Runtime.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}

/// <summary>What the guest got back: the response JSON, or the host's error text.</summary>
public sealed record HostReply(bool Succeeded, JsonElement Response, string? Error, string RawBody, HttpStatusCode Status)
{
    public string? Cause { get; init; }

    public JsonElement Ok => Succeeded ? Response : throw new Xunit.Sdk.XunitException($"expected success, got: {Error}");

    public string Failure => !Succeeded ? Error! : throw new Xunit.Sdk.XunitException($"expected a failure, got: {Response}");
}
