using Wafer.Runtime.Tests.Support;

namespace Wafer.Runtime.Tests.Modus;

/// <summary>
/// The real Modus-built modules in <c>../shared/fixtures/modus</c> (third-party test data, used in place: CI has
/// <c>shared/</c> beside the checkout). Looked up in the ancestors of the repository root.
/// </summary>
public static class ModusFixtures
{
    public static string Folder { get; } = Find();

    public static string Wasm(string name) => Path.Combine(Folder, name + ".wasm");

    /// <summary>Copies fixture <paramref name="name"/> into <paramref name="folder"/> as <c>PLUGIN.wasm</c>, with <c>PLUGIN.modus.json</c> when given.</summary>
    public static void Copy(string name, string folder, string? plugin = null, string? modusJson = null)
    {
        plugin ??= name;
        File.Copy(Wasm(name), Path.Combine(folder, plugin + ".wasm"), overwrite: true);
        if (modusJson is not null)
        {
            File.WriteAllText(Path.Combine(folder, plugin + ".modus.json"), modusJson);
        }
    }

    private static string Find()
    {
        for (var directory = new DirectoryInfo(TestGuests.RepositoryRoot); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "fixtures", "modus");
            if (File.Exists(Path.Combine(candidate, "simple-example.wasm")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("the Modus fixtures (shared/fixtures/modus) were not found beside the repository");
    }
}
