using GraphQL;

namespace Wafer.GraphQL;

/// <summary>
/// A field whose function call failed: <c>"&lt;plugin&gt;/&lt;function&gt; failed: &lt;cause&gt;: &lt;message&gt;"</c> with
/// extensions <c>code</c> (the cause: <c>timeout</c>, <c>trap</c>, <c>guest_error</c>, …), <c>plugin</c>,
/// <c>function</c> and, when the call started, <c>callId</c>. Other fields of the request still resolve.
/// </summary>
public sealed class FunctionCallError : ExecutionError
{
    public FunctionCallError(string plugin, string function, string cause, string? message, string? callId)
        : base(string.IsNullOrEmpty(message) ? $"{plugin}/{function} failed: {cause}" : $"{plugin}/{function} failed: {cause}: {message}")
    {
        Plugin = plugin;
        Function = function;
        Cause = cause;
        CallId = callId;
        Code = cause;
        Extensions = new Dictionary<string, object?> { ["plugin"] = plugin, ["function"] = function };
        if (callId is not null)
        {
            Extensions["callId"] = callId;
        }
    }

    public string Plugin { get; }

    public string Function { get; }

    public string Cause { get; }

    public string? CallId { get; }
}
