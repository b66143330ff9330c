using System.CommandLine;
using Wafer.Runtime.Hosting;

namespace Wafer.Cli.Commands;

/// <summary>
/// The flags of a runtime's call log limits and state retention, shared by <c>serve</c> and <c>runtime</c>
/// (docs/cli.md, "Logs and retention").
/// </summary>
internal sealed class StateFlags
{
    private readonly Option<int?> _lineBytes = new("--logLineBytes") { Description = "Bytes of one guest log line; longer lines are cut with a marker (default 16384)" };
    private readonly Option<int?> _linesPerCall = new("--logLinesPerCall") { Description = "Lines one call may log; the rest are dropped and counted (default 1000)" };
    private readonly Option<long?> _bytesPerCall = new("--logBytesPerCall") { Description = "Bytes one call may log over all its lines (default 1048576)" };
    private readonly Option<int?> _errorBytes = new("--errorMessageBytes") { Description = "Bytes of a guest's error or abort message kept for the response and the log (default 16384)" };
    private readonly Option<string?> _interval = new("--retentionInterval") { Description = "How often old call logs, inferences and jobs are deleted (default 5m)" };
    private readonly Option<string?> _logAge = new("--logRetention") { Description = "Keep call log lines this long (e.g. 7d, 12h; 0 keeps them; default 7d)" };
    private readonly Option<long?> _logLines = new("--logMaxLines") { Description = "Keep at most this many call log lines (0: no limit; default 1000000)" };
    private readonly Option<string?> _inferenceAge = new("--inferenceRetention") { Description = "Keep inferences this long (0 keeps them; default 30d)" };
    private readonly Option<long?> _inferences = new("--inferenceMaxRecords") { Description = "Keep at most this many inferences (0: no limit; default 100000)" };
    private readonly Option<string?> _jobAge = new("--jobRetention") { Description = "Keep finished job records this long (0 keeps them; default 30d)" };
    private readonly Option<long?> _jobs = new("--jobMaxRecords") { Description = "Keep at most this many finished job records (0: no limit; default 10000)" };

    public void AddTo(Command command)
    {
        foreach (var option in (Option[])[_lineBytes, _linesPerCall, _bytesPerCall, _errorBytes, _interval, _logAge, _logLines, _inferenceAge, _inferences, _jobAge, _jobs])
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Sets what was given on <paramref name="options"/>; a duration that does not parse is an error naming its flag.</summary>
    public IReadOnlyList<string> Apply(ParseResult parse, RuntimeOptions options)
    {
        var errors = new List<string>();
        var logs = options.Logs;
        var retention = options.Retention;
        logs.LineBytes = parse.GetValue(_lineBytes) ?? logs.LineBytes;
        logs.LinesPerCall = parse.GetValue(_linesPerCall) ?? logs.LinesPerCall;
        logs.BytesPerCall = parse.GetValue(_bytesPerCall) ?? logs.BytesPerCall;
        logs.ErrorMessageBytes = parse.GetValue(_errorBytes) ?? logs.ErrorMessageBytes;
        retention.Interval = Duration(parse, _interval, retention.Interval, errors);
        retention.LogMaxAge = Duration(parse, _logAge, retention.LogMaxAge, errors);
        retention.LogMaxLines = parse.GetValue(_logLines) ?? retention.LogMaxLines;
        retention.InferenceMaxAge = Duration(parse, _inferenceAge, retention.InferenceMaxAge, errors);
        retention.InferenceMaxRecords = parse.GetValue(_inferences) ?? retention.InferenceMaxRecords;
        retention.JobMaxAge = Duration(parse, _jobAge, retention.JobMaxAge, errors);
        retention.JobMaxRecords = parse.GetValue(_jobs) ?? retention.JobMaxRecords;
        return errors;
    }

    private static TimeSpan Duration(ParseResult parse, Option<string?> option, TimeSpan current, List<string> errors)
    {
        if (parse.GetValue(option) is not { } text)
        {
            return current;
        }

        if (DurationParser.TryParse(text, out var duration))
        {
            return duration;
        }

        errors.Add($"{option.Name}: '{text}' is not a duration such as 7d, 12h, 30m or 0");
        return current;
    }
}
