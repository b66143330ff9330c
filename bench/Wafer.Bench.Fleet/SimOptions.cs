using System.Globalization;

namespace Wafer.Bench.Fleet;

/// <summary>Command-line settings of the fleet simulation (<c>--name value</c> pairs; see <see cref="Usage"/>).</summary>
internal sealed class SimOptions
{
    public const string Usage = """
        Wafer.Bench.Fleet: simulated runtimes against a real orchestrator process; reports its CPU and reconcile lag.
          --runtimes N          simulated runtimes (500)
          --deployments N       deployments (1000)
          --replicas N          replicas per deployment (5)
          --maxModules N        capacity each runtime announces (20)
          --keepalive SECONDS   keepalive interval (5)
          --steady SECONDS      steady-state measurement window once everything runs (60)
          --timeout SECONDS     give up after this long in all (600)
          --wafer PATH          wafer.dll to start the orchestrator from (default .artifacts/cli/wafer.dll; ./wafer builds it),
                                or a self-contained executable (scripts/publish.sh)
          --wasm PATH           plugin to deploy (default tests/guests/out/hello.wasm or $WAFER_TEST_GUESTS/hello.wasm)
          --parallel N          concurrent deployment requests (4)
          --warmup N            first post N deployments, wait until they run, delete them, then measure (0: a fresh orchestrator)
        """;

    public int Runtimes { get; private set; } = 500;
    public int Deployments { get; private set; } = 1000;
    public int Replicas { get; private set; } = 5;
    public int MaxModules { get; private set; } = 20;
    public TimeSpan Keepalive { get; private set; } = TimeSpan.FromSeconds(5);
    public TimeSpan Steady { get; private set; } = TimeSpan.FromSeconds(60);
    public TimeSpan Timeout { get; private set; } = TimeSpan.FromMinutes(10);
    public string? Wafer { get; private set; }
    public string? Wasm { get; private set; }
    public int Parallel { get; private set; } = 4;
    public int Warmup { get; private set; }

    public int Modules => Deployments * Replicas;

    public static SimOptions Parse(string[] args)
    {
        var options = new SimOptions();
        for (var i = 0; i < args.Length; i += 2)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value\n{Usage}");
            int Int() => int.Parse(value, CultureInfo.InvariantCulture);
            TimeSpan Seconds() => TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture));
            switch (args[i])
            {
                case "--runtimes": options.Runtimes = Int(); break;
                case "--deployments": options.Deployments = Int(); break;
                case "--replicas": options.Replicas = Int(); break;
                case "--maxModules": options.MaxModules = Int(); break;
                case "--keepalive": options.Keepalive = Seconds(); break;
                case "--steady": options.Steady = Seconds(); break;
                case "--timeout": options.Timeout = Seconds(); break;
                case "--wafer": options.Wafer = value; break;
                case "--wasm": options.Wasm = value; break;
                case "--parallel": options.Parallel = Int(); break;
                case "--warmup": options.Warmup = Int(); break;
                default: throw new ArgumentException($"unknown option {args[i]}\n{Usage}");
            }
        }

        if (options.Replicas > options.Runtimes || (long)options.Runtimes * options.MaxModules < options.Modules)
        {
            throw new ArgumentException("not enough runtimes or capacity for the replicas asked for");
        }

        return options;
    }
}
