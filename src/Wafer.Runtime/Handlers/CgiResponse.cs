using System.Globalization;
using System.Text;
using Wafer.Protocol.Http;

namespace Wafer.Runtime.Handlers;

/// <summary>
/// A handler's stdout read as a CGI response (RFC 3875 §6): header lines (<c>Content-Type</c>, <c>Location</c>,
/// <c>Status</c> and any others), a blank line, then the body. Lines may end in LF or CRLF.
/// </summary>
internal sealed record CgiResponse(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, int BodyOffset)
{
    /// <summary>Largest header block accepted before the blank line.</summary>
    public const int MaxHeaderBytes = 64 * 1024;

    /// <summary>
    /// Headers the runtime sets or that only make sense hop by hop, and the headers Wafer owns (<c>Server</c>,
    /// <c>Date</c>, and every <c>X-Wafer-*</c>, see <see cref="WaferHeaders.IsOwned"/>): a handler's values are dropped, so
    /// a client can trust what they say.
    /// </summary>
    private static readonly HashSet<string> Ignored = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Upgrade", "Trailer", "Proxy-Connection", "Server", "Date",
    };

    /// <summary>Parses <paramref name="output"/>; returns null and says why when it is not a valid CGI response.</summary>
    public static CgiResponse? Parse(ReadOnlySpan<byte> output, out string? error)
    {
        error = null;
        if (output.IsEmpty)
        {
            error = "the handler wrote nothing to stdout; a response starts with headers such as 'Content-Type: text/plain' and a blank line";
            return null;
        }

        var status = 0;
        var sufficient = false;
        var headers = new List<KeyValuePair<string, string>>();
        var position = 0;
        for (var lineNumber = 1; ; lineNumber++)
        {
            var newline = output[position..].IndexOf((byte)'\n');
            if (newline < 0 || position + newline > MaxHeaderBytes)
            {
                error = position + Math.Max(newline, 0) > MaxHeaderBytes
                    ? $"the handler's headers exceed {MaxHeaderBytes} bytes"
                    : "the handler's output has no blank line after its headers (write the headers, an empty line, then the body)";
                return null;
            }

            var line = output.Slice(position, newline);
            position += newline + 1;
            if (!line.IsEmpty && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (line.IsEmpty)
            {
                break;
            }

            var text = Encoding.UTF8.GetString(line);
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !IsToken(text.AsSpan(0, colon)))
            {
                error = $"the handler's output line {lineNumber} is not a header ('Name: value'): '{Cut(text)}'";
                return null;
            }

            var name = text[..colon];
            var value = text[(colon + 1)..].Trim(' ', '\t');
            if (value.AsSpan().ContainsAnyInRange('\0', '\x08') || value.AsSpan().ContainsAnyInRange('\x0A', '\x1F') || value.Contains('\x7F'))
            {
                error = $"the handler's header '{name}' holds control characters";
                return null;
            }

            if (name.Equals("Status", StringComparison.OrdinalIgnoreCase))
            {
                var code = value.Split(' ', 2)[0];
                if (code.Length != 3 || !code.All(char.IsAsciiDigit) || (status = int.Parse(code, CultureInfo.InvariantCulture)) is < 200 or > 599)
                {
                    error = code.Length == 3 && code.All(char.IsAsciiDigit) && code[0] == '1'
                        ? $"the handler answered Status {code}, an informational status; a handler's response is final: use a status from 200 to 599"
                        : $"the handler's Status header must start with a code from 200 to 599, got '{Cut(value)}'";
                    return null;
                }

                sufficient = true;
                continue;
            }

            if (name.Equals("Location", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                sufficient = true;
            }

            if (!Ignored.Contains(name) && !WaferHeaders.IsOwned(name))
            {
                headers.Add(new(name, value));
            }
        }

        if (!sufficient)
        {
            error = "the handler's headers must include Content-Type, Location or Status";
            return null;
        }

        if (status == 0)
        {
            status = headers.Exists(h => h.Key.Equals("Location", StringComparison.OrdinalIgnoreCase)) ? 302 : 200;
        }

        if (!CanHaveBody(status) && output.Length > position)
        {
            error = $"the handler answered Status {status} with a {output.Length - position}-byte body; a {status} response has no body (write nothing after the blank line)";
            return null;
        }

        return new CgiResponse(status, headers, position);
    }

    /// <summary>False for the statuses HTTP sends without a body: 204 No Content, 205 Reset Content, 304 Not Modified.</summary>
    public static bool CanHaveBody(int status) => status is not (204 or 205 or 304);

    private static bool IsToken(ReadOnlySpan<char> name)
    {
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c)))
            {
                return false;
            }
        }

        return true;
    }

    private static string Cut(string text) => text.Length > 80 ? text[..80] + "…" : text;
}
