using System.Buffers;
using Wafer.Protocol.Calls;
using Wafer.Protocol.Problems;

namespace Wafer.Protocol.Tests;

/// <summary>
/// The one table of how a call ended (<see cref="CallStatuses"/>): each cause's problem type, HTTP status and code,
/// and the cause code answer frames carry.
/// </summary>
public sealed class CallStatusesTests
{
    /// <summary>The table as the docs state it (docs/abi.md §4, docs/call-protocol.md, docs/orchestrator.md "Errors").</summary>
    public static TheoryData<CallStatus, int, string> Table => new()
    {
        { CallStatus.GuestError, 500, "guest_error" },
        { CallStatus.Timeout, 504, "timeout" },
        { CallStatus.OutOfMemory, 500, "out_of_memory" },
        { CallStatus.OutOfFuel, 500, "out_of_fuel" },
        { CallStatus.Abort, 500, "abort" },
        { CallStatus.Trap, 500, "trap" },
        { CallStatus.BadResult, 500, "bad_result" },
        { CallStatus.Unauthorized, 401, "unauthorized" },
        { CallStatus.BadRequest, 400, "bad_request" },
        { CallStatus.NotFound, 404, "not_found" },
        { CallStatus.Ambiguous, 409, "ambiguous" },
        { CallStatus.TooLarge, 413, "too_large" },
        { CallStatus.Busy, 503, "busy" },
        { CallStatus.Unavailable, 503, "unavailable" },
        { CallStatus.ResultTooLarge, 500, "result_too_large" },
        { CallStatus.NoReplica, 503, "no_replica" },
        { CallStatus.BadGateway, 502, "bad_gateway" },
        { CallStatus.GatewayTimeout, 504, "gateway_timeout" },
        { CallStatus.BadArguments, 400, "bad_arguments" },
        { CallStatus.DeadlineExceeded, 504, "deadline_exceeded" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void EachFailure_OneProblemType_StatusAndCode(CallStatus status, int httpStatus, string code)
    {
        var type = status.Problem();

        Assert.Equal((httpStatus, code, code), (status.HttpStatus(), status.Code(), type.Name));
        Assert.Same(ProblemTypes.Named(code), type); // the shared vocabulary's type, with its one title
        Assert.Equal(ProblemTypes.Prefix + code, type.Uri);
        Assert.True(CallStatuses.TryParse(code, out var parsed));
        Assert.Equal(status, parsed);
    }

    [Fact]
    public void EveryFailureIsInTheTable_AndOkIsNotAFailure()
    {
        Assert.Equal(Enum.GetValues<CallStatus>().Where(s => s != CallStatus.Ok), Table.Select(row => (CallStatus)row.Data.Item1));
        Assert.Equal(CallStatuses.Failures, Table.Select(row => (CallStatus)row.Data.Item1));
        Assert.Equal((200, "ok"), (CallStatus.Ok.HttpStatus(), CallStatus.Ok.Code()));
        Assert.Throws<ArgumentOutOfRangeException>(() => CallStatus.Ok.Problem());
        Assert.False(CallStatuses.TryParse("internal", out _)); // a server's problem, not how a call ended
        Assert.False(CallStatuses.TryParse(null, out _));
    }

    [Fact]
    public void DidNotRun_OnlyTheRefusalsAnotherReplicaMayTake()
    {
        Assert.Equal([CallStatus.NotFound, CallStatus.Busy, CallStatus.Unavailable], Enum.GetValues<CallStatus>().Where(s => s.DidNotRun()));
    }

    [Fact]
    public void AnswerFrames_CarryEveryCause_AndItsStatus()
    {
        foreach (var status in Enum.GetValues<CallStatus>())
        {
            var written = new ArrayBufferWriter<byte>();
            CallFrames.WriteAnswerHead(written, 9, status, status == CallStatus.Ok ? "c-1" : null, "application/json", 0);
            var buffer = new ReadOnlySequence<byte>(written.WrittenMemory);

            Assert.True(CallFrames.TryRead(ref buffer, CallFrames.MaxFrameBytes, out var id, out var payload));
            var answer = CallFrames.ReadAnswer(payload);
            Assert.Equal((9u, status.HttpStatus(), (CallStatus?)status), (id, answer.Status, answer.Cause));
        }
    }

    [Fact]
    public void AnswerFrame_CauseThisSideDoesNotKnow_ReadsAsNull_StatusKept()
    {
        var written = new ArrayBufferWriter<byte>();
        CallFrames.WriteAnswerHead(written, 3, 418, CallStatus.Ok, null, "application/problem+json", 0);
        var bytes = written.WrittenSpan.ToArray();
        bytes[CallFrames.HeaderBytes + 2] = 200; // a cause a newer runtime might send
        var buffer = new ReadOnlySequence<byte>(bytes);

        Assert.True(CallFrames.TryRead(ref buffer, CallFrames.MaxFrameBytes, out _, out var payload));
        var answer = CallFrames.ReadAnswer(payload);
        Assert.Equal((418, (CallStatus?)null), (answer.Status, answer.Cause));
    }

    [Fact]
    public void AnswerFrame_WithoutItsCause_IsBroken()
    {
        var payload = new ReadOnlySequence<byte>([0x01, 0xF4]); // a status and nothing more

        var error = Assert.Throws<InvalidDataException>(() => CallFrames.ReadAnswer(payload));
        Assert.Contains("cause", error.Message, StringComparison.Ordinal);
    }
}
