using Wafer.Protocol.Calls;
using Wafer.Wasm.Imports;
using Wasmtime;

namespace Wafer.Wasm.Wasi;

/// <summary>
/// WASI preview 1 on an engine's linker: Wasmtime's implementation, with <c>poll_oneoff</c> replaced by
/// <see cref="PollOneoff"/> so that a sleeping guest still honours its deadline. A store that runs a module
/// importing WASI must be given a <see cref="WasiConfiguration"/>; without one nothing of the host is visible.
/// </summary>
internal static class WasiSupport
{
    public static void Define(Linker linker)
    {
        linker.DefineWasi();
        linker.AllowShadowing = true;
        try
        {
            linker.DefineFunction(WasiImports.ModuleName, "poll_oneoff", (CallerFunc<int, int, int, int, int>)PollOneoff.Call);
            linker.DefineFunction(WasiImports.ModuleName, "proc_exit", (CallerAction<int>)ProcExit);
        }
        finally
        {
            linker.AllowShadowing = false;
        }
    }

    /// <summary>
    /// WASI <c>proc_exit</c>. Wasmtime's version refuses codes of 126 and above; a command's exit code is reported
    /// as given (<c>exit(255)</c> is 255). In a function call, exiting is a trap: there is no process to end.
    /// </summary>
    private static void ProcExit(Caller caller, int code)
    {
        switch (caller.GetData())
        {
            case CommandRunState run:
                run.Exit(code);
                throw new ProcExitException(code);
            case CallState { Abi: { } abi, Session: { } session } adapted:
                var (status, message) = abi.Exited(code, session);
                throw adapted.Fail(status, message);
            case CallState call:
                throw call.Fail(CallStatus.Trap, $"the guest called proc_exit({code}) during a function call");
            default:
                throw new ProcExitException(code);
        }
    }

    /// <summary>
    /// The WASI context of a function call: no arguments, environment, stdin or files; what the guest writes to
    /// stdout and stderr is kept in <paramref name="output"/> and logged when the call ends.
    /// </summary>
    public static WasiConfiguration ForFunctionCall(FunctionOutput output, IEnumerable<KeyValuePair<string, string>>? environment = null)
    {
        var wasi = new WasiConfiguration()
            .WithStandardOutputCallback(output.Stdout.Write)
            .WithStandardErrorCallback(output.Stderr.Write);
        return environment is null ? wasi : wasi.WithEnvironmentVariables(environment.Select(kv => (kv.Key, kv.Value)));
    }
}
