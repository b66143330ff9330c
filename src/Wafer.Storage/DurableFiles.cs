using System.Runtime.InteropServices;

namespace Wafer.Storage;

/// <summary>
/// Writes files that must still be there after a crash or a power cut once the writer has said so: the bytes go to a
/// temporary file in the same folder, are flushed to the disk, renamed over the target, and the folder itself is
/// flushed so the rename is kept too. A failure at any step (a full disk) deletes the temporary file and leaves the
/// target as it was.
/// </summary>
public static partial class DurableFiles
{
    public const string TemporarySuffix = ".tmp";

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> durably (see the class).</summary>
    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        using var staged = Stage(path, bytes);
        staged.Commit();
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> durably (see the class).</summary>
    public static async Task WriteAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        var temporary = TemporaryPathFor(path);
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await file.WriteAsync(bytes, cancellationToken);
                await file.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
            SyncFolder(Path.GetDirectoryName(Path.GetFullPath(path))!);
        }
        finally
        {
            DeleteQuietly(temporary);
        }
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> to a temporary file beside <paramref name="path"/>, flushed to the disk; the
    /// target changes only on <see cref="StagedFile.Commit"/>. Disposing an uncommitted file deletes it. Throws the
    /// <see cref="IOException"/> of a full disk here, with nothing left behind.
    /// </summary>
    public static StagedFile Stage(string path, ReadOnlySpan<byte> bytes)
    {
        var temporary = TemporaryPathFor(path);
        try
        {
            using var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1);
            file.Write(bytes);
            file.Flush(flushToDisk: true);
        }
        catch
        {
            DeleteQuietly(temporary);
            throw;
        }

        return new StagedFile(path, temporary);
    }

    /// <summary>Creates <paramref name="folder"/> if it is missing, and flushes its parent so the new folder is kept.</summary>
    public static void CreateFolder(string folder)
    {
        if (Directory.Exists(folder))
        {
            return;
        }

        Directory.CreateDirectory(folder);
        SyncFolder(Path.GetDirectoryName(Path.GetFullPath(folder))!);
    }

    /// <summary>
    /// Flushes a folder's entries (renames, new and deleted files) to the disk. POSIX keeps a rename in the page
    /// cache until then; Windows has no such call, and NTFS journals its metadata anyway.
    /// </summary>
    public static void SyncFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var descriptor = Open(folder, ReadOnly);
        if (descriptor < 0)
        {
            throw new IOException($"cannot open folder {folder} to flush it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(descriptor) != 0 && Marshal.GetLastPInvokeError() is var errno && errno is not (InvalidArgument or NotSupported))
            {
                throw new IOException($"cannot flush folder {folder} to the disk (errno {errno})", errno);
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    /// <summary>True when <paramref name="exception"/> says the disk (or the user's quota, or the file-size limit) is full.</summary>
    public static bool IsDiskFull(Exception exception) => exception is IOException io && (io.HResult & 0xFFFF) switch
    {
        NoSpace or QuotaExceeded or FileTooLarge => !OperatingSystem.IsWindows(),
        WindowsDiskFull or WindowsHandleDiskFull => OperatingSystem.IsWindows(),
        _ => false,
    };

    /// <summary>Deletes temporary files a crash left in <paramref name="folder"/>; returns how many.</summary>
    public static int DeleteLeftovers(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return 0;
        }

        var deleted = 0;
        foreach (var leftover in Directory.EnumerateFiles(folder, "*" + TemporarySuffix))
        {
            deleted += DeleteQuietly(leftover) ? 1 : 0;
        }

        return deleted;
    }

    internal static bool DeleteQuietly(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return false;
            }

            File.Delete(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string TemporaryPathFor(string path) => $"{path}.{Guid.NewGuid().ToString("N")[..8]}{TemporarySuffix}";

    private const int ReadOnly = 0;
    private const int NoSpace = 28; // ENOSPC
    private const int FileTooLarge = 27; // EFBIG: RLIMIT_FSIZE
    private const int QuotaExceeded = 122; // EDQUOT (Linux)
    private const int InvalidArgument = 22; // EINVAL: a file system that cannot flush folders
    private const int NotSupported = 95; // EOPNOTSUPP
    private const int WindowsDiskFull = 112; // ERROR_DISK_FULL
    private const int WindowsHandleDiskFull = 39; // ERROR_HANDLE_DISK_FULL

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}
