using System.Diagnostics;

namespace Wafer.Wasm.Tests.Support;

/// <summary>
/// The compiled WAT fixtures: <c>$WAFER_TEST_GUESTS</c>, or <c>tests/guests/out</c> under the repository root.
/// Missing or stale fixtures are built once per test run with <c>node tests/guests/build-wat.mjs</c>.
/// </summary>
internal static class Guests
{
    private static readonly Lazy<string> Directory = new(Prepare, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string RepositoryRoot { get; } = FindRoot();

    public static string OutputDirectory => Directory.Value;

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(OutputDirectory, name + ".wasm"));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Wafer.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Wafer.slnx above {AppContext.BaseDirectory}");
    }

    private static string Prepare()
    {
        var configured = Environment.GetEnvironmentVariable("WAFER_TEST_GUESTS");
        var output = string.IsNullOrEmpty(configured)
            ? Path.Combine(RepositoryRoot, "tests", "guests", "out")
            : Path.GetFullPath(configured);
        var guests = Path.Combine(RepositoryRoot, "tests", "guests");
        if (IsStale(Path.Combine(guests, "wat"), output))
        {
            if (!File.Exists(Path.Combine(guests, "node_modules", "wabt", "package.json")))
            {
                Run("npm", "ci --no-audit --no-fund", guests);
            }

            Run("node", $"build-wat.mjs \"{output}\"", guests);
        }

        return output;
    }

    /// <summary>True when some .wat (or its .meta.json) has no .wasm or is newer than it.</summary>
    private static bool IsStale(string watDirectory, string output)
    {
        foreach (var wat in System.IO.Directory.EnumerateFiles(watDirectory, "*.wat"))
        {
            var name = Path.GetFileNameWithoutExtension(wat);
            var wasm = new FileInfo(Path.Combine(output, name + ".wasm"));
            var meta = Path.Combine(watDirectory, name + ".meta.json");
            if (!wasm.Exists ||
                File.GetLastWriteTimeUtc(wat) > wasm.LastWriteTimeUtc ||
                File.Exists(meta) && File.GetLastWriteTimeUtc(meta) > wasm.LastWriteTimeUtc)
            {
                return true;
            }
        }

        return false;
    }

    private static void Run(string program, string arguments, string workingDirectory)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{program} {arguments}' in {workingDirectory} failed ({process.ExitCode}):\n{stdout.Result}\n{stderr}");
        }
    }
}
