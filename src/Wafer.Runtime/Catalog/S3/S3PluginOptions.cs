using Wafer.Storage.S3;

namespace Wafer.Runtime.Catalog.S3;

/// <summary>
/// Plugins kept in an S3 bucket (<c>--s3bucket</c> with <c>--plugins</c> or <c>--s3path</c> as the folder inside it).
/// The bucket's folder is mirrored into <see cref="Hosting.RuntimeOptions.PluginsPath"/>, which the reloader serves as
/// it serves any plugins folder.
/// </summary>
public sealed class S3PluginOptions
{
    public const int DefaultPageSize = 1000;

    /// <summary>The bucket and the folder in it.</summary>
    public required S3Location Location { get; init; }

    /// <summary>Keys asked for per listing request (S3's own maximum is 1000); every page is read.</summary>
    public int PageSize { get; set; } = DefaultPageSize;

    /// <summary>Time one S3 request may take before the server counts as unreachable for this poll.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest manifest object (<c>.json</c>) mirrored; wasm objects are bounded by <c>--maxModuleBytes</c>.</summary>
    public long MaxManifestBytes { get; set; } = 1024 * 1024;

    public IEnumerable<string> Validate()
    {
        if (PageSize is < 1 or > 1000)
        {
            yield return $"S3 page size must be between 1 and 1000, got {PageSize}";
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            yield return "S3 request timeout must be positive";
        }
    }
}
