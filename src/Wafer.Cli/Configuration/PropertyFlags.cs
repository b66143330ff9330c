using System.CommandLine;
using System.Globalization;
using System.Reflection;
using Wafer.Cli.Commands;

namespace Wafer.Cli.Configuration;

/// <summary>
/// Flags that each set one property of an options class, named by its configuration key (<c>Orchestrator:DrainTimeout</c>,
/// <c>Jobs:MaxConcurrent</c>). A flag's kind, help name and default come from the property and a fresh instance of
/// its class, so they cannot drift from the options they set; a value given is checked by kind and written under the
/// key in the invariant form the configuration binder reads (<see cref="Collect"/>).
/// </summary>
public sealed class PropertyFlags
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Option, string> DefaultTexts = [];

    private readonly List<Flag> _flags = [];

    /// <summary>The default of a flag made here, as <see cref="DefaultText"/> writes it; null for other options.</summary>
    public static string? DefaultOf(Option option) => DefaultTexts.TryGetValue(option, out var text) ? text : null;

    /// <param name="defaults">A fresh options object per section, the first segment of each key.</param>
    /// <param name="rows">Each flag's name (without dashes), configuration key and description.</param>
    public PropertyFlags(IReadOnlyDictionary<string, object> defaults, params (string Flag, string Key, string Description)[] rows)
    {
        foreach (var (flag, key, description) in rows)
        {
            var segments = key.Split(':');
            object? owner = defaults[segments[0]];
            PropertyInfo? property = null;
            foreach (var name in segments.Skip(1))
            {
                owner = property is null ? owner : property.GetValue(owner);
                property = owner!.GetType().GetProperty(name) ?? throw new ArgumentException($"{key}: {owner.GetType().Name} has no property {name}", nameof(rows));
            }

            var type = Nullable.GetUnderlyingType(property!.PropertyType) ?? property.PropertyType;
            var value = property.GetValue(owner);
            var option = new Option<string?>("--" + flag)
            {
                Description = $"{description} (default {DefaultText(value)})",
                HelpName = type == typeof(TimeSpan) ? "DURATION" : type == typeof(bool) ? "true|false" : "N",
            };
            _flags.Add(new Flag(option, key, type));
            DefaultTexts.Add(option, DefaultText(value));
            SettingSources.RegisterKey(key, option.Name);
        }
    }

    public IEnumerable<Option> Options => _flags.Select(f => f.Option);

    /// <summary>The first of these flags the command line gives (or a variable or the file gave), else null.</summary>
    public Option? FirstGiven(ParseResult parse) => _flags.Select(f => f.Option).FirstOrDefault(o => parse.GetResult(o) is { Implicit: false });

    public void AddTo(Command command)
    {
        foreach (var flag in _flags)
        {
            command.Options.Add(flag.Option);
        }
    }

    /// <summary>Writes every flag given into <paramref name="configuration"/>; returns the values that are not of the flag's kind.</summary>
    public IReadOnlyList<string> Collect(ParseResult parse, IDictionary<string, string?> configuration)
    {
        var errors = new List<string>();
        foreach (var (option, key, type) in _flags)
        {
            if (parse.GetValue(option) is not { } text)
            {
                continue;
            }

            var normalized = Normalize(text.Trim(), type);
            if (normalized is null)
            {
                errors.Add($"{option.Name}: '{text}' is not {KindText(type)}");
                continue;
            }

            configuration[key] = normalized;
        }

        return errors;
    }

    private static string? Normalize(string text, Type type) => type switch
    {
        _ when type == typeof(TimeSpan) => DurationParser.TryParse(text, out var duration) ? duration.ToString("c", CultureInfo.InvariantCulture) : null,
        _ when type == typeof(int) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number.ToString(CultureInfo.InvariantCulture) : null,
        _ when type == typeof(long) => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number.ToString(CultureInfo.InvariantCulture) : null,
        _ when type == typeof(bool) => bool.TryParse(text, out var flag) ? (flag ? "true" : "false") : null,
        _ => text,
    };

    private static string KindText(Type type) => type switch
    {
        _ when type == typeof(TimeSpan) => "a duration such as 30s, 2m or 500ms",
        _ when type == typeof(bool) => "true or false",
        _ => "a whole number",
    };

    /// <summary>A default as a user would write it: <c>2m</c>, <c>500ms</c>, <c>67108864</c>.</summary>
    public static string DefaultText(object? value) => value switch
    {
        TimeSpan { TotalDays: >= 1 } d when d.TotalDays % 1 == 0 => $"{d.TotalDays:0}d",
        TimeSpan { TotalHours: >= 1 } d when d.TotalHours % 1 == 0 => $"{d.TotalHours:0}h",
        TimeSpan { TotalMinutes: >= 1 } d when d.TotalMinutes % 1 == 0 => $"{d.TotalMinutes:0}m",
        TimeSpan { TotalSeconds: >= 1 } d when d.TotalSeconds % 1 == 0 => $"{d.TotalSeconds:0}s",
        TimeSpan d => string.Create(CultureInfo.InvariantCulture, $"{d.TotalMilliseconds:0}ms"),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        null => "none",
        _ => value.ToString() ?? "",
    };

    private readonly record struct Flag(Option<string?> Option, string Key, Type Type);
}
