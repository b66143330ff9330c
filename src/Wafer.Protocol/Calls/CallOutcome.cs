namespace Wafer.Protocol.Calls;

/// <summary>The result of one call that ran: the result JSON on success, else how it failed and a message.</summary>
public sealed record CallOutcome(string CallId, CallStatus Status, byte[]? ResultJson, string? Message, TimeSpan Duration)
{
    public bool Succeeded => Status == CallStatus.Ok;

    /// <summary>The snake_case cause used in problem details, GraphQL error codes, metrics and traces (<see cref="CallStatuses.Code"/>).</summary>
    public string Cause => Status.Code();
}
