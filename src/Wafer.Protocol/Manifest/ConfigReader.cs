using System.Text.Json;

namespace Wafer.Protocol.Manifest;

/// <summary>Reads the manifest's <c>config</c>: non-secret string values a guest reads with <c>config.get</c>.</summary>
internal static class ConfigReader
{
    public static ManifestMap<string> Read(JsonElement element, string path)
    {
        var config = ManifestValues.StringMap(element, path, KeyProblem);
        foreach (var (key, value) in config)
        {
            if (SecretTemplate.HasPlaceholders(value))
            {
                throw new ManifestException(
                    $"{ManifestValues.Child(path, key)}: config values are not secret and take no placeholders; put secrets in a connection");
            }
        }

        return config;
    }

    private static string? KeyProblem(string key)
    {
        if (key.Length is 0 or > 128)
        {
            return "a config key must be 1-128 characters";
        }

        foreach (var c in key)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                return "a config key may hold only letters, digits, '_', '-' and '.'";
            }
        }

        return null;
    }
}
