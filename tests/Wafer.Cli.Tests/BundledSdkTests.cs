using Wafer.Cli.Building;

namespace Wafer.Cli.Tests;

/// <summary>The guest SDK inside wafer.dll, which a single-file executable (no sdk/ folder beside it) writes out on first use.</summary>
public sealed class BundledSdkTests
{
    [Fact]
    public void Extract_WritesTheSameSdkAsTheFilesBesideTheExecutable_Once()
    {
        var beside = BundledSdk.At(Path.Combine(AppContext.BaseDirectory, "sdk"));
        Assert.NotNull(beside);
        var cache = Path.Combine(Path.GetTempPath(), "wafer-cli-tests", Guid.NewGuid().ToString("N")[..12]);

        var extracted = BundledSdk.Extract(cache);

        Assert.NotNull(extracted);
        Assert.StartsWith(cache, extracted.Directory);
        Assert.Equal(File.ReadAllBytes(beside.Tarball), File.ReadAllBytes(extracted.Tarball));
        Assert.Equal(Files(beside.Template), Files(extracted.Template));
        Assert.Contains(("package.json", File.ReadAllText(Path.Combine(beside.Template, "package.json"))), Files(extracted.Template));

        // a second use finds the folder written the first time, and nothing half-written is left beside it
        var again = BundledSdk.Extract(cache);
        Assert.Equal(extracted, again);
        Assert.Equal([extracted.Directory], Directory.GetDirectories(cache));
    }

    private static List<(string Path, string Text)> Files(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => (Path.GetRelativePath(folder, f), File.ReadAllText(f)))
            .OrderBy(f => f.Item1, StringComparer.Ordinal)];
}
