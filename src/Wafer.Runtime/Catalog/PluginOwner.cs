namespace Wafer.Runtime.Catalog;

/// <summary>
/// Who serves a plugin name on this runtime: the plugins folder (or the S3 bucket mirrored into it), an upload through
/// <c>POST /api/plugins</c>, or a module the orchestrator placed. A name has one owner at a time: the catalog refuses a
/// version from another owner (<see cref="PluginCatalog.Upsert"/>), so none of them replaces another's plugin.
/// </summary>
public enum PluginOwner
{
    Folder,
    Upload,
    Placement,
}

/// <summary>How a plugin's source path names its owner.</summary>
internal static class PluginOwners
{
    /// <summary>The source path of an uploaded plugin is <c>upload:NAME</c>.</summary>
    public const string UploadPrefix = "upload:";

    /// <summary>The source path of a placed plugin is <c>orchestrator:MODULE_ID</c>.</summary>
    public const string PlacementPrefix = "orchestrator:";

    public static PluginOwner Of(string sourcePath) =>
        sourcePath.StartsWith(UploadPrefix, StringComparison.Ordinal) ? PluginOwner.Upload
        : sourcePath.StartsWith(PlacementPrefix, StringComparison.Ordinal) ? PluginOwner.Placement
        : PluginOwner.Folder;

    /// <summary>How a served plugin is named in messages: where it comes from.</summary>
    public static string Describe(LoadedPlugin plugin) => plugin.Owner switch
    {
        PluginOwner.Upload => "as an upload (POST /api/plugins)",
        PluginOwner.Placement => $"as module {plugin.SourcePath[PlacementPrefix.Length..]} placed by the orchestrator",
        _ => $"from the local plugins folder ({plugin.SourcePath})",
    };

    /// <summary>What an owner is called as the subject of a refusal.</summary>
    public static string Subject(PluginOwner owner) => owner switch
    {
        PluginOwner.Upload => "an upload",
        PluginOwner.Placement => "a module placed by the orchestrator",
        _ => "a plugin in the plugins folder",
    };
}
