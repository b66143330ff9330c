using System.CommandLine;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Spectre.Console;
using Wafer.Hosting;

namespace Wafer.Cli.Commands;

/// <summary>
/// What the server commands (<c>serve</c>, <c>dev</c>, <c>runtime</c>, <c>orchestrator</c>, <c>gateway</c>) share:
/// refusing bad settings and starting the web application, each failure printed with its exit code (docs/cli.md).
/// </summary>
internal static class ServerStart
{
    /// <summary>The commands that run servers until Ctrl-C or SIGTERM.</summary>
    private static readonly HashSet<string> Servers = new(StringComparer.Ordinal) { "serve", "dev", "runtime", "orchestrator", "gateway" };

    /// <summary>
    /// How long after Ctrl-C or SIGTERM the command may take to finish before the process exits anyway (130/143).
    /// A server stops gracefully (calls in flight answered, the runtime leaving the fleet, the orchestrator publishing
    /// its offline status), within the host's shutdown timeout of 30 s per application, and <c>serve</c> stops two;
    /// System.CommandLine's default of 2 s would end the process in the middle of that. Other commands keep it.
    /// </summary>
    public static TimeSpan TerminationTimeout(ParseResult parse) =>
        Servers.Contains(parse.CommandResult.Command.Name) ? TimeSpan.FromSeconds(65) : TimeSpan.FromSeconds(2);

    /// <summary>Prints <paramref name="message"/> as an error; returns the usage exit code.</summary>
    public static int Usage(string message)
    {
        AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {message}");
        return ExitCodes.Usage;
    }

    /// <summary>Prints each settings error; the usage exit code when there was one, else null.</summary>
    public static int? Refuse(IEnumerable<string> errors)
    {
        int? code = null;
        foreach (var error in errors)
        {
            code = Usage(error);
        }

        return code;
    }

    /// <summary>
    /// Refuses to start <paramref name="what"/> beyond loopback with no token unless <paramref name="insecure"/>
    /// (<see cref="Exposure"/>); the usage exit code when refused, else null.
    /// </summary>
    public static int? RefuseExposed(string what, string host, string? token, bool insecure) =>
        Exposure.Refusal(what, host, "--host", token, insecure) is { } refusal ? Usage(refusal) : null;

    /// <summary>Logs, as <paramref name="what"/> starts (every time), that it serves beyond loopback without a token.</summary>
    public static void WarnIfInsecure(WebApplication app, string what, string url, string host, string? token, bool insecure)
    {
        if (Exposure.IsInsecure(host, token, insecure))
        {
            Exposure.ServingInsecurely(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(Exposure)), what, url);
        }
    }

    /// <summary>An <c>--insecure</c> option, the same on every server command.</summary>
    public static Option<bool> InsecureOption() =>
        new("--insecure") { Description = "Listen beyond loopback with no token: anyone who reaches the port can deploy, stop and run code (logged as a warning at every start)" };

    /// <summary>
    /// Starts <paramref name="app"/> (<paramref name="what"/>: "the runtime", …); on failure disposes it, prints why,
    /// naming the address it could not listen on (<paramref name="listening"/>, with the flag that sets it), and
    /// returns the exit code; null once it runs.
    /// </summary>
    public static async Task<int?> StartAsync(WebApplication app, string what, string listening, CancellationToken cancellationToken = default)
    {
        try
        {
            await app.StartAsync(cancellationToken);
            return null;
        }
        catch (OptionsValidationException ex)
        {
            await app.DisposeAsync();
            return Usage(ex.Message);
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            await app.DisposeAsync();
            AnsiConsole.MarkupLineInterpolated(
                $"[red]error:[/] {what} cannot listen on {listening}: {ex.Message} (another process may use the port; choose another, or 0 for a free one)");
            return ExitCodes.Failed;
        }
        catch (InvalidOperationException ex)
        {
            await app.DisposeAsync();
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {what} could not start: {ex.Message}");
            return ExitCodes.Failed;
        }
    }
}
