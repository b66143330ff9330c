using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wafer.Runtime.Hosting;

namespace Wafer.Runtime.Capabilities.Secrets;

/// <summary>
/// Where secret values come from: the process environment first, then a file of that name in <c>--secretsDir</c>
/// (<see cref="SecretFiles"/>), then the <c>.env</c> file in the plugins folder, re-read whenever its size or timestamp
/// changes. Values are read at call time and never logged.
/// </summary>
internal sealed partial class SecretStore(IOptions<RuntimeOptions> options, ILogger<SecretStore> logger)
{
    public const string FileName = ".env";

    private readonly Lock _lock = new();
    private Snapshot _file = new("", new Dictionary<string, string>());

    public string DotEnvPath => Path.Combine(options.Value.PluginsPath, FileName);

    /// <summary>The value of <paramref name="variable"/>, or null when it is unset or empty everywhere.</summary>
    public string? Get(string variable)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(value))
        {
            return value;
        }

        if (options.Value.SecretsDirectory is { } folder && SecretFiles.Read(folder, variable) is { } fromFolder)
        {
            return fromFolder;
        }

        return FileValues().TryGetValue(variable, out var fromFile) && fromFile.Length > 0 ? fromFile : null;
    }

    private IReadOnlyDictionary<string, string> FileValues()
    {
        var path = DotEnvPath;
        var info = new FileInfo(path);
        var fingerprint = info.Exists ? $"{info.Length}:{info.LastWriteTimeUtc.Ticks}" : "";
        var current = Volatile.Read(ref _file);
        if (current.Fingerprint == fingerprint)
        {
            return current.Values;
        }

        lock (_lock)
        {
            if (_file.Fingerprint == fingerprint)
            {
                return _file.Values;
            }

            IReadOnlyDictionary<string, string> values = new Dictionary<string, string>();
            if (info.Exists)
            {
                try
                {
                    values = DotEnvFile.Parse(File.ReadAllText(path), out var malformed);
                    DotEnvLoaded(logger, path, values.Count, malformed);
                }
                catch (IOException ex)
                {
                    DotEnvUnreadable(logger, path, ex.Message);
                    return current.Values;
                }
                catch (UnauthorizedAccessException ex)
                {
                    DotEnvUnreadable(logger, path, ex.Message);
                    return current.Values;
                }
            }

            Volatile.Write(ref _file, new Snapshot(fingerprint, values));
            return values;
        }
    }

    private sealed record Snapshot(string Fingerprint, IReadOnlyDictionary<string, string> Values);

    [LoggerMessage(EventId = 2510, EventName = "DotEnvLoaded", Level = LogLevel.Information,
        Message = "Read {Path}: {Count} variables, {Malformed} malformed lines skipped")]
    private static partial void DotEnvLoaded(ILogger logger, string path, int count, int malformed);

    [LoggerMessage(EventId = 2511, EventName = "DotEnvUnreadable", Level = LogLevel.Warning,
        Message = "Cannot read {Path}: {Reason}; keeping the values read before")]
    private static partial void DotEnvUnreadable(ILogger logger, string path, string reason);
}
