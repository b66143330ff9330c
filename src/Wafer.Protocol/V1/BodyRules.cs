namespace Wafer.Protocol.V1;

/// <summary>
/// What deserialization alone cannot refuse: null items inside lists and maps (System.Text.Json does not check
/// the nullability of type arguments), empty ids, and fields limited to a set of values (docs/protocol.md).
/// </summary>
internal static class BodyRules
{
    /// <summary>The problem with <paramref name="body"/>, or null when it is valid.</summary>
    public static string? Check(IMessageBody body) => body switch
    {
        AnnounceBody b => NoNullValues(b.Labels, "labels")
                          ?? NoNullItems(b.Kinds, "kinds")
                          ?? NoNullItems(b.Modules, "modules")
                          ?? b.Modules.Select((m, i) => OneOf(m.State, $"modules[{i}].state", ModuleState.States)).FirstOrDefault(e => e is not null),
        StatusBody b => OneOf(b.State, "state", StatusBody.States),
        KeepaliveBody b => NoNullItems(b.Modules, "modules")
                           ?? b.Modules.Select((m, i) => OneOf(m.State, $"modules[{i}].state", ModuleState.States)).FirstOrDefault(e => e is not null),
        CreateModuleBody b => NotEmpty(b.ModuleId, "moduleId")
                              ?? NotEmpty(b.Plugin, "plugin")
                              ?? NotEmpty(b.Hash, "hash")
                              ?? NotEmpty(b.ArtifactUrl, "artifactUrl")
                              ?? (b.Manifest.ValueKind == System.Text.Json.JsonValueKind.Object ? null : $"manifest must be a JSON object, got {b.Manifest.ValueKind}")
                              ?? (b.Config is null ? null : NoNullValues(b.Config, "config"))
                              ?? (b.Program is null ? null : ProgramRules.Problem(b.Program)),
        DeleteModuleBody b => NotEmpty(b.ModuleId, "moduleId"),
        OrchestratorStatusBody b => OneOf(b.State, "state", OrchestratorStatusBody.States),
        _ => null,
    };

    private static string? NotEmpty(string value, string field) => value.Length == 0 ? $"{field} must not be empty" : null;

    private static string? OneOf(string value, string field, string[] allowed) =>
        allowed.Contains(value) ? null : $"{field} is '{value}'; expected one of {string.Join(", ", allowed)}";

    private static string? NoNullItems<T>(IReadOnlyList<T> items, string field)
        where T : class
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is null)
            {
                return $"{field}[{i}] must not be null";
            }
        }

        return null;
    }

    private static string? NoNullValues(IReadOnlyDictionary<string, string> map, string field) =>
        map.FirstOrDefault(kv => kv.Value is null).Key is { } key ? $"{field}.{key} must not be null" : null;
}
