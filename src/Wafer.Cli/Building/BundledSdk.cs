using System.Reflection;

namespace Wafer.Cli.Building;

/// <summary>
/// The AssemblyScript guest SDK that ships with this <c>wafer</c>: <c>sdk/</c> beside the executable holds the SDK
/// packed as an npm tarball and the project template <c>wafer new</c> copies (the build puts them there, see
/// GuestSdk.targets), so an installed tool needs no checkout.
/// </summary>
public sealed record BundledSdk(string Directory, string Tarball, string Template)
{
    /// <summary>The SDK version this executable was built with (its package.json).</summary>
    public static string Version { get; } =
        typeof(BundledSdk).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "GuestSdkVersion")?.Value ?? "unknown";

    /// <summary>The tarball's file name, as npm pack names <c>@wafer/sdk</c>.</summary>
    public static string TarballName => $"wafer-sdk-{Version}.tgz";

    /// <summary>Where a project keeps its copy of the tarball, relative to the project (package.json refers to it).</summary>
    public static string ProjectTarballPath => $"vendor/{TarballName}";

    public static string Location => Path.Combine(AppContext.BaseDirectory, "sdk");

    /// <summary>The bundled SDK, or null when this executable was laid out without it.</summary>
    public static BundledSdk? Find()
    {
        var tarball = Path.Combine(Location, TarballName);
        var template = Path.Combine(Location, "template");
        return File.Exists(tarball) && System.IO.Directory.Exists(template) ? new BundledSdk(Location, tarball, template) : null;
    }
}
