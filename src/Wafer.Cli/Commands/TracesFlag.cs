using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Wafer.Hosting.Telemetry.Tracing;

namespace Wafer.Cli.Commands;

/// <summary>
/// <c>--traces</c>, on the server commands: record spans and keep the recent ones for <c>GET /api/traces</c> and the
/// console without an OTLP exporter (the <c>OTEL_*</c> variables set one up; docs/tracing.md).
/// </summary>
internal sealed class TracesFlag
{
    private readonly Option<bool> _option = new("--traces")
    {
        Description = "Keep recent traces for /api/traces and the console even without an OTLP exporter (OTEL_EXPORTER_OTLP_ENDPOINT exports them; see docs/tracing.md)",
    };

    public void AddTo(Command command) => command.Options.Add(_option);

    /// <summary>What the flag says, as a last say over a server's services; nothing when it is not given.</summary>
    public Action<IServiceCollection> Services(ParseResult parse, Action<IServiceCollection>? also = null)
    {
        var keep = parse.GetValue(_option);
        return services =>
        {
            also?.Invoke(services);
            if (keep)
            {
                services.Configure<TracingOptions>(o => o.KeepRecent = true);
            }
        };
    }

    /// <summary>
    /// One store of recent spans for the servers of one process (<c>wafer serve</c>: the orchestrator with its gateway,
    /// and the runtime), so either port's <c>/api/traces</c> and console show a call's whole trace. Made by the first
    /// server that asks, sized by its options (every server of the process reads the same ones).
    /// </summary>
    public static Action<IServiceCollection> OneStore()
    {
        var gate = new Lock();
        RecentTraces? store = null;
        return services => services.AddSingleton(sp =>
        {
            lock (gate)
            {
                var options = sp.GetRequiredService<IOptions<TracingOptions>>().Value;
                return store ??= new RecentTraces(options.RecentTraces, options.SpansPerTrace);
            }
        });
    }
}
