using System.Buffers;
using System.IO.Pipelines;

namespace Wafer.Hosting.Http;

/// <summary>Reads a whole request body up to a limit without intermediate copies when it fits one segment.</summary>
public static class RequestBody
{
    /// <summary>Returns the body, or null when it exceeds <paramref name="limit"/> bytes.</summary>
    public static async ValueTask<byte[]?> ReadAsync(PipeReader reader, long? contentLength, int limit, CancellationToken cancellationToken)
    {
        if (contentLength > limit)
        {
            return null;
        }

        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            if (buffer.Length > limit)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                return null;
            }

            if (read.IsCompleted)
            {
                var bytes = buffer.ToArray();
                reader.AdvanceTo(buffer.End);
                return bytes;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
