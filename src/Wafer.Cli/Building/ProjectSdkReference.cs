using System.Text.Json;

namespace Wafer.Cli.Building;

/// <summary>How a plugin project's package.json names the guest SDK (<c>dependencies["@wafer/sdk"]</c>).</summary>
public sealed record ProjectSdkReference(string Specifier, string? LocalPath)
{
    public const string PackageName = "@wafer/sdk";

    /// <summary>A <c>file:</c> reference to a folder or tarball that is not there (a project moved away from it).</summary>
    public bool IsMissingLocalPath => LocalPath is not null && !File.Exists(LocalPath) && !Directory.Exists(LocalPath);

    /// <summary>The project's reference, or null when it has no package.json, or one that names no SDK or cannot be read.</summary>
    public static ProjectSdkReference? Read(string projectDirectory)
    {
        var file = Path.Combine(projectDirectory, "package.json");
        if (!File.Exists(file))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var section in (string[])["dependencies", "devDependencies"])
            {
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty(section, out var dependencies)
                    && dependencies.ValueKind == JsonValueKind.Object
                    && dependencies.TryGetProperty(PackageName, out var value)
                    && value.GetString() is { } specifier)
                {
                    return new ProjectSdkReference(specifier, LocalPathOf(specifier, projectDirectory));
                }
            }
        }
        catch (JsonException)
        {
            // npm reports a broken package.json itself, with the position
        }

        return null;
    }

    private static string? LocalPathOf(string specifier, string projectDirectory) =>
        specifier.StartsWith("file:", StringComparison.Ordinal)
            ? Path.GetFullPath(Path.Combine(projectDirectory, specifier["file:".Length..]))
            : null;
}
