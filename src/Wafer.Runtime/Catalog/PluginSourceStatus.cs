namespace Wafer.Runtime.Catalog;

/// <summary>What the reloader last did with one source in the plugins folder (shown by <c>GET /api/plugins</c>).</summary>
internal sealed record PluginSourceStatus(string SourcePath, string? Name, string State, string? Error, DateTimeOffset CheckedAt)
{
    public const string Loaded = "loaded";
    public const string Refused = "refused";
}
