namespace Wafer.Wasm.Wasi;

/// <summary>
/// Wasmtime takes a guest's stdin from a file: the bytes are written to a private temporary file for the run
/// and deleted afterwards.
/// </summary>
internal static class StdinFile
{
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "wafer-stdin");

    public static string Create(ReadOnlySpan<byte> bytes)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, Guid.NewGuid().ToString("N"));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        stream.Write(bytes);
        return path;
    }

    public static void Delete(string? path)
    {
        if (path is null)
        {
            return;
        }

        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the temporary folder is the OS's to clean.
        }
    }
}
