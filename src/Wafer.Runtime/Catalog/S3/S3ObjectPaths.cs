namespace Wafer.Runtime.Catalog.S3;

/// <summary>
/// Which objects of a bucket's folder are mirrored, and where each lands in the local folder. Only what the plugins
/// folder reads is fetched (<c>.wasm</c> and <c>.json</c>, and the folder's own <c>.env</c>, whose secrets Hypermode and
/// Modus read from the bucket too); a key that could escape the folder is never written.
/// </summary>
internal static class S3ObjectPaths
{
    /// <summary>Folders below the bucket's folder a plugin may sit in (a project's <c>app/build/app.wasm</c>).</summary>
    public const int MaxDepth = 3;

    /// <summary>
    /// The path relative to the mirror for <paramref name="key"/> under <paramref name="prefix"/>, with '/' separators;
    /// null when the object is not one a plugins folder reads, or its key is unsafe as a path.
    /// </summary>
    public static string? RelativePath(string key, string prefix)
    {
        if (!key.StartsWith(prefix, StringComparison.Ordinal) || key.EndsWith('/'))
        {
            return null;
        }

        var relative = key[prefix.Length..];
        if (relative == DotEnv)
        {
            return relative;
        }

        var segments = relative.Split('/');
        if (segments.Length > MaxDepth + 1 || segments.Any(s => s.Length == 0 || s.StartsWith('.') || s.IndexOfAny(Unsafe) >= 0))
        {
            return null;
        }

        return relative.EndsWith(".wasm", StringComparison.Ordinal) || relative.EndsWith(".json", StringComparison.Ordinal) ? relative : null;
    }

    /// <summary>The secrets file of the folder (<c>Capabilities/Secrets/SecretStore</c> reads it from the copy).</summary>
    public const string DotEnv = ".env";

    public static bool IsWasm(string relativePath) => relativePath.EndsWith(".wasm", StringComparison.Ordinal);

    private static readonly char[] Unsafe = ['\\', ':', '\0', '*', '?', '"', '<', '>', '|'];
}
