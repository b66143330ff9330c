using System.Reflection;

namespace Wafer.Cli.Building;

/// <summary>
/// The AssemblyScript guest SDK that ships with this <c>wafer</c>: the SDK packed as an npm tarball and the project
/// template <c>wafer new</c> copies (GuestSdk.targets). They sit in <c>sdk/</c> beside the executable (build output,
/// tool package); a single-file executable carries them inside and writes them to a cache folder on first use.
/// </summary>
public sealed record BundledSdk(string Directory, string Tarball, string Template)
{
    private const string ResourcePrefix = "sdk/";

    /// <summary>The SDK version this executable was built with (its package.json).</summary>
    public static string Version { get; } =
        typeof(BundledSdk).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "GuestSdkVersion")?.Value ?? "unknown";

    /// <summary>The tarball's file name, as npm pack names <c>@wafer/sdk</c>.</summary>
    public static string TarballName => $"wafer-sdk-{Version}.tgz";

    /// <summary>Where a project keeps its copy of the tarball, relative to the project (package.json refers to it).</summary>
    public static string ProjectTarballPath => $"vendor/{TarballName}";

    public static string Location => Path.Combine(AppContext.BaseDirectory, "sdk");

    /// <summary>The bundled SDK beside the executable, else the one inside it written out to the cache; null when neither is there.</summary>
    public static BundledSdk? Find() => At(Location) ?? Extract(CacheRoot());

    /// <summary>The SDK in <paramref name="directory"/> (holding the tarball and <c>template/</c>), or null.</summary>
    public static BundledSdk? At(string directory)
    {
        var tarball = Path.Combine(directory, TarballName);
        var template = Path.Combine(directory, "template");
        return File.Exists(tarball) && System.IO.Directory.Exists(template) ? new BundledSdk(directory, tarball, template) : null;
    }

    /// <summary>
    /// Writes the SDK embedded in this executable under <paramref name="cacheRoot"/>, in a folder named for this build
    /// (so another build never reads it), once: a complete folder is renamed into place, so a half-written one is never used.
    /// </summary>
    public static BundledSdk? Extract(string cacheRoot)
    {
        var assembly = typeof(BundledSdk).Assembly;
        var resources = assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).ToList();
        if (resources.Count == 0)
        {
            return null;
        }

        var target = Path.Combine(cacheRoot, $"sdk-{Version}-{assembly.ManifestModule.ModuleVersionId:N}");
        if (At(target) is { } extracted)
        {
            return extracted;
        }

        var staging = $"{target}.{Guid.NewGuid():N}.tmp";
        foreach (var name in resources)
        {
            var file = Path.Combine(staging, name[ResourcePrefix.Length..].Replace('\\', '/'));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            using var source = assembly.GetManifestResourceStream(name)!;
            using var destination = File.Create(file);
            source.CopyTo(destination);
        }

        try
        {
            System.IO.Directory.Move(staging, target);
        }
        catch (IOException) when (At(target) is not null)
        {
            System.IO.Directory.Delete(staging, recursive: true); // another wafer wrote it first
        }

        return At(target);
    }

    private static string CacheRoot()
    {
        if (Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } cache)
        {
            return Path.Combine(cache, "wafer");
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return home.Length > 0 ? Path.Combine(home, ".cache", "wafer") : Path.Combine(Path.GetTempPath(), "wafer");
    }
}
