namespace Wafer.Cli.Building;

/// <summary>Finds the AssemblyScript SDK kept in this repository (or where <c>WAFER_SDK_PATH</c> points).</summary>
public static class SdkLocator
{
    public const string EnvironmentVariable = "WAFER_SDK_PATH";

    public static string? Find()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured)
        {
            return Directory.Exists(configured) ? Path.GetFullPath(configured) : null;
        }

        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "sdk", "assemblyscript");
                if (File.Exists(Path.Combine(candidate, "package.json")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
