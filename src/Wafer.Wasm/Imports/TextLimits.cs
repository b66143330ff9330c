namespace Wafer.Wasm.Imports;

/// <summary>How much guest text the host takes: bytes per log line, and per error or abort message.</summary>
internal readonly record struct TextLimits(int LineBytes, int MessageBytes)
{
    public static TextLimits From(WasmHostOptions options) => new(options.MaxLogLineBytes, options.MaxMessageBytes);
}
