namespace Wafer.GraphQL;

/// <summary>
/// What the GraphQL schema made of one plugin (shown by <c>GET /api/plugins</c>): <see cref="Served"/> with its
/// functions as fields, or <see cref="Refused"/> whole because its metadata would break the schema
/// (<see cref="Reason"/>), so that every other plugin keeps its fields. <see cref="LeftOut"/> names functions that
/// could not be fields, each with why.
/// </summary>
public sealed record PluginSchemaStatus(string State, string? Reason, IReadOnlyList<string> LeftOut)
{
    public const string Served = "served";
    public const string Refused = "refused";
}
