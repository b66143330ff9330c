using System.Text;
using System.Text.Json;
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
        Assert.Equal($"file:vendor/{SdkTarballName}", SdkReference(project));
        Assert.True(File.Exists(Path.Combine(project, "vendor", SdkTarballName)));

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
    public async Task NewProject_MovedToAnotherFolder_BuildsFromItsOwnCopyOfTheSdk()
    {
        var work = TempFolder();
        Assert.Equal(0, (await CliProcess.RunAsync(work, TimeSpan.FromMinutes(1), "new", "mover")).ExitCode);
        var first = Path.Combine(work, "mover");
        var (buildCode, buildOutput) = await CliProcess.RunAsync(first, BuildTimeout, "build");
        Assert.True(buildCode == 0, buildOutput);
        Assert.True(File.Exists(Path.Combine(first, "package-lock.json")), "the first build writes the lockfile");

        // moved (as a copy shared with someone else would be) and installed again from scratch: nothing in the
        // project refers to where it was made or to the Wafer checkout
        var moved = Path.Combine(TempFolder(), "elsewhere");
        Directory.Move(first, moved);
        Directory.Delete(Path.Combine(moved, "node_modules"), recursive: true);
        Directory.Delete(Path.Combine(moved, "build"), recursive: true);
        foreach (var file in (string[])["package.json", "package-lock.json"])
        {
            var text = File.ReadAllText(Path.Combine(moved, file));
            Assert.DoesNotContain(work, text);
            Assert.DoesNotContain(CliProcess.RepositoryRoot, text);
        }

        var (code, output) = await CliProcess.RunAsync(moved, BuildTimeout, "build");
        Assert.True(code == 0, output);
        var functions = ModuleMetadata.Read(File.ReadAllBytes(Path.Combine(moved, "build", "mover.wasm"))).Functions;
        Assert.Contains("greet", functions.Select(f => f.Name));
    }

    [Fact]
    public async Task Build_OldProjectPointingAtAMissingCheckout_SaysHowToFixIt_AndTheFixBuilds()
    {
        var work = TempFolder();
        Assert.Equal(0, (await CliProcess.RunAsync(work, TimeSpan.FromMinutes(1), "new", "old-style")).ExitCode);
        var project = Path.Combine(work, "old-style");
        Directory.Delete(Path.Combine(project, "vendor"), recursive: true);
        var packageJson = Path.Combine(project, "package.json");
        var gone = Path.Combine(work, "gone", "wafer", "sdk", "assemblyscript");
        File.WriteAllText(packageJson, File.ReadAllText(packageJson).Replace($"file:vendor/{SdkTarballName}", $"file:{gone}", StringComparison.Ordinal));

        var (code, output) = await CliProcess.RunAsync(project, BuildTimeout, "build");
        Assert.Equal(2, code);
        Assert.Contains($"refers to the Wafer SDK at {gone} (\"file:{gone}\"), which does not exist", output);
        var bundled = Path.Combine(AppContext.BaseDirectory, "sdk", SdkTarballName);
        Assert.Contains($"mkdir -p vendor && cp {bundled} vendor/{SdkTarballName}", output);
        Assert.Contains($"in package.json: \"@wafer/sdk\": \"file:vendor/{SdkTarballName}\"", output);
        Assert.False(Directory.Exists(Path.Combine(project, "node_modules")), "a refused build installs nothing");

        // the fix, as told
        Directory.CreateDirectory(Path.Combine(project, "vendor"));
        File.Copy(bundled, Path.Combine(project, "vendor", SdkTarballName));
        File.WriteAllText(packageJson, File.ReadAllText(packageJson).Replace($"file:{gone}", $"file:vendor/{SdkTarballName}", StringComparison.Ordinal));
        var (fixedCode, fixedOutput) = await CliProcess.RunAsync(project, BuildTimeout, "build");
        Assert.True(fixedCode == 0, fixedOutput);
        Assert.True(File.Exists(Path.Combine(project, "build", "old-style.wasm")));
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

    /// <summary>The SDK tarball the build put beside wafer.dll (its version is the SDK's package.json version).</summary>
    private static string SdkTarballName => Path.GetFileName(Assert.Single(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "sdk"), "wafer-sdk-*.tgz")));

    private static string? SdkReference(string project) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(project, "package.json"))).RootElement.GetProperty("dependencies").GetProperty("@wafer/sdk").GetString();

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
