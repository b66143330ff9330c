using System.Text.Encodings.Web;
using System.Text.Json;
using Spectre.Console;

namespace Wafer.Cli.Client;

/// <summary>
/// Where a client verb writes: tables and progress for people on stdout, or exactly one JSON document on stdout with
/// <c>--json</c>; errors and warnings always on stderr.
/// </summary>
public sealed class Output(bool json)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Lines are not wrapped at 80 columns when the output goes to a file or a pipe.</summary>
    public const int RedirectedWidth = 400;

    public static IAnsiConsole Errors { get; } = CreateErrors();

    public bool Json { get; } = json;

    /// <summary>For people only: nothing is written with <c>--json</c>.</summary>
    public void Line(FormattableString markup)
    {
        if (!Json)
        {
            AnsiConsole.MarkupLineInterpolated(markup);
        }
    }

    public void Table(Table table)
    {
        if (!Json)
        {
            AnsiConsole.Write(table);
        }
    }

    /// <summary>The one JSON document of <c>--json</c>, indented.</summary>
    public static void WriteJson(JsonElement document) => Console.WriteLine(JsonSerializer.Serialize(document, Indented));

    /// <summary>One JSON document on one line (a line of a <c>--json --follow</c> stream).</summary>
    public static void WriteJsonLine(JsonElement document) => Console.WriteLine(JsonSerializer.Serialize(document, Compact));

    public static void Error(string message) => Errors.MarkupLineInterpolated($"[red]error:[/] {message}");

    public static void Warning(string message) => Errors.MarkupLineInterpolated($"[yellow]warning:[/] {message}");

    /// <summary>Runs a step with a spinner on a terminal, a plain line otherwise, and nothing with <c>--json</c>.</summary>
    public async Task<T> StepAsync<T>(string what, Func<Task<T>> step)
    {
        if (Json)
        {
            return await step();
        }

        if (AnsiConsole.Profile.Capabilities.Interactive)
        {
            return await AnsiConsole.Status().Spinner(Spinner.Known.Dots).StartAsync(Markup.Escape(what) + "…", _ => step());
        }

        AnsiConsole.MarkupLineInterpolated($"[grey]{what}…[/]");
        return await step();
    }

    public static string Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString() ?? "",
                JsonValueKind.Null or JsonValueKind.Undefined => "",
                _ => value.GetRawText(),
            }
            : "";

    public static string Labels(JsonElement element, string property) =>
        element.TryGetProperty(property, out var labels) && labels.ValueKind == JsonValueKind.Object
            ? string.Join(",", labels.EnumerateObject().Select(p => $"{p.Name}={p.Value.GetString()}"))
            : "";

    /// <summary>Called once at start: output to a file or pipe keeps whole lines.</summary>
    public static void Configure()
    {
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = RedirectedWidth;
        }
    }

    private static IAnsiConsole CreateErrors()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (Console.IsErrorRedirected)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }

    /// <summary>The first group of a UUID, enough to tell runtimes and modules apart in a table.</summary>
    public static string ShortId(string id) => id.IndexOf('-', StringComparison.Ordinal) is > 0 and var dash ? id[..dash] : Short(id);

    public static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;
}
