namespace Wafer.Wasm.Wasi;

/// <summary>Unwinds a guest that called <c>proc_exit</c>; the code is recorded in its run state. Never leaves the project.</summary>
internal sealed class ProcExitException(int code) : Exception($"the guest exited with code {code}")
{
    public int Code => code;
}
