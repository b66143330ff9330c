using System.Text.RegularExpressions;
using Wafer.Cli.Configuration;

namespace Wafer.Cli.Tests;

/// <summary>
/// One configuration path for the server commands (docs/cli.md, "Configuration"): a flag wins over its WAFER_*
/// variable, which wins over the configuration file, which wins over the default; every value is checked and an error
/// names where the value came from. Each case runs the real CLI with values its options refuse, one per source, so
/// the value the error reports shows which source won and that it reached the options the server starts with.
/// </summary>
public sealed partial class ConfigurationTests
{
    private static readonly string[] Orchestrator = ["orchestrator", "--port", "0"];

    [Theory]
    [InlineData("orchestrator", "drainTimeout", "10ms", "20ms", "30ms", "DrainTimeout (--drainTimeout) must be at least 50ms, got 00:00:00.0{0}00000")]
    [InlineData("orchestrator", "commandTimeout", "10ms", "20ms", "30ms", "CommandTimeout (--commandTimeout) must be at least 50ms, got 00:00:00.0{0}00000")]
    [InlineData("orchestrator", "keepaliveGraceMissed", "101", "102", "103", "KeepaliveGraceMissed (--keepaliveGraceMissed) must be between 1 and 100, got 10{0}")]
    [InlineData("orchestrator", "maxArtifactBytes", "100", "200", "300", "MaxArtifactBytes (--maxArtifactBytes) must be at least 1024, got {0}00")]
    [InlineData("serve", "maxConcurrentJobs", "1001", "1002", "1003", "Jobs:MaxConcurrent (--maxConcurrentJobs) must be between 1 and 1000, got 100{0}")]
    [InlineData("serve", "handlerMaxResponseBytes", "100", "200", "300", "Handlers:MaxResponseBytes (--handlerMaxResponseBytes) must be between 1024 and 1073741824, got {0}00")]
    [InlineData("serve", "maxConcurrentCalls", "10001", "10002", "10003", "MaxConcurrentCalls (--maxConcurrentCalls) must be between 1 and 10000, got 1000{0}")]
    [InlineData("runtime", "maxModules", "-1", "-2", "-3", "Agent.MaxModules (--maxModules) must be at least 1, got -{0}")]
    [InlineData("gateway", "probeFailuresToDown", "-1", "-2", "-3", "Gateway:ProbeFailuresToDown must be at least 1, got -{0}")]
    [InlineData("serveFleet", "probeFailuresToDown", "-1", "-2", "-3", "Gateway:ProbeFailuresToDown must be at least 1, got -{0}")]
    [InlineData("serveFleet", "callTimeout", "25h", "26h", "27h", "Gateway:CallTimeout must be positive and at most a day, got 1.0{0}:00:00")]
    public async Task Setting_FlagWinsOverVariableWhichWinsOverFile(string command, string key, string inFile, string inVariable, string inFlag, string error)
    {
        var folder = TempFolder();
        var file = Path.Combine(folder, "config.json");
        await File.WriteAllTextAsync(file, $$"""{ "{{key}}": "{{inFile}}" }""");
        var variable = SettingNames.Variable(key);

        var all = await RunAsync(command, folder, new() { [variable] = inVariable }, "--config", file, "--" + key, inFlag);
        var variableAndFile = await RunAsync(command, folder, new() { [variable] = inVariable }, "--config", file);
        var fileAlone = await RunAsync(command, folder, new(), "--config", file);

        Assert.True(all.Code == 2, all.Output);
        Assert.Contains(string.Format(error, 3), all.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("was set by", all.Output, StringComparison.Ordinal);
        Assert.True(variableAndFile.Code == 2, variableAndFile.Output);
        Assert.Contains(string.Format(error, 2), variableAndFile.Output, StringComparison.Ordinal);
        Assert.Contains($"--{key}{(error.Contains($"(--{key})", StringComparison.Ordinal) ? " was" : ",")} set by {variable}", variableAndFile.Output, StringComparison.Ordinal);
        Assert.True(fileAlone.Code == 2, fileAlone.Output);
        Assert.Contains(string.Format(error, 1), fileAlone.Output, StringComparison.Ordinal);
        Assert.Contains($"set by {file}: {key}", fileAlone.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task File_CommandSectionWinsOverTopLevel_AndDefaultFileIsRead()
    {
        var home = TempFolder();
        Directory.CreateDirectory(Path.Combine(home, ".wafer"));
        await File.WriteAllTextAsync(Path.Combine(home, ".wafer", "config.json"), """
            // the default file: ~/.wafer/config.json
            { "drainTimeout": "2m", "orchestrator": { "drainTimeout": "40ms" }, "serve": { "drainTimeout": "1h" }, }
            """);

        var (code, output) = await RunAsync("orchestrator", home, new() { ["HOME"] = home });

        Assert.True(code == 2, output);
        Assert.Contains("DrainTimeout (--drainTimeout) must be at least 50ms, got 00:00:00.0400000", output, StringComparison.Ordinal);
        Assert.Contains($"set by {Path.Combine(home, ".wafer", "config.json")}: orchestrator.drainTimeout", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "drainTimeot": "1m" }""", "config.json: drainTimeot: unknown setting 'drainTimeot'")]
    [InlineData("""{ "orchestrator": { "plugins": "x" } }""", "config.json: orchestrator.plugins: unknown setting 'plugins'")]
    [InlineData("""{ "serve": { "nothing": 1 } }""", "config.json: serve.nothing: 'wafer serve' has no setting 'nothing'")]
    [InlineData("""{ "keepaliveGraceMissed": "three" }""", "config.json: keepaliveGraceMissed: 'three' is not a whole number (for --keepaliveGraceMissed)")]
    [InlineData("""{ "drainTimeout": { "minutes": 2 } }""", "config.json: drainTimeout: expected a string, a number, true or false, or a list of strings, got object")]
    [InlineData("""{ "drainTimeout": """, "config.json: not valid JSON")]
    [InlineData("""[1]""", "config.json: the file must hold one JSON object of settings")]
    public async Task File_UnknownKeysAndBadValues_AreUsageErrorsNamingTheKey(string content, string error)
    {
        var folder = TempFolder();
        var file = Path.Combine(folder, "config.json");
        await File.WriteAllTextAsync(file, content);

        var (code, output) = await RunAsync("orchestrator", folder, new(), "--config", file);

        Assert.True(code == 2, output);
        Assert.Contains(error, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("WAFER_BROKER_PORT", "eighty", "WAFER_BROKER_PORT: 'eighty' is not a whole number (for --brokerPort)")]
    [InlineData("WAFER_JSONLOGS", "yes", "WAFER_JSONLOGS: 'yes' is not true or false (for --jsonlogs)")]
    [InlineData("WAFER_COMMAND_TIMEOUT", "soon", "WAFER_COMMAND_TIMEOUT: 'soon' is not a duration such as 30s, 2m or 500ms (for --commandTimeout)")]
    [InlineData("WAFER_CONFIG", "/nowhere/wafer-config.json", "WAFER_CONFIG: file '/nowhere/wafer-config.json' does not exist")]
    public async Task Variable_BadValue_IsAUsageErrorNamingTheVariable(string variable, string value, string error)
    {
        var (code, output) = await RunAsync("orchestrator", TempFolder(), new() { [variable] = value });

        Assert.True(code == 2, output);
        Assert.Contains(error, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Variable_OfAnotherCommandsSetting_IsIgnored()
    {
        // WAFER_PLUGINS is serve's and runtime's; the orchestrator has no --plugins and must not refuse it
        var (code, output) = await RunAsync("orchestrator", TempFolder(), new() { ["WAFER_PLUGINS"] = "/srv/plugins", ["WAFER_DRAIN_TIMEOUT"] = "1ms" });

        Assert.True(code == 2, output);
        Assert.DoesNotContain("plugins", output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("DrainTimeout (--drainTimeout) must be at least 50ms", output, StringComparison.Ordinal);
    }

    [Fact]
    public void SettingsTable_IsTheOneInTheDocs()
    {
        var table = SettingsTable.Markdown(WaferCommands.Root());
        var docs = Path.Combine(CliProcess.RepositoryRoot, "docs", "cli.md");
        var text = File.ReadAllText(docs);
        var section = DocsTable().Match(text);
        Assert.True(section.Success, "docs/cli.md has no settings table between <!-- settings table --> and <!-- end settings table -->");
        if (Environment.GetEnvironmentVariable("WAFER_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(docs, DocsTable().Replace(text, _ => "<!-- settings table -->\n" + table + "<!-- end settings table -->"));
            return;
        }

        Assert.Equal(table, section.Groups["table"].Value.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void SettingNames_AreDerivedFromTheFlag()
    {
        Assert.Equal("WAFER_DRAIN_TIMEOUT", SettingNames.Variable("drainTimeout"));
        Assert.Equal("WAFER_H2C_PORT", SettingNames.Variable("h2cPort"));
        Assert.Equal("WAFER_STORAGE_PATH", SettingNames.Variable("storagePath"));
        Assert.Equal("WAFER_MQTT_USERNAME", SettingNames.Variable("mqttUser")); // its name before there was a rule
    }

    [GeneratedRegex(@"<!-- settings table -->\n(?<table>.*?)<!-- end settings table -->", RegexOptions.Singleline)]
    private static partial Regex DocsTable();

    private static async Task<(int Code, string Output)> RunAsync(string command, string folder, Dictionary<string, string> environment, params string[] arguments)
    {
        environment.TryAdd("HOME", folder); // no ~/.wafer/config.json of the machine's user
        string[] common = command switch
        {
            "orchestrator" => [.. Orchestrator, "--storagePath", Path.Combine(folder, "o")],
            "serve" => ["serve", "--standalone", "--port", "0", "--plugins", folder, "--storagePath", Path.Combine(folder, "s")],
            "serveFleet" => ["serve", "--port", "0", "--orchestratorPort", "0", "--brokerPort", "0", "--plugins", folder, "--storagePath", Path.Combine(folder, "s")],
            "runtime" => ["runtime", "--join", "mqtt://127.0.0.1:1", "--port", "0", "--storagePath", Path.Combine(folder, "r")],
            "gateway" => ["gateway", "--orchestrator", "http://127.0.0.1:1", "--port", "0"],
            _ => throw new ArgumentException(command, nameof(command)),
        };
        var (code, stdout, stderr) = await CliProcess.RunSeparatelyAsync(environment, folder, TimeSpan.FromMinutes(1), [.. common, .. arguments]);
        return (code, Regex.Replace(stdout + stderr, @"\s+", " "));
    }

    private static string TempFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "wafer-config-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        return folder;
    }
}
