using System.Buffers;

namespace Wafer.Runtime.Http;

/// <summary>The body a call that succeeded answers, over HTTP and the call protocol alike: <c>{"result": …}</c>.</summary>
internal static class ResultBody
{
    private static ReadOnlySpan<byte> Prefix => "{\"result\":"u8;

    private static ReadOnlySpan<byte> Suffix => "}"u8;

    /// <summary>The length of the body around <paramref name="resultJson"/>.</summary>
    public static int Length(byte[] resultJson) => Prefix.Length + resultJson.Length + Suffix.Length;

    public static void Write(IBufferWriter<byte> writer, byte[] resultJson)
    {
        writer.Write(Prefix);
        writer.Write(resultJson);
        writer.Write(Suffix);
    }
}
