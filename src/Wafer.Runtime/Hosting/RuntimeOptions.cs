using Wafer.Runtime.Agent;

namespace Wafer.Runtime.Hosting;

/// <summary>Settings of one runtime process; bound from flags, <c>WAFER_*</c> variables or appsettings.json.</summary>
public sealed class RuntimeOptions
{
    public const int DefaultPort = 8686;

    /// <summary>The folder plugins are loaded from (built .wasm files with manifests, or plugin project folders).</summary>
    public string PluginsPath { get; set; } = "plugins";

    /// <summary>How often the plugins folder is polled in addition to file events.</summary>
    public TimeSpan Refresh { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Load plugins once at start and never again.</summary>
    public bool NoReload { get; set; }

    /// <summary>Where state and the compiled-code cache live; default <c>$HOME/.wafer</c>.</summary>
    public string StoragePath { get; set; } = DefaultStoragePath();

    /// <summary>
    /// The state database (inference history, call logs, jobs): a PostgreSQL connection string, or a SQLite file;
    /// null means <c>wafer.db</c> in <see cref="StoragePath"/>.
    /// </summary>
    public string? Database { get; set; }

    /// <summary>Largest request body accepted by function endpoints.</summary>
    public int MaxRequestBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// When set, control operations (<c>POST /api/plugins</c>, <c>DELETE /api/plugins/{name}</c>) need
    /// <c>Authorization: Bearer TOKEN</c>, and it is the agent's <see cref="AgentOptions.ControlToken"/> unless that is
    /// set (sent when fetching artifacts from the orchestrator). A runtime in a fleet gets the orchestrator's token, so
    /// only the orchestrator's credentials control it. Secret: never logged.
    /// </summary>
    public string? ApiToken { get; set; }

    /// <summary>
    /// Host folders a command plugin's <c>files</c> may name beyond its own data folder (<c>STORAGE/data/NAME</c>) and,
    /// for plugins of the plugins folder, folders inside the plugins folder (<c>--allowFolders /srv/a,/srv/b</c> or
    /// <c>WAFER_ALLOW_FOLDERS</c>). Empty by default: no manifest can reach any other host folder.
    /// </summary>
    public IReadOnlyList<string> AllowFolders { get; set; } = [];

    /// <summary>Joining a fleet through an MQTT broker (off unless <see cref="AgentOptions.Join"/> is set).</summary>
    public AgentOptions Agent { get; set; } = new();

    /// <summary>A comma-separated list of folders (<c>--allowFolders</c>) as full paths; null or empty text is none.</summary>
    public static IReadOnlyList<string> ParseFolders(string? text) =>
        [.. (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Path.GetFullPath)];

    public static string DefaultStoragePath() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".wafer");

    /// <summary>Problems with these settings, each naming the setting to fix; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(PluginsPath))
        {
            errors.Add("PluginsPath (--plugins) must name a folder");
        }
        else if (!Directory.Exists(PluginsPath))
        {
            errors.Add($"PluginsPath (--plugins): folder '{Path.GetFullPath(PluginsPath)}' does not exist");
        }

        if (Refresh < TimeSpan.FromMilliseconds(100))
        {
            errors.Add($"Refresh (--refresh) must be at least 100ms, got {Refresh}");
        }

        if (MaxRequestBytes < 1024)
        {
            errors.Add("MaxRequestBytes must be at least 1024");
        }

        foreach (var folder in AllowFolders)
        {
            if (!Path.IsPathFullyQualified(folder))
            {
                errors.Add($"AllowFolders (--allowFolders): '{folder}' must be an absolute path");
            }
            else if (!Directory.Exists(folder))
            {
                errors.Add($"AllowFolders (--allowFolders): folder '{folder}' does not exist");
            }
        }

        errors.AddRange(Agent.Validate());
        return errors;
    }
}
