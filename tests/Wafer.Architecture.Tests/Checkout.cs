namespace Wafer.Architecture.Tests;

/// <summary>The checkout these tests were built from: the folder above the build output holding <c>Wafer.slnx</c>.</summary>
internal static class Checkout
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Wafer.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no Wafer.slnx above {AppContext.BaseDirectory}");
    }
}
