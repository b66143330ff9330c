using System.Text.Json;
using Wafer.Protocol.V1;

namespace Wafer.ControlPlane.SilverLine;

/// <summary>
/// Reads the <c>data</c> of a SilverLine "create module" request (the same JSON from REST and from
/// <c>{realm}/proc/control</c>): <c>type</c>, <c>uuid</c>, <c>name</c>, <c>parent</c>, <c>file</c> (or <c>filename</c>),
/// <c>apis</c>, <c>args</c> (<c>argv</c>, <c>env</c>; a top-level <c>env</c> as older clients send is added after),
/// <c>channels</c> and Wafer's <c>restart</c>. As SilverLine does, fields given as JSON text (<c>"['a']"</c>) are read
/// as the JSON they hold. Unknown fields are ignored. The program is checked by <see cref="ProgramRules"/>.
/// </summary>
internal static class ModuleRequestReader
{
    public const int MaxNameLength = 128;

    public static ModuleRequest Read(JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object)
        {
            throw Refuse("missing field", $"data must be a JSON object, got {data.ValueKind}");
        }

        if (Optional(data, "type") is { } type && type != "module")
        {
            throw Refuse("invalid action/type", $"data.type is '{type}'; a module request has type 'module'");
        }

        var uuid = Optional(data, "uuid");
        if (uuid is not null)
        {
            uuid = Guid.TryParse(uuid, out var parsed) ? parsed.ToString("D")
                : throw Refuse("invalid Module Name/UUID", $"data.uuid '{uuid}' is not a UUID");
        }

        var name = Optional(data, "name");
        if (name is not null && (name.Length is 0 or > MaxNameLength || name.Any(char.IsControl)))
        {
            throw Refuse("invalid Module Name/UUID", $"data.name must be 1 to {MaxNameLength} characters without control characters");
        }

        var file = Optional(data, "file") ?? Optional(data, "filename")
                   ?? throw Refuse("missing field", "data/file");
        if (file.Length == 0)
        {
            throw Refuse("missing field", "data/file is empty");
        }

        var parent = Optional(data, "parent");
        var apis = Strings(data, "apis", "data.apis") ?? ["wasm", "wasi"];
        var argv = new List<string>();
        var env = new List<string>();
        if (Field(data, "args") is { } args)
        {
            if (args.ValueKind == JsonValueKind.Array)
            {
                argv.AddRange(Strings(args, "data.args"));
            }
            else if (args.ValueKind == JsonValueKind.Object)
            {
                argv.AddRange(Strings(args, "argv", "data.args.argv") ?? []);
                env.AddRange(Strings(args, "env", "data.args.env") ?? []);
            }
            else if (args.ValueKind != JsonValueKind.Null)
            {
                throw Refuse("invalid field", $"data.args must be an object with argv and env, got {args.ValueKind}");
            }
        }

        env.AddRange(Strings(data, "env", "data.env") ?? []);
        var program = new ProgramBody(argv, env, Channels(data), Optional(data, "restart") ?? RestartPolicy.Never, WallClockSeconds(data));
        if (ProgramRules.Problem(program) is { } problem)
        {
            throw Refuse("invalid field", problem);
        }

        return new ModuleRequest(uuid, name, file, parent, apis, program);
    }

    private static List<ChannelBody> Channels(JsonElement data)
    {
        if (Field(data, "channels") is not { ValueKind: not JsonValueKind.Null } channels)
        {
            return [];
        }

        if (channels.ValueKind != JsonValueKind.Array)
        {
            throw Refuse("invalid field", $"data.channels must be a list of {{path, mode, topic}}, got {channels.ValueKind}");
        }

        var list = new List<ChannelBody>();
        foreach (var channel in channels.EnumerateArray())
        {
            var at = $"data.channels[{list.Count}]";
            if (channel.ValueKind != JsonValueKind.Object)
            {
                throw Refuse("invalid field", $"{at} must be an object with path, mode and topic");
            }

            list.Add(new ChannelBody(
                Optional(channel, "path") ?? throw Refuse("missing field", $"{at}/path"),
                Optional(channel, "mode") ?? "rw",
                Optional(channel, "topic") ?? throw Refuse("missing field", $"{at}/topic")));
        }

        return list;
    }

    /// <summary>A field's value; JSON text held in a string is read as that JSON (SilverLine clients send both).</summary>
    private static JsonElement? Field(JsonElement owner, string name)
    {
        if (!owner.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text && text.TrimStart() is ['[' or '{', ..])
        {
            try
            {
                return JsonDocument.Parse(text.Replace('\'', '"')).RootElement.Clone();
            }
            catch (JsonException)
            {
                throw Refuse("invalid field", $"data.{name} holds text that is not JSON");
            }
        }

        return value;
    }

    private static string? Optional(JsonElement owner, string name) =>
        !owner.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw Refuse("invalid field", $"{name} must be a string, got {value.ValueKind}");

    /// <summary>Wafer's <c>wallClockSeconds</c>: a whole number of seconds (its range is <see cref="ProgramRules"/>').</summary>
    private static int? WallClockSeconds(JsonElement data) =>
        !data.TryGetProperty("wallClockSeconds", out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var seconds) ? seconds
        : throw Refuse("invalid field", $"wallClockSeconds must be a whole number of seconds from 1 to {ProgramRules.MaxWallClockSeconds}, got {value.GetRawText()}");

    private static List<string>? Strings(JsonElement owner, string name, string path) =>
        Field(owner, name) is { ValueKind: not JsonValueKind.Null } value ? Strings(value, path) : null;

    private static List<string> Strings(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Refuse("invalid field", $"{path} must be a list of strings, got {value.ValueKind}");
        }

        var list = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            list.Add(item.ValueKind == JsonValueKind.String ? item.GetString()!
                : throw Refuse("invalid field", $"{path}[{list.Count}] must be a string, got {item.ValueKind}"));
        }

        return list;
    }

    private static ModuleRefusedException Refuse(string desc, string data) => new(ModuleRefusal.Invalid(desc, data));
}

/// <summary>Carries a <see cref="ModuleRefusal"/> out of the reader.</summary>
internal sealed class ModuleRefusedException(ModuleRefusal refusal) : Exception(refusal.ToString())
{
    public ModuleRefusal Refusal { get; } = refusal;
}
