using System.Text;

namespace Wafer.Runtime.Capabilities.Secrets;

/// <summary>
/// Parses <c>.env</c> text: <c>KEY=VALUE</c> lines, optional <c>export </c>, <c>#</c> comments (whole lines, or
/// after whitespace in an unquoted value), values optionally in single quotes (literal) or double quotes (with
/// <c>\n</c>, <c>\t</c>, <c>\"</c> and <c>\\</c> escapes). Later lines win. Malformed lines are skipped and counted.
/// </summary>
internal static class DotEnvFile
{
    public static IReadOnlyDictionary<string, string> Parse(string text, out int malformedLines)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        malformedLines = 0;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line[7..].TrimStart();
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var key = equals > 0 ? line[..equals].Trim() : "";
            if (key.Length == 0 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
            {
                malformedLines++;
                continue;
            }

            var value = Value(line[(equals + 1)..].Trim());
            if (value is null)
            {
                malformedLines++;
                continue;
            }

            values[key] = value;
        }

        return values;
    }

    private static string? Value(string text)
    {
        if (text.Length == 0)
        {
            return "";
        }

        var quote = text[0];
        if (quote is '\'' or '"')
        {
            var end = quote == '\'' ? text.IndexOf('\'', 1) : ClosingDoubleQuote(text);
            if (end < 0)
            {
                return null;
            }

            var rest = text[(end + 1)..].TrimStart();
            if (rest.Length > 0 && rest[0] != '#')
            {
                return null;
            }

            var inner = text[1..end];
            return quote == '\'' ? inner : Unescape(inner);
        }

        var comment = text.IndexOf(" #", StringComparison.Ordinal);
        var tab = text.IndexOf("\t#", StringComparison.Ordinal);
        if (tab >= 0 && (comment < 0 || tab < comment))
        {
            comment = tab;
        }

        return (comment >= 0 ? text[..comment] : text).TrimEnd();
    }

    private static int ClosingDoubleQuote(string text)
    {
        for (var i = 1; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == '"')
            {
                return i;
            }
        }

        return -1;
    }

    private static string Unescape(string text)
    {
        if (!text.Contains('\\'))
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i + 1 == text.Length)
            {
                result.Append(text[i]);
                continue;
            }

            i++;
            result.Append(text[i] switch
            {
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                _ => text[i],
            });
        }

        return result.ToString();
    }
}
