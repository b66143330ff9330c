using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Wafer.Cli.Client;

namespace Wafer.Cli.Commands;

/// <summary>
/// <c>wafer logs NAME [--follow]</c>: the call log lines of a deployment (orchestrator, gathered from its runtimes) or of a
/// plugin (runtime): what its guests logged, and its failed calls with their cause. <c>--follow</c> polls for new lines
/// until interrupted.
/// </summary>
public static class LogsCommand
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public static Command Create()
    {
        var options = new ClientOptions();
        var name = new Argument<string>("name") { Description = "The deployment (orchestrator) or plugin (runtime)" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines until interrupted" };
        var since = new Option<string?>("--since") { Description = "Only lines after this: a duration ago (10m, 1h) or a time (2026-01-31T12:00:00Z)" };
        var function = new Option<string?>("--function") { Description = "Only lines of this function" };
        var limit = new Option<int>("--limit") { Description = "At most this many lines per request (1-1000)", DefaultValueFactory = _ => 200 };
        var command = new Command("logs", "Print the log lines of a deployment (orchestrator) or plugin (runtime): guest lines and failed calls") { name, follow, since, function, limit };
        options.AddTo(command);
        options.SetAction(command, async (parse, client, output, cancellationToken) =>
        {
            if (parse.GetValue(limit) is < 1 or > 1000)
            {
                throw new CliException(ExitCodes.Usage, $"--limit must be between 1 and 1000, got {parse.GetValue(limit)}");
            }

            DateTimeOffset? from = parse.GetValue(since) is { } text ? ParseSince(text) : null;
            var info = await client.RequireAsync("logs", cancellationToken);
            var target = parse.GetValue(name)!;
            if (info.IsRuntime)
            {
                await client.GetAsync($"api/plugins/{Uri.EscapeDataString(target)}", cancellationToken); // 404 when it is not served
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (true)
            {
                var (lines, document) = await FetchAsync(client, info, target, parse.GetValue(function), from, parse.GetValue(limit), cancellationToken);
                if (!parse.GetValue(follow))
                {
                    if (output.Json)
                    {
                        Output.WriteJson(document);
                    }
                    else
                    {
                        lines.ForEach(Print);
                    }

                    return ExitCodes.Ok;
                }

                foreach (var line in lines.Where(l => seen.Add(Key(l))))
                {
                    if (output.Json)
                    {
                        Output.WriteJsonLine(line);
                    }
                    else
                    {
                        Print(line);
                    }
                }

                if (lines.Count > 0)
                {
                    from = lines.Max(l => l.GetProperty("time").GetDateTimeOffset());
                    seen.RemoveWhere(k => !k.StartsWith(from.Value.UtcTicks.ToString(CultureInfo.InvariantCulture) + "|", StringComparison.Ordinal));
                }

                await Task.Delay(PollInterval, cancellationToken);
            }
        });
        return command;
    }

    /// <summary>The lines (oldest first) and the JSON document <c>--json</c> prints.</summary>
    private static async Task<(List<JsonElement> Lines, JsonElement Document)> FetchAsync(
        WaferClient client, ServerInfo info, string target, string? function, DateTimeOffset? since, int limit, CancellationToken cancellationToken)
    {
        var query = $"?limit={limit}"
                    + (function is null ? "" : "&function=" + Uri.EscapeDataString(function))
                    + (since is null ? "" : "&since=" + Uri.EscapeDataString(since.Value.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture)));
        if (info.IsOrchestrator)
        {
            var body = await client.GetAsync($"api/deployments/{Uri.EscapeDataString(target)}/logs{query}", cancellationToken);
            foreach (var error in body.GetProperty("errors").EnumerateArray())
            {
                Output.Warning($"no logs from runtime {Output.Text(error, "runtime")}: {Output.Text(error, "reason")}");
            }

            return (body.GetProperty("lines").EnumerateArray().ToList(), body);
        }

        var all = await client.GetAsync($"api/logs{query}&plugin={Uri.EscapeDataString(target)}", cancellationToken);
        var lines = all.EnumerateArray().Where(l => Output.Text(l, "plugin") == target).OrderBy(l => l.GetProperty("time").GetDateTimeOffset()).ToList();
        var document = JsonSerializer.SerializeToElement(new { plugin = target, lines });
        return (lines, document);
    }

    private static DateTimeOffset ParseSince(string text)
    {
        if (DurationParser.TryParse(text, out var ago))
        {
            return DateTimeOffset.UtcNow - ago;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new CliException(ExitCodes.Usage, $"--since: '{text}' is neither a duration (10m, 1h) nor a time (2026-01-31T12:00:00Z)");
    }

    private static string Key(JsonElement line) =>
        $"{line.GetProperty("time").GetDateTimeOffset().UtcTicks}|{Output.Text(line, "runtime")}|{Output.Text(line, "callId")}|{Output.Text(line, "message")}";

    private static void Print(JsonElement line)
    {
        var time = line.GetProperty("time").GetDateTimeOffset().ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
        var runtime = Output.Text(line, "runtimeName") is { Length: > 0 } r ? $" [{r}]" : "";
        AnsiConsole.MarkupLineInterpolated(
            $"[grey]{time}[/] {Output.Text(line, "level"),-7} {Output.Text(line, "plugin")}.{Output.Text(line, "function")}{runtime}: {Output.Text(line, "message")}");
    }
}
