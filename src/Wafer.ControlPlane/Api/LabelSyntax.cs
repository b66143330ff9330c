using System.Text.Json;

namespace Wafer.ControlPlane.Api;

/// <summary>Reads and checks label constraints and configuration maps.</summary>
internal static class LabelSyntax
{
    public const int MaxEntries = 64;

    /// <summary>Parses <c>k=v,k=v</c> or a JSON object of strings; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static Dictionary<string, string> Parse(string? text, string field)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(text))
        {
            return result;
        }

        if (text.TrimStart().StartsWith('{'))
        {
            try
            {
                return JsonSerializer.Deserialize<Dictionary<string, string>>(text) ?? result;
            }
            catch (JsonException ex)
            {
                throw new FormatException($"{field} must be k=v,k=v or a JSON object of strings: {ex.Message}");
            }
        }

        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (pair.Split('=', 2) is not [var key, var value] || key.Length == 0)
            {
                throw new FormatException($"{field}: '{pair}' is not k=v");
            }

            result[key.Trim()] = value.Trim();
        }

        return result;
    }

    /// <summary>Null when every entry is acceptable; otherwise what is wrong.</summary>
    public static string? Problem(IReadOnlyDictionary<string, string> entries, string field)
    {
        if (entries.Count > MaxEntries)
        {
            return $"{field}: at most {MaxEntries} entries, got {entries.Count}";
        }

        foreach (var (key, value) in entries)
        {
            if (key.Length is 0 or > 63 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '/'))
            {
                return $"{field}: key '{key}' must be 1-63 characters of letters, digits, '.', '_', '-' or '/'";
            }

            if (value is null || value.Length > 256)
            {
                return $"{field}: the value of '{key}' must be a string of at most 256 characters";
            }
        }

        return null;
    }
}
