using System.Text;
using Wafer.Protocol.Manifest;
using Wafer.Protocol.Metadata;

namespace Wafer.Cli.Tests;

/// <summary><c>wafer new</c> and <c>wafer build</c> as a newcomer runs them.</summary>
public sealed class NewAndBuildTests
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(4);

    private static string TempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "wafer-cli-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        return path;
    }

    [Fact]
    public async Task NewThenBuild_ProducesAPluginWithMetadata()
    {
        var work = TempFolder();
        var (newCode, newOutput) = await CliProcess.RunAsync(work, TimeSpan.FromMinutes(1), "new", "my-plugin");
        Assert.True(newCode == 0, newOutput);
        var project = Path.Combine(work, "my-plugin");
        Assert.True(File.Exists(Path.Combine(project, "assembly", "index.ts")));
        Assert.Equal("my-plugin", ManifestReader.Load(Path.Combine(project, "wafer.json")).Name);
        Assert.Contains(Path.Combine(CliProcess.RepositoryRoot, "sdk", "assemblyscript").Replace('\\', '/'),
            File.ReadAllText(Path.Combine(project, "package.json")));

        var (buildCode, buildOutput) = await CliProcess.RunAsync(project, BuildTimeout, "build");
        Assert.True(buildCode == 0, buildOutput);
        var wasm = File.ReadAllBytes(Path.Combine(project, "build", "my-plugin.wasm"));
        var metadata = ModuleMetadata.Read(wasm);
        Assert.Equal(1, metadata.Abi);
        var greet = metadata.Functions.Single(f => f.Name == "greet");
        Assert.Equal("string", greet.Result.ToString());
        Assert.Equal(["name"], greet.Parameters.Select(p => p.Name));
        Assert.True(File.Exists(Path.Combine(project, "build", "my-plugin.wafer.json")));
    }

    [Fact]
    public async Task Build_CompileError_FailsWithTheCompilersMessage()
    {
        var work = TempFolder();
        Assert.Equal(0, (await CliProcess.RunAsync(work, TimeSpan.FromMinutes(1), "new", "broken")).ExitCode);
        var project = Path.Combine(work, "broken");
        File.WriteAllText(Path.Combine(project, "assembly", "index.ts"), "export function f(x: i32): string { return x; }\n", Encoding.UTF8);

        var (code, output) = await CliProcess.RunAsync(project, BuildTimeout, "build");
        Assert.Equal(1, code);
        Assert.Contains("index.ts", output);
        Assert.False(File.Exists(Path.Combine(project, "build", "broken.wasm")));
    }

    [Theory]
    [InlineData("Bad Name", "is not a valid plugin name")]
    [InlineData("-dash", "is not a valid plugin name")]
    public async Task New_InvalidName_IsUsageError(string name, string message)
    {
        var (code, output) = await CliProcess.RunAsync(TempFolder(), TimeSpan.FromMinutes(1), "new", name);
        Assert.Equal(2, code);
        Assert.Contains(message, output);
    }

    [Fact]
    public async Task New_ExistingFolder_IsRefused()
    {
        var work = TempFolder();
        Directory.CreateDirectory(Path.Combine(work, "taken"));
        File.WriteAllText(Path.Combine(work, "taken", "keep.txt"), "mine");
        var (code, output) = await CliProcess.RunAsync(work, TimeSpan.FromMinutes(1), "new", "taken");
        Assert.Equal(2, code);
        Assert.Contains("already exists", output);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(work, "taken", "keep.txt")));
    }

    [Fact]
    public async Task Build_OutsideAProject_SaysWhatIsMissing()
    {
        var (code, output) = await CliProcess.RunAsync(TempFolder(), TimeSpan.FromMinutes(1), "build");
        Assert.Equal(2, code);
        Assert.Contains("wafer.json not found", output);
    }

    [Fact]
    public async Task Serve_MissingPluginsFolder_IsUsageError()
    {
        var (code, output) = await CliProcess.RunAsync(TempFolder(), TimeSpan.FromMinutes(1), "serve", "--plugins", "nowhere", "--port", "0");
        Assert.Equal(2, code);
        Assert.Contains("does not exist", output);
    }
}
