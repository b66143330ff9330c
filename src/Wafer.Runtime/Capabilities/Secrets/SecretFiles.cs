namespace Wafer.Runtime.Capabilities.Secrets;

/// <summary>
/// Secrets as files (<c>--secretsDir</c>): the file named after the variable holds its value, as Docker
/// (<c>/run/secrets</c>) and Kubernetes (a secret mounted as a volume) provide them. Read at call time, so a rotated
/// secret is used from the next call on; one trailing line break is not part of the value.
/// </summary>
internal static class SecretFiles
{
    /// <summary>Larger files are not secrets but mistakes; they are ignored rather than read into every call.</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>The value in <paramref name="folder"/> for <paramref name="variable"/>, or null when there is none (or it is empty).</summary>
    public static string? Read(string folder, string variable)
    {
        if (!IsVariableName(variable))
        {
            return null; // never a path: only names a variable could have
        }

        var path = Path.Combine(folder, variable);
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists || info.Length > MaxBytes)
            {
                return null;
            }

            var value = File.ReadAllText(path);
            value = value.EndsWith("\r\n", StringComparison.Ordinal) ? value[..^2] : value.EndsWith('\n') ? value[..^1] : value;
            return value.Length > 0 ? value : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsVariableName(string name) =>
        name.Length is > 0 and <= 255 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
