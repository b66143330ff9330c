namespace Wafer.ControlPlane.Artifacts;

/// <summary>The cheap check an upload gets before it is stored: a core WebAssembly module's magic and version.</summary>
public static class WasmHeader
{
    /// <summary>Null when <paramref name="bytes"/> starts like a core wasm module; otherwise what is wrong.</summary>
    public static string? Problem(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 8 || !bytes[..4].SequenceEqual("\0asm"u8))
        {
            return "the plugin is not a WebAssembly module (no \\0asm header)";
        }

        return bytes[4..8].SequenceEqual((ReadOnlySpan<byte>)[1, 0, 0, 0])
            ? null
            : "the plugin is not a core WebAssembly module of version 1 (components are not supported)";
    }
}
