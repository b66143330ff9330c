using System.CommandLine;
using System.Globalization;

namespace Wafer.Cli.Configuration;

/// <summary>
/// The one configuration path of the server commands: a setting is taken from its flag, else from its
/// <c>WAFER_*</c> variable, else from the configuration file, else it keeps its default. Values from the variables
/// and the file become the flags they stand for, inserted into the command line before it is parsed for good, so
/// every setting is read, checked and reported in one way whatever its source. Names come from the commands' own
/// options (<see cref="SettingNames"/>), so no setting is reachable one way and not another.
/// </summary>
public static class SettingArguments
{
    /// <summary>The commands that run servers and take settings from variables and a file.</summary>
    public static readonly IReadOnlySet<string> ServerCommands = new HashSet<string>(StringComparer.Ordinal) { "serve", "runtime", "orchestrator", "gateway" };

    /// <summary>The options every server command gets beside its own.</summary>
    public static void AddSharedOptions(Command command)
    {
        command.Options.Add(new Option<string?>("--config")
        {
            Description = $"Configuration file (or {SettingNames.ConfigVariable}; default ~/.wafer/config.json when it exists): flags win over WAFER_* variables, which win over the file",
            HelpName = "FILE",
        });
        command.Options.Add(new Option<bool>("--verbose") { Description = "Print the stack trace of an error that stops the server at start" });
    }

    /// <summary>
    /// <paramref name="args"/> with what the variables and the configuration file set added as flags, for a server
    /// command; unchanged for any other. Errors name the variable, or the file and key, and the value.
    /// </summary>
    public static Resolution Resolve(RootCommand root, string[] args, Func<string, string?> environment)
    {
        var parse = root.Parse(args);
        var command = parse.CommandResult.Command;
        if (!ServerCommands.Contains(command.Name))
        {
            return new Resolution(args, [], new Dictionary<string, string>());
        }

        var layers = new List<IReadOnlyList<SettingValue>>();
        try
        {
            if (ChooseFile(parse, environment) is { } file)
            {
                layers.Add(ConfigFile.Read(file, ServerCommands));
            }
        }
        catch (ConfigurationException ex)
        {
            return new Resolution(args, [ex.Message], new Dictionary<string, string>());
        }

        layers.Add(FromEnvironment(command, environment));
        return Merge(root, parse, args, layers);
    }

    /// <summary>
    /// Adds to <paramref name="args"/> the values of <paramref name="layers"/> (lowest precedence first; any reader's
    /// values, a file's or another format's) for the settings the command line leaves out.
    /// </summary>
    public static Resolution Merge(RootCommand root, ParseResult parse, string[] args, IEnumerable<IReadOnlyList<SettingValue>> layers)
    {
        var command = parse.CommandResult.Command;
        var settings = command.Options.Where(SettingNames.IsSetting).ToDictionary(SettingNames.Key, StringComparer.Ordinal);
        var known = root.Subcommands.Where(c => ServerCommands.Contains(c.Name))
            .SelectMany(c => c.Options.Where(SettingNames.IsSetting).Select(SettingNames.Key)).ToHashSet(StringComparer.Ordinal);
        var errors = new List<string>();
        var chosen = new Dictionary<string, SettingValue>(StringComparer.Ordinal);
        foreach (var layer in layers)
        {
            // within one layer a command's own section wins over the top level
            foreach (var value in layer.OrderBy(v => v.Command is null ? 0 : 1))
            {
                if (value.Command is { } section && section != command.Name)
                {
                    if (!root.Subcommands.First(c => c.Name == section).Options.Any(o => SettingNames.IsSetting(o) && SettingNames.Key(o) == value.Key))
                    {
                        errors.Add($"{value.Source}: 'wafer {section}' has no setting '{value.Key}'");
                    }

                    continue;
                }

                if (!settings.ContainsKey(value.Key))
                {
                    if (value.Command is not null || !known.Contains(value.Key))
                    {
                        errors.Add($"{value.Source}: unknown setting '{value.Key}' (settings are the server commands' flags without dashes; see wafer {command.Name} --help)");
                    }

                    continue;
                }

                chosen[value.Key] = value;
            }
        }

        var added = new List<string>();
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in chosen)
        {
            var option = settings[key];
            if (parse.GetResult(option) is { Implicit: false })
            {
                continue; // the flag wins
            }

            if (Check(option, value.Value) is { } problem)
            {
                errors.Add($"{value.Source}: '{value.Value}' {problem}");
                continue;
            }

            added.Add(option.Name);
            added.Add(value.Value);
            sources[option.Name] = value.Source;
        }

        var end = Array.IndexOf(args, "--");
        string[] merged = end < 0 ? [.. args, .. added] : [.. args[..end], .. added, .. args[end..]];
        return new Resolution(errors.Count > 0 ? args : merged, errors, sources);
    }

    /// <summary>The settings the variables give <paramref name="command"/>; empty variables are not set.</summary>
    public static IReadOnlyList<SettingValue> FromEnvironment(Command command, Func<string, string?> environment) =>
    [
        .. command.Options.Where(SettingNames.IsSetting)
            .Select(o => (Key: SettingNames.Key(o), Variable: SettingNames.Variable(o)))
            .Select(s => (s.Key, s.Variable, Value: environment(s.Variable)))
            .Where(s => !string.IsNullOrEmpty(s.Value))
            .Select(s => new SettingValue(s.Key, s.Value!, s.Variable)),
    ];

    private static string? ChooseFile(ParseResult parse, Func<string, string?> environment)
    {
        var given = parse.GetValue<string?>("--config") ?? (environment(SettingNames.ConfigVariable) is { Length: > 0 } variable ? variable : null);
        if (given is not null)
        {
            return File.Exists(given) ? Path.GetFullPath(given) : throw new ConfigurationException(
                $"{(parse.GetValue<string?>("--config") is null ? SettingNames.ConfigVariable : "--config")}: file '{Path.GetFullPath(given)}' does not exist");
        }

        var home = ConfigFile.DefaultPath();
        return File.Exists(home) ? home : null;
    }

    /// <summary>What is wrong with <paramref name="text"/> as a value of <paramref name="option"/>, or null.</summary>
    private static string? Check(Option option, string text)
    {
        var type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
        return (option.HelpName, type) switch
        {
            ("DURATION", _) => Commands.DurationParser.TryParse(text.Trim(), out _) ? null : $"is not a duration such as 30s, 2m or 500ms (for {option.Name})",
            ("N", _) => long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out _) ? null : $"is not a whole number (for {option.Name})",
            (_, var t) when t == typeof(bool) => bool.TryParse(text, out _) ? null : $"is not true or false (for {option.Name})",
            (_, var t) when t == typeof(int) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) ? null : $"is not a whole number (for {option.Name})",
            (_, var t) when t == typeof(long) => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) ? null : $"is not a whole number (for {option.Name})",
            _ => null,
        };
    }

    /// <summary>The arguments to parse, the errors that stop the command, and which flags came from where.</summary>
    /// <param name="Sources">Flag (<c>--port</c>) to the variable or file key that set it.</param>
    public sealed record Resolution(string[] Args, IReadOnlyList<string> Errors, IReadOnlyDictionary<string, string> Sources);
}
