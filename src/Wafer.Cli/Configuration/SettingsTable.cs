using System.CommandLine;
using System.Text;

namespace Wafer.Cli.Configuration;

/// <summary>
/// The table of every server command's settings, flag by flag, with its variable, its file key and its default
/// (docs/cli.md, "Configuration", is this table; a test keeps the two the same).
/// </summary>
public static class SettingsTable
{
    public static string Markdown(RootCommand root)
    {
        var commands = root.Subcommands.Where(c => SettingArguments.ServerCommands.Contains(c.Name)).ToList();
        var rows = commands
            .SelectMany(c => c.Options.Where(SettingNames.IsSetting).Select(o => (Command: c.Name, Option: o)))
            .GroupBy(r => r.Option.Name, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.OrdinalIgnoreCase);
        var text = new StringBuilder();
        text.AppendLine("| flag | variable | file key | default | commands |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var group in rows)
        {
            var option = group.First().Option;
            var defaults = group.GroupBy(r => Default(r.Option), StringComparer.Ordinal).ToList();
            var defaultText = defaults.Count == 1
                ? defaults[0].Key
                : string.Join("; ", defaults.Select(d => $"{d.Key} ({string.Join(", ", d.Select(r => r.Command))})"));
            text.AppendLine($"| `{option.Name}` | `{SettingNames.Variable(option)}` | `{SettingNames.Key(option)}` | {defaultText} | {string.Join(", ", group.Select(r => r.Command))} |");
        }

        return text.ToString();
    }

    private static string Default(Option option)
    {
        if (PropertyFlags.DefaultOf(option) is { } text)
        {
            return $"`{text}`";
        }

        if (!option.HasDefaultValue)
        {
            return option.ValueType == typeof(bool) ? "off" : "none";
        }

        return option.GetDefaultValue() switch
        {
            null => "none",
            false => "off",
            true => "on",
            var value => $"`{PropertyFlags.DefaultText(value)}`",
        };
    }
}
