using System.Globalization;
using System.Text;
using Wafer.Protocol.Calls;
using Wasmtime;

namespace Wafer.Wasm.Imports;

/// <summary>
/// Defines the host imports of docs/abi.md §3 on a linker, once per engine. The callbacks are static: per-call
/// state comes from the store's data (<see cref="CallState"/>), so no closure is allocated per call.
/// </summary>
internal static class HostImports
{
    /// <summary>A source file name in an AssemblyScript abort is cut here; the message has its own limit.</summary>
    private const int MaxFileNameBytes = 1024;

    public static void Define(Linker linker)
    {
        linker.DefineFunction("wafer", "result", (CallerAction<int, int>)Result);
        linker.DefineFunction("wafer", "log", (CallerAction<int, int, int>)Log);
        linker.DefineFunction("wafer", "abort", (CallerAction<int, int>)WaferAbort);
        linker.DefineFunction("wafer", "host_call", (CallerFunc<int, int, int, int, int>)HostCalls.Call);
        linker.DefineFunction("wafer", "host_response", (CallerAction<int>)HostCalls.Response);
        linker.DefineFunction("env", "abort", (CallerAction<int, int, int, int>)EnvAbort);
        linker.DefineFunction("env", "trace", (CallerAction<int, int, double, double, double, double, double>)Trace);
        linker.DefineFunction("env", "seed", (Func<double>)Seed);
        linker.DefineFunction("env", "Date.now", (Func<double>)DateNow);
    }

    internal static CallState State(Caller caller) => (CallState)caller.GetData()!;

    private static void Result(Caller caller, int ptr, int len)
    {
        var state = State(caller);
        var memory = GuestMemory.Of(caller, state, "wafer.result");
        state.Result = GuestMemory.Read(memory, state, ptr, len, "wafer.result").ToArray();
    }

    private static void Log(Caller caller, int level, int ptr, int len)
    {
        var state = State(caller);
        var memory = GuestMemory.Of(caller, state, "wafer.log");
        var bytes = GuestMemory.Read(memory, state, ptr, len, "wafer.log");
        var context = state.Context;
        if (context is null)
        {
            return;
        }

        if (!context.AcceptsLog)
        {
            context.LogDropped(bytes.Length);
            return;
        }

        var logLevel = level switch
        {
            0 => GuestLogLevel.Debug,
            2 => GuestLogLevel.Warning,
            3 => GuestLogLevel.Error,
            _ => GuestLogLevel.Info,
        };
        Deliver(state, context, logLevel, GuestText.Utf8(bytes, state.Limits.LineBytes), "wafer.log");
    }

    private static void WaferAbort(Caller caller, int ptr, int len)
    {
        var state = State(caller);
        var memory = GuestMemory.Of(caller, state, "wafer.abort");
        var message = GuestText.Utf8(GuestMemory.Read(memory, state, ptr, len, "wafer.abort"), state.Limits.MessageBytes);
        throw state.Fail(CallStatus.Abort, message.Length == 0 ? "aborted" : message);
    }

    private static void EnvAbort(Caller caller, int messagePtr, int filePtr, int line, int column)
    {
        var state = State(caller);
        var memory = GuestMemory.Of(caller, state, "env.abort");
        var message = GuestMemory.AssemblyScriptString(memory, state, messagePtr, "env.abort", state.Limits.MessageBytes);
        var file = GuestMemory.AssemblyScriptString(memory, state, filePtr, "env.abort", MaxFileNameBytes);
        var text = string.IsNullOrEmpty(message) ? "abort" : message;
        if (file is not null)
        {
            text = string.Create(CultureInfo.InvariantCulture, $"{text} at {file}:{(uint)line}:{(uint)column}");
        }

        throw state.Fail(CallStatus.Abort, text);
    }

    private static void Trace(Caller caller, int messagePtr, int count, double a0, double a1, double a2, double a3, double a4)
    {
        var state = State(caller);
        var context = state.Context;
        if (context is null)
        {
            return;
        }

        var memory = GuestMemory.Of(caller, state, "env.trace");
        if (!context.AcceptsLog)
        {
            context.LogDropped(GuestMemory.AssemblyScriptLength(memory, state, messagePtr, "env.trace"));
            return;
        }

        var text = new StringBuilder(GuestMemory.AssemblyScriptString(memory, state, messagePtr, "env.trace", state.Limits.LineBytes) ?? "trace");
        ReadOnlySpan<double> values = [a0, a1, a2, a3, a4];
        var n = Math.Clamp(count, 0, values.Length);
        for (var i = 0; i < n; i++)
        {
            text.Append(i == 0 ? " " : ", ").Append(values[i].ToString(CultureInfo.InvariantCulture));
        }

        Deliver(state, context, GuestLogLevel.Debug, text.ToString(), "env.trace");
    }

    private static void Deliver(CallState state, IGuestCallContext context, GuestLogLevel level, string line, string import)
    {
        try
        {
            context.Log(level, line);
        }
        catch (Exception ex)
        {
            throw state.Fail(CallStatus.Trap, $"{import}: the host could not record the line: {ex.Message}");
        }
    }

    private static double Seed() => Random.Shared.NextInt64(1, 1L << 53);

    private static double DateNow() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
