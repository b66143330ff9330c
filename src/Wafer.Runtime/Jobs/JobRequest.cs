using System.Text;
using System.Text.Json;

namespace Wafer.Runtime.Jobs;

/// <summary>The body of <c>POST /jobs</c>, validated: <c>{"plugin": …, "args": […], "env": {…}, "stdin": "…"}</c>.</summary>
public sealed record JobRequest(string Plugin, IReadOnlyList<string> Args, IReadOnlyDictionary<string, string> Env, string Stdin)
{
    /// <summary>Files the host serves to the run (a program module's channels); never set from a request body.</summary>
    public IReadOnlyList<Wafer.Wasm.Wasi.Channels.ICommandChannel> Channels { get; init; } = [];

    /// <summary>Hears stdout while the run goes on (a program module's live output).</summary>
    public Wafer.Wasm.Wasi.WasiOutputObserver? StdoutObserver { get; init; }

    /// <summary>Hears stderr while the run goes on.</summary>
    public Wafer.Wasm.Wasi.WasiOutputObserver? StderrObserver { get; init; }

    private const string Shape = "expected {\"plugin\": \"name\", \"args\": [\"…\"], \"env\": {\"NAME\": \"value\"}, \"stdin\": \"…\"}";

    /// <summary>Parses the body; returns null and a message saying what is wrong when it is not a valid request.</summary>
    public static JobRequest? Parse(ReadOnlySpan<byte> body, out string? error)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException ex)
        {
            error = $"request body is not valid JSON: {ex.Message}";
            return null;
        }

        using (document)
        {
            return Read(document.RootElement, out error);
        }
    }

    private static JobRequest? Read(JsonElement root, out string? error)
    {
        error = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = $"request body must be a JSON object; {Shape}";
            return null;
        }

        string? plugin = null;
        var args = new List<string>();
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        var stdin = "";
        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "plugin" when value.ValueKind == JsonValueKind.String:
                    plugin = value.GetString()!;
                    break;
                case "plugin":
                    error = $"'plugin' must be a string, got {Kind(value)}";
                    return null;
                case "args" when value.ValueKind == JsonValueKind.Array:
                    foreach (var item in value.EnumerateArray())
                    {
                        if (item.ValueKind != JsonValueKind.String)
                        {
                            error = $"'args[{args.Count}]' must be a string, got {Kind(item)}";
                            return null;
                        }

                        args.Add(item.GetString()!);
                    }

                    break;
                case "args" when value.ValueKind != JsonValueKind.Null:
                    error = $"'args' must be an array of strings, got {Kind(value)}";
                    return null;
                case "env" when value.ValueKind == JsonValueKind.Object:
                    foreach (var variable in value.EnumerateObject())
                    {
                        if (variable.Value.ValueKind != JsonValueKind.String)
                        {
                            error = $"'env.{variable.Name}' must be a string, got {Kind(variable.Value)}";
                            return null;
                        }

                        env[variable.Name] = variable.Value.GetString()!;
                    }

                    break;
                case "env" when value.ValueKind != JsonValueKind.Null:
                    error = $"'env' must be an object of strings, got {Kind(value)}";
                    return null;
                case "stdin" when value.ValueKind == JsonValueKind.String:
                    stdin = value.GetString()!;
                    break;
                case "stdin" when value.ValueKind != JsonValueKind.Null:
                    error = $"'stdin' must be a string, got {Kind(value)}";
                    return null;
                case "args" or "env" or "stdin":
                    break;
                default:
                    error = $"unknown key '{property.Name}'; {Shape}";
                    return null;
            }
        }

        if (string.IsNullOrEmpty(plugin))
        {
            error = $"'plugin' is missing; {Shape}";
            return null;
        }

        error = Check(args, env);
        return error is null ? new JobRequest(plugin, args, env, stdin) : null;
    }

    private static string? Check(List<string> args, Dictionary<string, string> env)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i].Contains('\0', StringComparison.Ordinal))
            {
                return $"'args[{i}]' must not contain a NUL character";
            }
        }

        foreach (var (name, value) in env)
        {
            if (name.Length == 0 || name.Contains('=', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
            {
                return $"environment variable name '{name}' must be non-empty and contain neither '=' nor NUL";
            }

            if (value.Contains('\0', StringComparison.Ordinal))
            {
                return $"'env.{name}' must not contain a NUL character";
            }
        }

        return null;
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    /// <summary>The stdin bytes the guest reads (UTF-8).</summary>
    public byte[] StdinBytes() => Encoding.UTF8.GetBytes(Stdin);
}
