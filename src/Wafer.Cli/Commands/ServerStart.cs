using System.CommandLine;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Spectre.Console;
using Wafer.Cli.Configuration;
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

    /// <summary>True with <c>--verbose</c>: errors that stop a command print their stack trace too.</summary>
    public static bool Verbose { get; set; }

    /// <summary>
    /// Prints an exception nothing else handled as one line naming the command and the cause (with its stack trace
    /// under <c>--verbose</c>); returns the failure exit code.
    /// </summary>
    public static int Crashed(string command, Exception exception)
    {
        var cause = exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : exception;
        var reasons = string.Join(": ", Chain(cause).Select(e => e.Message.ReplaceLineEndings(" ").Trim()).Distinct());
        AnsiConsole.MarkupLineInterpolated($"[red]error:[/] wafer {command} stopped: {reasons}{(Verbose ? "" : " (--verbose prints the stack trace)")}");
        if (Verbose)
        {
            Console.Error.WriteLine(cause.ToString());
        }

        return ExitCodes.Failed;
    }

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    /// <summary>
    /// The configuration a server command gives its applications: the settings its flags collect go in here. The
    /// host's own log line for a failed start (a stack trace) is left out unless <c>--verbose</c>: the command prints
    /// the cause in one line (<see cref="StartAsync"/>).
    /// </summary>
    public static Dictionary<string, string?> NewConfiguration() => new(StringComparer.OrdinalIgnoreCase)
    {
        ["Logging:LogLevel:Microsoft.Extensions.Hosting.Internal.Host"] = Verbose ? "Information" : "Critical",
    };

    /// <summary>Prints <paramref name="message"/> as an error; returns the usage exit code.</summary>
    public static int Usage(string message)
    {
        AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {SettingSources.Annotate(message)}");
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
            await DisposeUnstartedAsync(app);
            return Usage(ex.Message);
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            await DisposeUnstartedAsync(app);
            AnsiConsole.MarkupLineInterpolated(
                $"[red]error:[/] {what} cannot listen on {Which(listening, ex)}: {ex.Message.ReplaceLineEndings(" ").Trim()} (another process may use the port; choose another, or 0 for a free one)");
            if (Verbose)
            {
                Console.Error.WriteLine(ex.ToString());
            }

            return ExitCodes.Failed;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await DisposeUnstartedAsync(app);
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {what} could not start: {string.Join(": ", Chain(ex).Select(e => e.Message.ReplaceLineEndings(" ").Trim()).Distinct())}");
            if (Verbose)
            {
                Console.Error.WriteLine(ex.ToString());
            }

            return ExitCodes.Failed;
        }
    }

    /// <summary>
    /// Of the addresses in <paramref name="listening"/> (<c>URL (--flag) or the broker port … (--flag)</c>), the one
    /// <paramref name="exception"/> is about: the HTTP address Kestrel names, else the others (the broker's).
    /// </summary>
    private static string Which(string listening, Exception exception)
    {
        var alternatives = listening.Split(" or ", StringSplitOptions.TrimEntries);
        if (alternatives.Length == 1)
        {
            return listening;
        }

        var messages = string.Join(" ", Chain(exception).Select(e => e.Message));
        var http = alternatives.Where(a => a.StartsWith("http", StringComparison.Ordinal)).ToList();
        if (http.FirstOrDefault(a => messages.Contains(a.Split(' ')[0], StringComparison.Ordinal)) is { } named)
        {
            return named;
        }

        return messages.Contains("Failed to bind to address", StringComparison.Ordinal) ? listening : string.Join(" or ", alternatives.Except(http));
    }

    /// <summary>
    /// Stops, then disposes, an application whose start failed: stopped first, its background services that ended on
    /// the way count as stopped, and the host logs no crash (with a stack trace) for them.
    /// </summary>
    private static async Task DisposeUnstartedAsync(WebApplication app)
    {
        try
        {
            await app.StopAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // it did not start: there may be nothing to stop
        }

        await app.DisposeAsync();
    }
}
