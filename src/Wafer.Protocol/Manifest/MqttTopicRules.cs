namespace Wafer.Protocol.Manifest;

/// <summary>
/// What a trigger may name as an MQTT topic: user topics only. Wafer's own protocol (<c>wafer/…</c>) and the broker's
/// (<c>$…</c>) are refused, so a plugin can neither read the control channel nor speak on it.
/// </summary>
public static class MqttTopicRules
{
    public const int MaxLength = 1024;

    /// <summary>Null when <paramref name="filter"/> is a valid subscription filter for a trigger, else why it is not.</summary>
    public static string? CheckFilter(string filter) => Check(filter, wildcards: true);

    /// <summary>Null when <paramref name="topic"/> is a valid topic to publish to (no wildcards), else why it is not.</summary>
    public static string? CheckTopic(string topic) => Check(topic, wildcards: false);

    /// <summary>
    /// True for topics of Wafer's protocol or the broker, which triggers never use: <c>$…</c>, <c>wafer/…</c>, and a
    /// realm's <c>{realm}/wafer/…</c> and <c>{realm}/proc/…</c> (docs/protocol.md, "Topics"), whatever the realm.
    /// </summary>
    public static bool IsReserved(string topic)
    {
        if (topic.StartsWith('$') || topic == "wafer" || topic.StartsWith("wafer/", StringComparison.Ordinal)
            || topic.StartsWith("+/", StringComparison.Ordinal) || topic is "#" or "+")
        {
            return true;
        }

        var levels = topic.Split('/', 3);
        return levels.Length > 1 && levels[1] is "wafer" or "proc";
    }

    /// <summary>True when <paramref name="topic"/> (no wildcards) matches <paramref name="filter"/> by MQTT's rules.</summary>
    public static bool Matches(string filter, string topic)
    {
        var f = filter.AsSpan();
        var t = topic.AsSpan();
        while (true)
        {
            var fEnd = f.IndexOf('/');
            var fLevel = fEnd < 0 ? f : f[..fEnd];
            if (fLevel is "#")
            {
                return true;
            }

            var tEnd = t.IndexOf('/');
            var tLevel = tEnd < 0 ? t : t[..tEnd];
            if (!(fLevel is "+" || fLevel.SequenceEqual(tLevel)))
            {
                return false;
            }

            if (fEnd < 0 || tEnd < 0)
            {
                // Both must end here, except that "a/#" also matches "a".
                return (fEnd < 0 && tEnd < 0) || (tEnd < 0 && f[(fEnd + 1)..] is "#");
            }

            f = f[(fEnd + 1)..];
            t = t[(tEnd + 1)..];
        }
    }

    private static string? Check(string topic, bool wildcards)
    {
        if (topic.Length == 0 || topic.Length > MaxLength)
        {
            return $"must be 1-{MaxLength} characters";
        }

        if (topic.Contains('\0', StringComparison.Ordinal))
        {
            return "must not contain NUL";
        }

        if (IsReserved(topic))
        {
            return "must be a topic of your own: '$…', 'wafer/…', a realm's 'REALM/wafer/…' and 'REALM/proc/…', and filters matching every first level are reserved";
        }

        var levels = topic.Split('/');
        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[i];
            if (!wildcards && (level.Contains('+', StringComparison.Ordinal) || level.Contains('#', StringComparison.Ordinal)))
            {
                return "must not contain the wildcards '+' or '#'";
            }

            if (level.Contains('#', StringComparison.Ordinal) && (level != "#" || i != levels.Length - 1))
            {
                return "may have '#' only as its whole last level";
            }

            if (level.Contains('+', StringComparison.Ordinal) && level != "+")
            {
                return "may have '+' only as a whole level";
            }
        }

        return null;
    }
}
