using Microsoft.Extensions.Logging;

namespace Wafer.Hosting.Logging;

/// <summary>The console logging every Wafer server shares: the runtime, the orchestrator and the gateway.</summary>
public static class ServerLogging
{
    /// <summary>
    /// One line per entry (JSON with <paramref name="jsonLogs"/>), framework chatter at warnings, and no hosting
    /// diagnostics: while that category is enabled at any level, hosting starts an Activity and a log scope for every
    /// request (about 1 µs and several allocations each); it logs only request start/finish and startup failures,
    /// which reach the caller of StartAsync as exceptions anyway.
    /// </summary>
    public static ILoggingBuilder AddWaferConsole(this ILoggingBuilder logging, bool jsonLogs, LogLevel minimumLevel)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.ClearProviders();
        if (jsonLogs)
        {
            // every line carries the same Timestamp field, ISO 8601 in UTC, for collectors to order and join lines by
            logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = false;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
        }

        return logging.SetMinimumLevel(minimumLevel)
            .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
            .AddFilter("Microsoft.Hosting", LogLevel.Warning)
            .AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
    }
}
