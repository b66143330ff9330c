using System.Text;
using System.Text.RegularExpressions;

namespace Wafer.Protocol.Manifest;

/// <summary>
/// <c>{{NAME}}</c> secret placeholders in connection strings. NAME is letters, digits and '_' (not starting with
/// a digit); spaces inside the braces are allowed. <c>{{base64(USER:PASS)}}</c> is the base64 of the two secrets
/// joined by a colon (HTTP basic credentials), as Modus wrote it. The value of secret NAME of connection C comes
/// from the variable <c>WAFER_C_NAME</c>, upper-cased, with '-' turned into '_'.
/// </summary>
public static partial class SecretTemplate
{
    public const string VariablePrefix = "WAFER_";

    /// <summary>The names of the placeholders in <paramref name="template"/>, in order (repeats included).</summary>
    public static IEnumerable<string> Names(string template)
    {
        foreach (Match match in Placeholder().Matches(template))
        {
            if (match.Groups[1].Success)
            {
                yield return match.Groups[1].Value;
                yield return match.Groups[2].Value;
            }
            else
            {
                yield return match.Groups[3].Value;
            }
        }
    }

    public static bool HasPlaceholders(string template) => template.Contains("{{", StringComparison.Ordinal);

    /// <summary>
    /// True when <paramref name="template"/> holds placeholders and nothing else that could be a credential: besides
    /// them only spaces, and at most one authentication scheme word before the first (<c>{{TOKEN}}</c>,
    /// <c>Bearer {{TOKEN}}</c>, <c>Basic {{CREDENTIALS}}</c>). Anything else may be a secret written literally.
    /// </summary>
    public static bool IsOnlyPlaceholders(string template) => PlaceholdersOnly().IsMatch(template);

    /// <summary>Null when every <c>{{</c> starts a well-formed placeholder, else the first malformed fragment.</summary>
    public static string? FindMalformed(string template)
    {
        var rest = Placeholder().Replace(template, "");
        var at = rest.IndexOf("{{", StringComparison.Ordinal);
        if (at < 0)
        {
            at = rest.IndexOf("}}", StringComparison.Ordinal);
        }

        return at < 0 ? null : rest.Substring(at, Math.Min(24, rest.Length - at));
    }

    /// <summary>Replaces every placeholder with <paramref name="value"/>(name).</summary>
    public static string Fill(string template, Func<string, string> value) =>
        HasPlaceholders(template)
            ? Placeholder().Replace(template, m => m.Groups[1].Success
                ? Convert.ToBase64String(Encoding.UTF8.GetBytes(value(m.Groups[1].Value) + ":" + value(m.Groups[2].Value)))
                : value(m.Groups[3].Value))
            : template;

    /// <summary>The environment variable that holds secret <paramref name="secret"/> of connection <paramref name="connection"/>.</summary>
    public static string VariableName(string connection, string secret) => VariableName(VariablePrefix, connection, secret);

    /// <summary>The variable <paramref name="prefix"/><c>CONNECTION_SECRET</c> (Modus apps use <c>MODUS_</c>).</summary>
    public static string VariableName(string prefix, string connection, string secret)
    {
        var name = new StringBuilder(prefix.Length + connection.Length + secret.Length + 1).Append(prefix);
        foreach (var c in connection)
        {
            name.Append(c == '-' ? '_' : char.ToUpperInvariant(c));
        }

        name.Append('_');
        foreach (var c in secret)
        {
            name.Append(c == '-' ? '_' : char.ToUpperInvariant(c));
        }

        return name.ToString();
    }

    [GeneratedRegex(@"\{\{\s*(?:base64\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)|([A-Za-z_][A-Za-z0-9_]*))\s*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^\s*(?:[A-Za-z][A-Za-z0-9-]{0,31}\s+)?(?:\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}\s*)+$", RegexOptions.CultureInvariant)]
    private static partial Regex PlaceholdersOnly();
}
