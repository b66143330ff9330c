namespace Wafer.Fleet.Tests.Support;

/// <summary>Where things are: the repository, the built CLI, the test guests, the test broker.</summary>
public static class Repository
{
    public const string MqttVariable = "WAFER_TEST_MQTT";

    public static string Root { get; } = FindRoot();

    /// <summary>
    /// The CLI built with this test project (a project reference copies it beside the tests), or the wafer.dll that
    /// WAFER_TEST_DLL names: a build of another commit, to see a test fail without a change.
    /// </summary>
    public static string WaferDll => Environment.GetEnvironmentVariable("WAFER_TEST_DLL") is { Length: > 0 } other
        ? other
        : Path.Combine(AppContext.BaseDirectory, "wafer.dll");

    /// <summary>The Mosquitto broker the test command started (<c>scripts/mosquitto.sh</c>): mqtt://USER:PASSWORD@HOST:PORT.</summary>
    public static string BrokerUrl => Environment.GetEnvironmentVariable(MqttVariable) is { Length: > 0 } url
        ? url
        : throw new InvalidOperationException(
            $"{MqttVariable} is not set: run the tests with scripts/test.sh, or start a broker with scripts/mosquitto.sh start and export {MqttVariable}");

    public static string Guest(string file)
    {
        var folder = Environment.GetEnvironmentVariable("WAFER_TEST_GUESTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Root, "tests", "guests", "out");
        var path = Path.Combine(folder, file);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is missing: build the test guests (scripts/test.sh does, or node tests/guests/build-as.mjs {folder})");
    }

    /// <summary>
    /// A Modus-built module from <c>../shared/fixtures/modus</c> (third-party test data, used in place), looked up in the
    /// ancestors of the repository root.
    /// </summary>
    public static string ModusFixture(string file)
    {
        for (var dir = new DirectoryInfo(Root); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "shared", "fixtures", "modus", file);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException($"the Modus fixture {file} (shared/fixtures/modus) was not found beside the repository");
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
