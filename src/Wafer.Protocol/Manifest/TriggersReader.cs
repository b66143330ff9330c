using System.Text.Json;
using Cronos;

namespace Wafer.Protocol.Manifest;

/// <summary>Reads the manifest's <c>triggers</c>: MQTT topics and cron schedules (docs/manifest.md, "Triggers").</summary>
internal static class TriggersReader
{
    public const int MaxTriggers = 32;

    public static ValueList<TriggerSpec> Read(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new ManifestException($"{path} must be an array of triggers");
        }

        if (element.GetArrayLength() > MaxTriggers)
        {
            throw new ManifestException($"{path} may hold at most {MaxTriggers} triggers, got {element.GetArrayLength()}");
        }

        var triggers = new List<TriggerSpec>();
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var p = $"{path}[{index++}]";
            ManifestValues.Object(item, p);
            var isMqtt = item.TryGetProperty("mqtt", out _);
            var isCron = item.TryGetProperty("cron", out _);
            triggers.Add((isMqtt, isCron) switch
            {
                (true, false) => ReadMqtt(item, p),
                (false, true) => ReadCron(item, p),
                _ => throw new ManifestException($"{p} must have exactly one of \"mqtt\" (a topic) or \"cron\" (a schedule)"),
            });
        }

        return new ValueList<TriggerSpec>(triggers);
    }

    /// <summary>MQTT triggers call functions, so only a functions plugin has them; a cron trigger calls a function or starts a job to match.</summary>
    public static void CheckType(ValueList<TriggerSpec> triggers, PluginType type)
    {
        foreach (var trigger in triggers)
        {
            switch (trigger)
            {
                case MqttTriggerSpec when type == PluginType.Command:
                    throw new ManifestException($"{trigger.Path}: an MQTT trigger calls a function; a command plugin has none (use a cron trigger with \"job\")");
                case CronTriggerSpec { Job: not null } when type != PluginType.Command:
                    throw new ManifestException($"{trigger.Path}.job starts a job of this plugin, which needs \"type\": \"command\"; a functions plugin's cron trigger names a \"function\"");
                case CronTriggerSpec { Function: not null } when type == PluginType.Command:
                    throw new ManifestException($"{trigger.Path}.function: a command plugin has no functions; use \"job\"");
            }
        }
    }

    private static MqttTriggerSpec ReadMqtt(JsonElement element, string path)
    {
        string? topic = null, function = null, reply = null, errors = null;
        var maxConcurrent = MqttTriggerSpec.DefaultMaxConcurrent;
        foreach (var property in element.EnumerateObject())
        {
            var p = ManifestValues.Child(path, property.Name);
            switch (property.Name)
            {
                case "mqtt":
                    topic = Topic(property.Value, p, MqttTopicRules.CheckFilter);
                    break;
                case "function":
                    function = ManifestValues.NonEmptyString(property.Value, p);
                    break;
                case "reply":
                    reply = Topic(property.Value, p, MqttTopicRules.CheckTopic);
                    break;
                case "errors":
                    errors = Topic(property.Value, p, MqttTopicRules.CheckTopic);
                    break;
                case "maxConcurrent":
                    maxConcurrent = ManifestValues.Integer(property.Value, p, 1, MqttTriggerSpec.MaxMaxConcurrent);
                    break;
                default:
                    throw new ManifestException($"{p} is not a key of an MQTT trigger (mqtt, function, reply, errors, maxConcurrent)");
            }
        }

        if (topic is null)
        {
            throw new ManifestException($"{path}.mqtt is missing");
        }

        foreach (var (key, target) in new[] { ("reply", reply), ("errors", errors) })
        {
            if (target is not null && MqttTopicRules.Matches(topic, target))
            {
                throw new ManifestException($"{path}.{key} '{target}' matches the trigger's own topic '{topic}': each answer would call the function again");
            }
        }

        return new MqttTriggerSpec(topic, function ?? throw new ManifestException($"{path}.function is missing: the function each message calls"),
            reply, errors, maxConcurrent) { Path = path };
    }

    private static CronTriggerSpec ReadCron(JsonElement element, string path)
    {
        string? schedule = null, function = null, arguments = null, timeZone = null;
        var hasSeconds = false;
        CronJobSpec? job = null;
        foreach (var property in element.EnumerateObject())
        {
            var p = ManifestValues.Child(path, property.Name);
            switch (property.Name)
            {
                case "cron":
                    schedule = ManifestValues.NonEmptyString(property.Value, p).Trim();
                    hasSeconds = CheckSchedule(schedule, p);
                    break;
                case "function":
                    function = ManifestValues.NonEmptyString(property.Value, p);
                    break;
                case "args":
                    ManifestValues.Object(property.Value, p);
                    arguments = JsonSerializer.Serialize(property.Value);
                    break;
                case "job":
                    job = ReadJob(property.Value, p);
                    break;
                case "timezone":
                    timeZone = CheckTimeZone(ManifestValues.NonEmptyString(property.Value, p).Trim(), p);
                    break;
                default:
                    throw new ManifestException($"{p} is not a key of a cron trigger (cron, timezone, function, args, job)");
            }
        }

        if ((function is null) == (job is null))
        {
            throw new ManifestException($"{path} must have exactly one of \"function\" (to call) or \"job\" (to start)");
        }

        if (arguments is not null && function is null)
        {
            throw new ManifestException($"{path}.args are a function's arguments; a job takes \"job\": {{\"args\": [...]}}");
        }

        return new CronTriggerSpec(schedule!, hasSeconds, function, arguments ?? "{}", job) { Path = path, TimeZone = timeZone };
    }

    /// <summary>An IANA time zone this machine knows (its tz database); Windows names are refused, so a manifest means one thing everywhere.</summary>
    private static string CheckTimeZone(string id, string path)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) || !zone.HasIanaId)
        {
            throw new ManifestException($"{path} '{id}' is not an IANA time zone (such as \"Europe/Paris\" or \"UTC\")");
        }

        return id;
    }

    /// <summary>Five fields (minute first) or six (second first), as Cronos reads them; true for six.</summary>
    private static bool CheckSchedule(string schedule, string path)
    {
        var fields = schedule.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields is not (5 or 6))
        {
            throw new ManifestException($"{path} must be a cron expression of 5 fields (minute hour day month weekday) or 6 (second first), got {fields}: '{schedule}'");
        }

        try
        {
            CronExpression.Parse(schedule, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        }
        catch (CronFormatException ex)
        {
            throw new ManifestException($"{path} is not a valid cron expression: {ex.Message}");
        }

        return fields == 6;
    }

    private static CronJobSpec ReadJob(JsonElement element, string path)
    {
        ManifestValues.Object(element, path);
        var args = ValueList<string>.Empty;
        var env = ManifestMap<string>.Empty;
        var stdin = "";
        foreach (var property in element.EnumerateObject())
        {
            var p = ManifestValues.Child(path, property.Name);
            switch (property.Name)
            {
                case "args" when property.Value.ValueKind == JsonValueKind.Array:
                    args = new ValueList<string>(property.Value.EnumerateArray().Select((a, i) => ManifestValues.String(a, $"{p}[{i}]")).ToList());
                    break;
                case "args":
                    throw new ManifestException($"{p} must be an array of strings");
                case "env":
                    env = ManifestValues.StringMap(property.Value, p, name =>
                        name.Length == 0 || name.Contains('=', StringComparison.Ordinal) ? "an environment variable name must be non-empty and have no '='" : null);
                    break;
                case "stdin":
                    stdin = ManifestValues.String(property.Value, p);
                    break;
                default:
                    throw new ManifestException($"{p} is not a key of a job (args, env, stdin)");
            }
        }

        return new CronJobSpec(args, env, stdin);
    }

    private static string Topic(JsonElement element, string path, Func<string, string?> check)
    {
        var topic = ManifestValues.String(element, path);
        return check(topic) is { } problem ? throw new ManifestException($"{path} '{topic}' {problem}") : topic;
    }
}
