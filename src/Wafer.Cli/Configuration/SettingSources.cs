namespace Wafer.Cli.Configuration;

/// <summary>
/// Which flags of this run were set by a variable or the configuration file, so an error about a value names where
/// it came from even when the check that found it speaks of the flag (<c>MaxConcurrentCalls (--maxConcurrentCalls)</c>).
/// </summary>
public static class SettingSources
{
    private static IReadOnlyDictionary<string, string> _sources = new Dictionary<string, string>();

    /// <summary>Configuration keys as options classes' checks write them (<c>Gateway:CallTimeout</c>, <c>GraphQL.MaxDepth</c>) to the flag that sets them.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> KeyFlags = new(StringComparer.Ordinal);

    public static void Remember(IReadOnlyDictionary<string, string> sources) => _sources = sources;

    /// <summary>Lets errors that name <paramref name="key"/> (<c>Gateway:GraphQL:MaxDepth</c>) name its flag too.</summary>
    public static void RegisterKey(string key, string flag)
    {
        var segments = key.Split(':');
        var last = segments.Length >= 2 ? segments[^2..] : segments;
        KeyFlags.TryAdd(string.Join(':', segments[1..]), flag);
        KeyFlags.TryAdd(string.Join('.', last), flag);
        KeyFlags.TryAdd(string.Join(':', last), flag);
    }

    /// <summary>
    /// <paramref name="message"/>, followed by the flag of a configuration key it names, and by the source of every
    /// flag it names that a variable or the file set.
    /// </summary>
    public static string Annotate(string message)
    {
        var flags = KeyFlags.Where(k => k.Key.Length > 0 && Names(message, k.Key) && !Names(message, k.Value)).Select(k => k.Value).Distinct().ToList();
        var notes = flags.Select(f => _sources.TryGetValue(f, out var source) ? $"{f}, set by {source}" : f).ToList();
        notes.AddRange(_sources.Where(s => Names(message, s.Key)).Select(s => $"{s.Key} was set by {s.Value}"));
        return notes.Count == 0 ? message : $"{message} ({string.Join("; ", notes)})";
    }

    private static bool Names(string message, string flag)
    {
        for (var at = message.IndexOf(flag, StringComparison.Ordinal); at >= 0; at = message.IndexOf(flag, at + 1, StringComparison.Ordinal))
        {
            var end = at + flag.Length;
            if ((end == message.Length || !char.IsLetterOrDigit(message[end])) && (at == 0 || !char.IsLetterOrDigit(message[at - 1])))
            {
                return true;
            }
        }

        return false;
    }
}
