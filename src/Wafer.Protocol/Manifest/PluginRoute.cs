namespace Wafer.Protocol.Manifest;

/// <summary>
/// Manifest <c>routes</c> entry: an HTTP path served by a command plugin following the WAGI convention. A path
/// ending in <c>/...</c> matches that path and everything below it.
/// </summary>
/// <param name="Path">As written: <c>/hello</c> or <c>/static/...</c>.</param>
/// <param name="Methods">Upper-case HTTP methods; empty means any method.</param>
public sealed record PluginRoute(string Path, ValueList<string> Methods)
{
    public const string PrefixSuffix = "/...";

    /// <summary>True when the path ends in <c>/...</c>.</summary>
    public bool IsPrefix => Path.EndsWith(PrefixSuffix, StringComparison.Ordinal);

    /// <summary>The path without a trailing <c>/...</c> (<c>/</c> for the catch-all <c>/...</c>); the CGI <c>SCRIPT_NAME</c>.</summary>
    public string BasePath => IsPrefix ? (Path.Length == PrefixSuffix.Length ? "/" : Path[..^PrefixSuffix.Length]) : Path;

    public bool AllowsMethod(string method) => Methods.Count == 0 || Methods.Contains(method, StringComparer.OrdinalIgnoreCase);

    /// <summary>True when a request with <paramref name="method"/> is served here: a route that allows <c>GET</c> serves <c>HEAD</c> too.</summary>
    public bool Serves(string method) => AllowsMethod(method) || (method == "HEAD" && AllowsMethod("GET"));

    /// <summary>True when both routes have the same path and at least one method in common.</summary>
    public bool Overlaps(PluginRoute other) =>
        string.Equals(Path, other.Path, StringComparison.Ordinal)
        && (Methods.Count == 0 || other.Methods.Count == 0 || Methods.Intersect(other.Methods, StringComparer.OrdinalIgnoreCase).Any());

    public override string ToString() => Methods.Count == 0 ? Path : $"{string.Join(',', Methods)} {Path}";
}
