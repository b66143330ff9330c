namespace Wafer.Wasm;

/// <summary>A module was refused at load time; the message says why (bad binary, missing export, unsupported import...).</summary>
public sealed class WasmLoadException : Exception
{
    public WasmLoadException(string message)
        : base(message)
    {
    }

    public WasmLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
