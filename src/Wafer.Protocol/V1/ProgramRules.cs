using Wafer.Protocol.Manifest;
namespace Wafer.Protocol.V1;

/// <summary>
/// The one set of rules a <see cref="ProgramBody"/> must follow, applied where a module is asked for (REST and
/// SilverLine's MQTT requests) and again where it runs (<c>create_module</c>). Each problem names the field.
/// </summary>
public static class ProgramRules
{
    public const int MaxArgs = 256;
    public const int MaxEnv = 256;
    public const int MaxChannels = 16;
    public const int MaxTextBytes = 64 * 1024;
    public const int MaxPathLength = 128;
    public const int MaxTopicLength = 256;

    /// <summary>The longest wall-clock limit a module may ask for: one week.</summary>
    public const int MaxWallClockSeconds = 7 * 24 * 3600;

    public static readonly IReadOnlyList<string> Modes = ["r", "w", "rw"];

    /// <summary>The first problem with <paramref name="program"/>, or null when it may run.</summary>
    public static string? Problem(ProgramBody program)
    {
        if (program.Argv.Count > MaxArgs)
        {
            return $"args.argv has {program.Argv.Count} items; at most {MaxArgs}";
        }

        if (program.Env.Count > MaxEnv)
        {
            return $"args.env has {program.Env.Count} items; at most {MaxEnv}";
        }

        for (var i = 0; i < program.Argv.Count; i++)
        {
            if (program.Argv[i] is null || program.Argv[i].Contains('\0', StringComparison.Ordinal))
            {
                return $"args.argv[{i}] must be a string without NUL characters";
            }
        }

        for (var i = 0; i < program.Env.Count; i++)
        {
            var entry = program.Env[i];
            if (entry is null || entry.IndexOf('=', StringComparison.Ordinal) < 1 || entry.Contains('\0', StringComparison.Ordinal))
            {
                return $"args.env[{i}] must be KEY=VALUE with a non-empty KEY, got '{entry}'";
            }
        }

        var bytes = program.Argv.Concat(program.Env).Sum(s => System.Text.Encoding.UTF8.GetByteCount(s) + 1);
        if (bytes > MaxTextBytes)
        {
            return $"args.argv and args.env take {bytes} bytes together; at most {MaxTextBytes}";
        }

        return ChannelsProblem(program.Channels)
               ?? (RestartPolicy.All.Contains(program.Restart) ? null
                   : $"restart is '{program.Restart}'; expected one of {string.Join(", ", RestartPolicy.All)}")
               ?? (program.WallClockSeconds is not { } seconds || seconds is >= 1 and <= MaxWallClockSeconds ? null
                   : $"wallClockSeconds is {seconds}; expected a whole number of seconds from 1 to {MaxWallClockSeconds}");
    }

    private static string? ChannelsProblem(IReadOnlyList<ChannelBody> channels)
    {
        if (channels.Count > MaxChannels)
        {
            return $"channels has {channels.Count} items; at most {MaxChannels}";
        }

        var paths = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < channels.Count; i++)
        {
            var channel = channels[i];
            if (channel is null)
            {
                return $"channels[{i}] must be an object with path, mode and topic";
            }

            if (PathProblem(channel.Path) is { } pathProblem)
            {
                return $"channels[{i}].path {pathProblem}";
            }

            if (!paths.Add(FileName(channel.Path)))
            {
                return $"channels[{i}].path '{channel.Path}' is used by another channel";
            }

            if (!Modes.Contains(channel.Mode))
            {
                return $"channels[{i}].mode is '{channel.Mode}'; expected one of r, w, rw";
            }

            if (string.IsNullOrEmpty(channel.Topic) || channel.Topic.Length > MaxTopicLength || channel.Topic.Contains('\0', StringComparison.Ordinal))
            {
                return $"channels[{i}].topic must be an MQTT topic of 1 to {MaxTopicLength} characters";
            }

            if (channel.Writes && channel.Topic.IndexOfAny(['+', '#']) >= 0)
            {
                return $"channels[{i}].topic '{channel.Topic}' has a wildcard; a channel the module writes (mode {channel.Mode}) needs one topic";
            }

            // The rule of triggers' topics: a module reads and writes user topics, never the protocol's.
            if (MqttTopicRules.CheckFilter(channel.Topic) is { } topicProblem)
            {
                return $"channels[{i}].topic '{channel.Topic}' {topicProblem}";
            }
        }

        return null;
    }

    /// <summary>The channel's file name in the module's channel folder: its path without a leading <c>/</c>, levels joined by <c>_</c>.</summary>
    public static string FileName(string path) => path.TrimStart('/').Replace('/', '_');

    private static string? PathProblem(string? path)
    {
        if (string.IsNullOrEmpty(path) || path.Length > MaxPathLength)
        {
            return $"must be 1 to {MaxPathLength} characters";
        }

        var levels = path.TrimStart('/').Split('/');
        return levels.All(l => l.Length > 0 && l is not "." and not ".." && l.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            ? null
            : $"'{path}' must be names of letters, digits, '-', '_' and '.' separated by '/' (no '..')";
    }
}
