namespace Wafer.Benchmarks;

/// <summary>Finds the guests the benchmarks call: the example plugins and the test guests, built beforehand.</summary>
internal static class BenchGuests
{
    public static string Root { get; } = FindRoot();

    public static byte[] Read(string relativePath)
    {
        var path = Path.Combine(Root, relativePath);
        return File.Exists(path)
            ? File.ReadAllBytes(path)
            : throw new FileNotFoundException($"{path} is missing: run scripts/test.sh (test guests) or ./wafer build examples/hello first");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Wafer.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("run the benchmarks from inside the repository");
    }
}
