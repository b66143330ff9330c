using System.Text.Json;
using System.Text.RegularExpressions;

namespace Wafer.Cli.Tests;

/// <summary><c>wafer version</c> and <c>wafer --version</c> name the versions set in the repository's one place for each.</summary>
public sealed partial class VersionCommandTests
{
    /// <summary>Wafer's version, as Directory.Build.props sets it.</summary>
    public static string WaferVersion => VersionPrefix().Match(File.ReadAllText(Path.Combine(CliProcess.RepositoryRoot, "Directory.Build.props"))).Groups[1].Value;

    private static string WasmtimeVersion => WasmtimePackage().Match(File.ReadAllText(Path.Combine(CliProcess.RepositoryRoot, "Directory.Packages.props"))).Groups[1].Value;

    private static string SdkVersion =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(CliProcess.RepositoryRoot, "sdk", "assemblyscript", "package.json"))).RootElement.GetProperty("version").GetString()!;

    [Theory]
    [InlineData("version")]
    [InlineData("--version")]
    public async Task Version_NamesWaferWasmtimeAndTheSdk(string argument)
    {
        Assert.NotEmpty(WaferVersion);
        Assert.NotEmpty(WasmtimeVersion);
        var (code, output) = await CliProcess.RunAsync(Path.GetTempPath(), TimeSpan.FromMinutes(1), argument);
        Assert.True(code == 0, output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Matches($"^wafer {Regex.Escape(WaferVersion)}( \\(commit [0-9a-f]+\\))?$", lines[0]);
        Assert.Equal($"Wasmtime {WasmtimeVersion}", lines[1]);
        Assert.Equal($"AssemblyScript SDK (@wafer/sdk) {SdkVersion}", lines[2]);
        Assert.StartsWith(".NET 10.", lines[3]);
    }

    [GeneratedRegex("<VersionPrefix>([^<]+)</VersionPrefix>")]
    private static partial Regex VersionPrefix();

    [GeneratedRegex("<PackageVersion Include=\"Wasmtime\" Version=\"([^\"]+)\"")]
    private static partial Regex WasmtimePackage();
}
