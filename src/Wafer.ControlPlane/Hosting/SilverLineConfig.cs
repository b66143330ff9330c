using System.Text.Json;

namespace Wafer.ControlPlane.Hosting;

/// <summary>
/// SilverLine's orchestrator configuration file (<c>config.json</c>, docs/silverline.md "Configuration file") turned
/// into <see cref="OrchestratorOptions"/> values: <c>http</c> (bind address), <c>http_port</c>, <c>realm</c>, <c>mqtt</c>,
/// <c>mqtt_port</c> and <c>use_ssl</c> (an external broker), <c>mqtt_username</c>, <c>pwd</c> (a file holding the broker
/// password, relative to the config file). <c>debug</c> and <c>log_dir</c> are accepted and not used: Wafer logs to
/// standard output. Each value applies only where the matching flag was not given: flags win.
/// </summary>
public sealed record SilverLineConfig(
    string? Http, int? HttpPort, string? Realm, string? Mqtt, int? MqttPort, bool UseSsl, string? MqttUsername, string? Password,
    IReadOnlyList<string> Ignored)
{
    /// <summary>The keys read; any other is listed in <see cref="Ignored"/>.</summary>
    public static readonly IReadOnlyList<string> Keys = ["http", "http_port", "realm", "mqtt", "mqtt_port", "use_ssl", "mqtt_username", "pwd", "debug", "log_dir"];

    /// <summary>Keys only SilverLine's file has: a file holding one is read as SilverLine's, not as Wafer's configuration file.</summary>
    public static readonly IReadOnlyList<string> MarkerKeys = ["http_port", "mqtt_port", "use_ssl", "mqtt_username", "pwd"];

    /// <summary>True when the JSON file at <paramref name="path"/> is SilverLine's config.json (one of <see cref="MarkerKeys"/> at its top).</summary>
    public static bool IsSilverLines(string path)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path),
                new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && document.RootElement.EnumerateObject().Any(p => MarkerKeys.Contains(p.Name));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            return false; // Wafer's reader reports what is wrong with it
        }
    }

    /// <summary>Reads <paramref name="path"/>; throws <see cref="FormatException"/> naming the file and the key at fault.</summary>
    public static SilverLineConfig Read(string path)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            root = document.RootElement.Clone();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new FormatException($"--config {path}: {ex.Message}");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"--config {path}: expected a JSON object of SilverLine's keys ({string.Join(", ", Keys)})");
        }

        string? password = null;
        if (Text(root, path, "pwd") is { } passwordFile)
        {
            var file = Path.GetFullPath(passwordFile, Path.GetDirectoryName(Path.GetFullPath(path))!);
            try
            {
                password = File.ReadAllText(file).Trim();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new FormatException($"--config {path}: pwd names the broker password file {file}, which cannot be read: {ex.Message}");
            }
        }

        var http = Text(root, path, "http");
        return new SilverLineConfig(
            http == "localhost" ? "127.0.0.1" : http, Port(root, path, "http_port"), Text(root, path, "realm"), Text(root, path, "mqtt"),
            Port(root, path, "mqtt_port"), Flag(root, path, "use_ssl"), Text(root, path, "mqtt_username"), password,
            [.. root.EnumerateObject().Select(p => p.Name).Where(k => !Keys.Contains(k))]);
    }

    /// <summary>Sets what the file gives and <paramref name="flagGiven"/> (a flag name such as <c>--port</c>) says was not given.</summary>
    public void ApplyTo(OrchestratorOptions options, Func<string, bool> flagGiven)
    {
        if (Http is not null && !flagGiven("--host"))
        {
            options.Host = Http;
        }

        if (HttpPort is { } port && !flagGiven("--port"))
        {
            options.Port = port;
        }

        if (Realm is not null && !flagGiven("--realm"))
        {
            options.Realm = Realm;
        }

        if (Mqtt is not null && !flagGiven("--mqtt"))
        {
            options.Mqtt = $"{(UseSsl ? "mqtts" : "mqtt")}://{Mqtt}:{MqttPort ?? (UseSsl ? 8883 : 1883)}";
        }

        if (MqttUsername is not null && !flagGiven("--mqttUser"))
        {
            options.MqttUsername = MqttUsername;
        }

        if (Password is not null && !flagGiven("--mqttPassword"))
        {
            options.MqttPassword = Password;
        }
    }

    private static string? Text(JsonElement root, string path, string key) =>
        !root.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw new FormatException($"--config {path}: {key} must be a string, got {value.ValueKind}");

    private static int? Port(JsonElement root, string path, string key) =>
        !root.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var port) && port is >= 1 and <= 65535 ? port
        : throw new FormatException($"--config {path}: {key} must be a port number (1-65535), got {value.GetRawText()}");

    private static bool Flag(JsonElement root, string path, string key) =>
        root.TryGetProperty(key, out var value) && value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False or JsonValueKind.Null => false,
            _ => throw new FormatException($"--config {path}: {key} must be true or false, got {value.GetRawText()}"),
        };
}
