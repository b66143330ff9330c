using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Wafer.Protocol.Problems;

namespace Wafer.Protocol.Calls;

/// <summary>
/// A function call that did not answer a result: how it ended (<see cref="CallStatus"/>, whose problem type, title and
/// HTTP status come from <see cref="CallStatuses"/>), what went wrong this time, and the call's particulars. Every
/// transport answers it the same: HTTP through the server's problem writer, the call protocol by
/// <see cref="WriteJson"/>, which writes the same RFC 7807 fields in the same order without an HTTP context.
/// </summary>
/// <param name="Status">How the call ended; never <see cref="CallStatus.Ok"/>.</param>
/// <param name="Detail">What went wrong this time.</param>
/// <param name="Function">The function's qualified name (<c>function</c> extension), when the call got that far.</param>
/// <param name="CallId">The call's id (<c>callId</c>), when it ran.</param>
/// <param name="DurationMs">How long it ran (<c>durationMs</c>), when it ran.</param>
/// <param name="RetryAfterSeconds">A <c>Retry-After</c> for HTTP, when trying again shortly may succeed.</param>
public sealed record CallProblem(
    CallStatus Status, string Detail, string? Function = null, string? CallId = null, double? DurationMs = null, int? RetryAfterSeconds = null)
{
    // What ASP.NET's JSON options write with, and so the HTTP path: non-ASCII text and HTML characters as they are.
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The content type of every problem.</summary>
    public const string ContentType = "application/problem+json";

    /// <summary>The problem type it is answered with.</summary>
    public ProblemType Type => Status.Problem();

    /// <summary>The HTTP status it is answered with.</summary>
    public int HttpStatus => Type.Status;

    /// <summary>
    /// The problem a call that did not succeed is answered with. One that ran (<see cref="CallOutcome.CallId"/> set)
    /// names its cause and the guest's or the engine's message, its id and duration; one that did not run (a
    /// <see cref="CallRefusals"/> outcome) has its message as the detail, and <c>Retry-After: 1</c> when turned away
    /// for capacity.
    /// </summary>
    /// <param name="outcome">How the call ended; not <see cref="CallStatus.Ok"/>.</param>
    /// <param name="function">The function's qualified name, once the call's name resolved to one.</param>
    public static CallProblem Of(in CallOutcome outcome, string? function = null)
    {
        if (outcome.Succeeded)
        {
            throw new ArgumentException("a call that succeeded has no problem", nameof(outcome));
        }

        return outcome.CallId is { } callId
            ? new(outcome.Status, $"{function} failed: {outcome.Cause}: {outcome.Message}", function, callId,
                Math.Round(outcome.Duration.TotalMilliseconds, 3))
            : new(outcome.Status, outcome.Message ?? outcome.Status.Problem().Title, function,
                RetryAfterSeconds: outcome.Status == CallStatus.Busy ? 1 : null);
    }

    /// <summary>The extensions after <c>cause</c>, in the order both writers put them.</summary>
    public IEnumerable<KeyValuePair<string, object?>> Extensions()
    {
        if (CallId is not null)
        {
            yield return new("callId", CallId);
        }

        if (DurationMs is { } duration)
        {
            yield return new("durationMs", duration);
        }
    }

    /// <summary>
    /// Writes the problem as the HTTP path does (<c>type</c>, <c>title</c>, <c>status</c>, <c>detail</c>, <c>cause</c>,
    /// then <c>function</c>, <c>callId</c>, <c>durationMs</c> when known), escaped as the HTTP path escapes them.
    /// </summary>
    public void WriteJson(IBufferWriter<byte> output)
    {
        var type = Type;
        using var writer = new Utf8JsonWriter(output, JsonOptions);
        writer.WriteStartObject();
        writer.WriteString("type", type.Uri);
        writer.WriteString("title", type.Title);
        writer.WriteNumber("status", type.Status);
        writer.WriteString("detail", Detail);
        writer.WriteString("cause", type.Name);
        if (Function is not null)
        {
            writer.WriteString("function", Function);
        }

        if (CallId is not null)
        {
            writer.WriteString("callId", CallId);
        }

        if (DurationMs is { } duration)
        {
            writer.WriteNumber("durationMs", duration);
        }

        writer.WriteEndObject();
    }
}
