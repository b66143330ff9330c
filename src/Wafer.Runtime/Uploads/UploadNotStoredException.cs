namespace Wafer.Runtime.Uploads;

/// <summary>
/// An upload that could not be kept on disk, so it was not served either (nothing changed); <see cref="DiskFull"/> when
/// the disk, a quota or a file-size limit was the reason.
/// </summary>
internal sealed class UploadNotStoredException(string message, bool diskFull, Exception? inner = null) : Exception(message, inner)
{
    public bool DiskFull { get; } = diskFull;
}
