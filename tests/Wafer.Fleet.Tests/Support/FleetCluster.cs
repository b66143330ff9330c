using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Wafer.Tests.Shared;

namespace Wafer.Fleet.Tests.Support;

/// <summary>
/// A real fleet: an orchestrator process and runtime processes (<c>dotnet wafer.dll …</c> from the built CLI) joined
/// through the shared test Mosquitto, a broker of the test's own, or the orchestrator's in-process broker, each with
/// its own storage folder.
/// </summary>
public sealed class FleetCluster : IAsyncDisposable
{
    private readonly Dictionary<string, TestProcess> _runtimes = new(StringComparer.Ordinal);
    private readonly List<TestProcess> _stopped = [];
    private readonly List<TestProcess> _gateways = [];
    private readonly IReadOnlyDictionary<string, string> _runtimeIds;
    private string? _brokerUrl;
    private IReadOnlyDictionary<string, string>? _runtimeEnvironment;
    private IReadOnlyDictionary<string, string>? _orchestratorEnvironment;

    private FleetCluster(string folder, int port, string? token, string? brokerUrl, IReadOnlyDictionary<string, string>? runtimeIds)
    {
        Folder = folder;
        Port = port;
        Token = token;
        _brokerUrl = brokerUrl;
        _runtimeIds = runtimeIds ?? new Dictionary<string, string>();
        Api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    /// <summary>The API token of the orchestrator (and of the runtimes' artifact downloads), when the fleet has one.</summary>
    public string? Token { get; }

    public string Folder { get; }

    public int Port { get; }

    public HttpClient Api { get; }

    public TestProcess Orchestrator { get; private set; } = null!;

    public IReadOnlyDictionary<string, TestProcess> Runtimes => _runtimes;

    /// <summary>The in-process broker's port, when the orchestrator runs one (<c>StartAsync(inProcessBroker: true)</c>).</summary>
    public int? BrokerPort { get; private set; }

    /// <summary>The broker runtimes join and the orchestrator connects to.</summary>
    public string BrokerUrl => _brokerUrl ?? Repository.BrokerUrl;

    /// <param name="brokerUrl">A broker of the test's own; null: the shared test Mosquitto (its retained messages cleared first).</param>
    /// <param name="runtimeIds">Runtime ids to give runtimes by name (written to their storage before they start).</param>
    /// <param name="inProcessBroker">The orchestrator runs its in-process broker on a free port, which runtimes join.</param>
    /// <param name="runtimeEnvironment">Environment variables every runtime process gets.</param>
    /// <param name="orchestratorEnvironment">Environment variables the orchestrator process gets.</param>
    public static async Task<FleetCluster> StartAsync(
        int runtimes = 3, string? token = null, string? brokerUrl = null, IReadOnlyDictionary<string, string>? runtimeIds = null, bool inProcessBroker = false,
        IReadOnlyDictionary<string, string>? runtimeEnvironment = null, IReadOnlyDictionary<string, string>? orchestratorEnvironment = null)
    {
        if (brokerUrl is null && !inProcessBroker)
        {
            await Broker.ClearRetainedAsync();
        }

        var folder = Path.Combine(Path.GetTempPath(), "wafer-fleet-tests", Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(folder);
        var cluster = new FleetCluster(folder, LoopbackPorts.Free(), token, brokerUrl, runtimeIds) { _runtimeEnvironment = runtimeEnvironment, _orchestratorEnvironment = orchestratorEnvironment };
        if (inProcessBroker)
        {
            cluster.BrokerPort = LoopbackPorts.Free();
            cluster._brokerUrl = $"mqtt://127.0.0.1:{cluster.BrokerPort}";
        }

        try
        {
            await cluster.StartOrchestratorAsync();
            for (var i = 1; i <= runtimes; i++)
            {
                cluster.StartRuntime($"rt-{i}");
            }

            await cluster.WaitForRuntimesAsync(runtimes, TimeSpan.FromSeconds(60));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task StartOrchestratorAsync()
    {
        string[] broker = BrokerPort is { } port ? ["--brokerPort", port.ToString(CultureInfo.InvariantCulture)] : ["--mqtt", BrokerUrl];
        Orchestrator = WaferProcess.Start("orchestrator", _orchestratorEnvironment, [
            "orchestrator",
            .. broker,
            "--db", Path.Combine(Folder, "orchestrator", "orchestrator.db"),
            "--storagePath", Path.Combine(Folder, "orchestrator"),
            "--port", Port.ToString(CultureInfo.InvariantCulture),
            .. TokenArguments(),
        ]);
        await Eventually.TrueAsync(async () => (await Api.GetAsync("/readyz")).IsSuccessStatusCode, "the orchestrator is ready", TimeSpan.FromSeconds(60), this.Logs);
    }

    /// <param name="withToken">False starts it without the fleet's token (to see it refused).</param>
    public TestProcess StartRuntime(string name, bool withToken = true)
    {
        if (_runtimeIds.TryGetValue(name, out var id))
        {
            Directory.CreateDirectory(Path.Combine(Folder, name));
            File.WriteAllText(Path.Combine(Folder, name, "runtime-id"), id + "\n");
        }

        var process = WaferProcess.Start(name, _runtimeEnvironment, [
            "runtime",
            "--join", BrokerUrl,
            "--name", name,
            "--port", "0",
            "--storagePath", Path.Combine(Folder, name),
            "--keepalive", "1s",
            .. withToken ? TokenArguments() : [],
        ]);
        _runtimes[name] = process;
        return process;
    }

    /// <summary>Starts <c>wafer gateway</c> against this fleet's orchestrator and waits until it has routes.</summary>
    public async Task<(TestProcess Process, HttpClient Client)> StartGatewayAsync()
    {
        var port = LoopbackPorts.Free();
        var process = WaferProcess.Start("gateway", ["gateway", "--orchestrator", Api.BaseAddress!.ToString(), "--port", port.ToString(CultureInfo.InvariantCulture), .. TokenArguments()]);
        _gateways.Add(process);
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                return (await client.GetAsync("/readyz")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "the gateway has routes", TimeSpan.FromSeconds(60), this.Logs);
        return (process, client);
    }

    private string[] TokenArguments() => Token is null ? [] : ["--token", Token];

    /// <summary>The id of runtime <paramref name="name"/> (from its storage path).</summary>
    public string RuntimeId(string name) => File.ReadAllText(Path.Combine(Folder, name, "runtime-id")).Trim();

    /// <summary>Kills a process of the fleet with SIGKILL; it stays listed for the log.</summary>
    public void Kill(TestProcess process)
    {
        process.Kill();
        _stopped.Add(process);
    }

    public async Task WaitForRuntimesAsync(int alive, TimeSpan within) =>
        await Eventually.TrueAsync(async () =>
            (await GetJsonAsync("/api/runtimes?alive=true")).GetProperty("runtimes").EnumerateArray().Count(r => r.GetProperty("state").GetString() == "online") == alive,
            $"{alive} runtime(s) are online", within, this.Logs);

    /// <summary>
    /// Deploys the hello test guest under <paramref name="name"/> with POST /api/deployments (multipart); a
    /// <paramref name="version"/> adds a custom section naming it, which makes another build (another hash) of the same code.
    /// </summary>
    public Task<JsonElement> DeployHelloAsync(string name, int replicas, string? version = null) => DeployAsync(Api, name, "hello", replicas, version);

    /// <summary>Deploys the test guest <c>GUEST.wasm</c> (with <c>GUEST.wafer.json</c>) under <paramref name="name"/>.</summary>
    public Task<JsonElement> DeployAsync(string name, string guest, int replicas) => DeployAsync(Api, name, guest, replicas);

    /// <summary>Deploys the test guest <c>GUEST.wasm</c> under <paramref name="name"/> with a manifest of the test's own.</summary>
    public Task<JsonElement> DeployWithManifestAsync(string name, string guest, int replicas, string manifest) => DeployAsync(Api, name, guest, replicas, manifest: manifest);

    /// <summary>Uploads <paramref name="guest"/> as the deployment <paramref name="name"/> of no replicas: a program modules can name as their file.</summary>
    public Task<JsonElement> UploadAsync(string name, string guest) => DeployAsync(Api, name, guest, 0);

    /// <summary>Deploys the hello test guest to the orchestrator <paramref name="api"/> points at.</summary>
    public static Task<JsonElement> DeployHelloAsync(HttpClient api, string name, int replicas) => DeployAsync(api, name, "hello", replicas);

    private static async Task<JsonElement> DeployAsync(HttpClient api, string name, string guest, int replicas, string? version = null, string? manifest = null)
    {
        using var form = new MultipartFormDataContent();
        var bytes = await File.ReadAllBytesAsync(Repository.Guest(guest + ".wasm"));
        if (version is not null)
        {
            // A custom section (id 0): size, name length, name, payload; all shorter than 128 bytes, so one-byte LEB128s.
            byte[] sectionName = Encoding.UTF8.GetBytes("test-version"), payload = Encoding.UTF8.GetBytes(version);
            bytes = [.. bytes, 0, (byte)(1 + sectionName.Length + payload.Length), (byte)sectionName.Length, .. sectionName, .. payload];
        }

        var wasm = new ByteArrayContent(bytes);
        wasm.Headers.ContentType = new MediaTypeHeaderValue("application/wasm");
        form.Add(wasm, "plugin", guest + ".wasm");
        var manifestBytes = manifest is null ? await File.ReadAllBytesAsync(Repository.Guest(guest + ".wafer.json")) : Encoding.UTF8.GetBytes(manifest);
        form.Add(new ByteArrayContent(manifestBytes), "manifest", guest + ".wafer.json");
        form.Add(new StringContent(name), "name");
        form.Add(new StringContent(replicas.ToString(CultureInfo.InvariantCulture)), "replicas");
        form.Add(new StringContent("true"), "allowShadowing"); // tests deploy one guest under several names on purpose
        using var response = await api.PostAsync("/api/deployments", form);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /api/deployments answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Api.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Waits until <paramref name="replicas"/> replicas of <paramref name="name"/> run; returns their modules.</summary>
    public async Task<List<JsonElement>> WaitForRunningAsync(string name, int replicas, TimeSpan within, Func<List<JsonElement>, bool>? also = null)
    {
        List<JsonElement> running = [];
        await Eventually.TrueAsync(async () =>
        {
            var deployment = await GetJsonAsync($"/api/deployments/{name}");
            running = [.. deployment.GetProperty("modules").EnumerateArray().Where(m => m.GetProperty("alive").GetBoolean())];
            return deployment.GetProperty("status").GetProperty("state").GetString() == "running" && running.Count == replicas && (also?.Invoke(running) ?? true);
        }, $"{replicas} replica(s) of {name} run", within, this.Logs);
        return running;
    }

    /// <summary>Calls the hello guest's <c>hello</c> function of plugin <paramref name="plugin"/> on a runtime.</summary>
    public static async Task<string?> CallHelloAsync(string runtimeUrl, string plugin)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await client.PostAsync($"{runtimeUrl.TrimEnd('/')}/functions/{plugin}/hello", new StringContent("{}", Encoding.UTF8, "application/json"));
        if (!response.IsSuccessStatusCode)
        {
            Console.WriteLine($"fleet: call {runtimeUrl}/functions/{plugin}/hello answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            return null;
        }

        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return body.GetProperty("result").GetString();
    }

    public string Logs()
    {
        var builder = new StringBuilder();
        foreach (var process in _runtimes.Values.Prepend(Orchestrator).Concat(_gateways).Concat(_stopped).Where(p => p is not null).Distinct())
        {
            builder.AppendLine(CultureInfo.InvariantCulture, $"----- {process.Name} (pid {process.Id}) -----").AppendLine(process.Tail());
        }

        return builder.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        var logs = Logs();
        TestContext.Current.TestOutputHelper?.WriteLine(logs);
        foreach (var process in _runtimes.Values.Concat(_gateways))
        {
            process.Dispose();
        }

        Orchestrator?.Dispose();
        Api.Dispose();
        await Task.CompletedTask;
    }

    public static string Elapsed(Stopwatch clock) => $"{clock.Elapsed.TotalMilliseconds:0} ms";
}
