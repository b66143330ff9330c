using System.Text;
using Wafer.Protocol.Calls;
using Wasmtime;

namespace Wafer.Wasm.Imports;

/// <summary>
/// <c>wafer.host_call</c> and <c>wafer.host_response</c> (docs/abi.md §3.1): the guest names an operation and
/// passes a JSON request; the answer waits in <see cref="CallState.PendingResponse"/> until the guest has
/// allocated room for it. A failed capability is a value for the guest; a bad pointer ends the call.
/// </summary>
internal static class HostCalls
{
    /// <summary>Longest operation name the host reads (names are short, like <c>http.fetch</c>).</summary>
    public const int MaxOperationBytes = 64;

    public static int Call(Caller caller, int opPtr, int opLen, int requestPtr, int requestLen)
    {
        var state = HostImports.State(caller);
        var memory = GuestMemory.Of(caller, state, "wafer.host_call");
        var operationBytes = GuestMemory.Read(memory, state, opPtr, opLen, "wafer.host_call");
        var request = GuestMemory.Read(memory, state, requestPtr, requestLen, "wafer.host_call");
        state.PendingResponse = null;

        HostCallResult result;
        if (operationBytes.Length is 0 or > MaxOperationBytes)
        {
            result = HostCallResult.Failure($"host_call: the operation name must be 1-{MaxOperationBytes} bytes, got {operationBytes.Length}");
        }
        else if (state.Context is not { } context)
        {
            result = HostCallResult.Failure("host_call: no call is in progress");
        }
        else
        {
            var operation = Encoding.UTF8.GetString(operationBytes);
            try
            {
                result = context.HostCall(operation, request);
            }
            catch (Exception ex)
            {
                throw state.Fail(CallStatus.Trap, $"wafer.host_call: the host failed to run {operation}: {ex.Message}");
            }
        }

        var payload = result.Payload ?? [];
        if (!result.Succeeded && payload.Length == 0)
        {
            payload = "host_call failed"u8.ToArray();
        }

        state.PendingResponse = payload;
        return result.Succeeded ? payload.Length : -payload.Length;
    }

    public static void Response(Caller caller, int ptr)
    {
        var state = HostImports.State(caller);
        var pending = state.PendingResponse
            ?? throw state.Fail(CallStatus.Trap, "wafer.host_response: no response is pending (call wafer.host_call first)");
        var memory = GuestMemory.Of(caller, state, "wafer.host_response");
        pending.CopyTo(GuestMemory.Writable(memory, state, ptr, pending.Length, "wafer.host_response"));
    }
}
