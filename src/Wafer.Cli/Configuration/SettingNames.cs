using System.CommandLine;
using System.Text;

namespace Wafer.Cli.Configuration;

/// <summary>
/// How a flag is named in the other sources: the file key is the flag without dashes (<c>--drainTimeout</c>:
/// <c>drainTimeout</c>), the environment variable is <c>WAFER_</c> and the name in upper snake case
/// (<c>WAFER_DRAIN_TIMEOUT</c>), save the few variables that had other names before.
/// </summary>
public static class SettingNames
{
    public const string VariablePrefix = "WAFER_";

    /// <summary>The variable naming the configuration file, as <c>--config</c> does.</summary>
    public const string ConfigVariable = "WAFER_CONFIG";

    private static readonly Dictionary<string, string> EarlierVariables = new(StringComparer.Ordinal)
    {
        ["mqttUser"] = "WAFER_MQTT_USERNAME",
    };

    /// <summary>Options that are not settings: they choose the file or ask for help.</summary>
    private static readonly HashSet<string> NotSettings = new(StringComparer.Ordinal) { "--config", "--help", "--version" };

    public static bool IsSetting(Option option) => !NotSettings.Contains(option.Name) && option.Name.StartsWith("--", StringComparison.Ordinal);

    public static string Key(Option option) => option.Name.TrimStart('-');

    public static string Variable(Option option) => Variable(Key(option));

    public static string Variable(string key) =>
        EarlierVariables.TryGetValue(key, out var earlier) ? earlier : VariablePrefix + UpperSnake(key);

    private static string UpperSnake(string name)
    {
        var text = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])))
            {
                text.Append('_');
            }

            text.Append(char.ToUpperInvariant(name[i]));
        }

        return text.ToString();
    }
}
