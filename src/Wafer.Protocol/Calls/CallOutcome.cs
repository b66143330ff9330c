namespace Wafer.Protocol.Calls;

/// <summary>The result of one call: the result JSON on success, else the cause and a message.</summary>
public sealed record CallOutcome(string CallId, CallStatus Status, byte[]? ResultJson, string? Message, TimeSpan Duration)
{
    public bool Succeeded => Status == CallStatus.Ok;

    /// <summary>The snake_case cause used in problem details and GraphQL error extensions.</summary>
    public string Cause => Status switch
    {
        CallStatus.Ok => "ok",
        CallStatus.GuestError => "guest_error",
        CallStatus.Timeout => "timeout",
        CallStatus.OutOfMemory => "out_of_memory",
        CallStatus.OutOfFuel => "out_of_fuel",
        CallStatus.Abort => "abort",
        CallStatus.Trap => "trap",
        CallStatus.BadResult => "bad_result",
        CallStatus.Unauthorized => "unauthorized",
        _ => "unknown",
    };
}
