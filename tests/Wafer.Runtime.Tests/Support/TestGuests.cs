using System.Diagnostics;

namespace Wafer.Runtime.Tests.Support;

/// <summary>
/// The guest set compiled once per test run from tests/guests (AssemblyScript plugins and .wat fixtures).
/// The test command builds it first; when a test runs alone it is built here, once, under a file lock.
/// </summary>
public static class TestGuests
{
    private static readonly Lazy<string> Built = new(Build);

    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The folder holding NAME.wasm and NAME.wafer.json for every test guest.</summary>
    public static string Directory => Built.Value;

    public static string Wasm(string name) => Path.Combine(Directory, name + ".wasm");

    public static string Manifest(string name) => Path.Combine(Directory, name + ".wafer.json");

    private static string Build()
    {
        var output = Environment.GetEnvironmentVariable("WAFER_TEST_GUESTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(RepositoryRoot, "tests", "guests", "out");
        System.IO.Directory.CreateDirectory(output);
        using var guard = AcquireLock(Path.Combine(output, ".build.lock"));
        if (!File.Exists(Path.Combine(output, "hello.wasm")))
        {
            Run("node", Path.Combine(RepositoryRoot, "tests", "guests", "build-wat.mjs"), output);
            Run("node", Path.Combine(RepositoryRoot, "tests", "guests", "build-as.mjs"), output);
        }

        if (!File.Exists(Path.Combine(output, "c-calc.wasm")))
        {
            Run("bash", Path.Combine(RepositoryRoot, "tests", "guests", "build-native.sh"), output);
        }

        return output;
    }

    private static void Run(string tool, string script, string output)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(output);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"building test guests with {script} failed:\n{stdout.Result}\n{stderr.Result}");
        }
    }

    private static FileStream AcquireLock(string path)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200);
            }
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Wafer.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (Wafer.slnx) above " + AppContext.BaseDirectory);
    }
}
